package dev.gyre.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from /proc (Linux). */
final class ProcessStats {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private ProcessStats() {}

  /** User + system CPU seconds of the process, or -1 when unknown. */
  static double cpuSeconds(long pid) {
    if (pid <= 0) return -1;
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in bytes, or -1 when unknown. */
  static long rssBytes(long pid) {
    if (pid <= 0) return -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Heap used after a full GC (via jcmd), in bytes, or -1 when it cannot be measured. */
  static long heapAfterGc(long pid) {
    if (pid <= 0) return -1;
    try {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      run(jcmd, String.valueOf(pid), "GC.run");
      String info = run(jcmd, String.valueOf(pid), "GC.heap_info");
      // G1: " garbage-first heap   total 262144K, used 41234K [..."; Serial/Parallel: one line
      // per generation (" def new generation ... used 2436K", " tenured generation ... used ...").
      long used = 0;
      boolean found = false;
      var p = java.util.regex.Pattern.compile("used (\\d+)K");
      for (String line : info.split("\n")) {
        if (!(line.contains("generation") || line.contains("heap")) || line.contains("Metaspace")) continue;
        var m = p.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1)) * 1024;
          found = true;
        }
      }
      return found ? used : -1;
    } catch (IOException | InterruptedException | RuntimeException e) {
      return -1;
    }
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
    return out;
  }
}
