package dev.gyre.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private redis-server for one test class: a child process on a free loopback port with its
 * own temporary directory, never a shared Redis. It can be stopped and started again on the same
 * port; with {@code persistent} it writes an append-only file (fsync always) into its directory,
 * so data survives the restart. When redis-server is not installed this fails, with the
 * command that installs it: nothing is skipped.
 */
public final class RedisServer implements AutoCloseable {
  private static final long READY_MS = 10_000;

  public final int port;
  private final boolean persistent;
  private final Path dir;
  private Process process;

  private RedisServer(int port, boolean persistent, Path dir) {
    this.port = port;
    this.persistent = persistent;
    this.dir = dir;
  }

  /** Starts a server that keeps nothing on disk. */
  public static RedisServer start() {
    return start(false);
  }

  public static RedisServer start(boolean persistent) {
    try {
      RedisServer r = new RedisServer(TestServer.freePort(), persistent, Files.createTempDirectory("gyre-redis"));
      r.startAgain();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The redis-server binary, or an error that tells how to install it. */
  static String binary() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin:/usr/sbin:/opt/homebrew/bin")
        .split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) return Path.of(dir, "redis-server").toString();
    }
    throw new AssertionError("redis-server is not installed, and the Redis tests need a real one. Install it: "
        + "`sudo apt-get install -y redis-server` (Debian/Ubuntu), `brew install redis` (macOS). As root, "
        + "`mvn verify` installs it itself through scripts/ensure-redis.sh.");
  }

  /** Starts the process (again) on the same port and waits until it answers PING. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) throw new IllegalStateException("redis-server is already running");
    List<String> cmd = new ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes"));
    if (persistent) cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    else cmd.addAll(List.of("--appendonly", "no"));
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
    long deadline = System.currentTimeMillis() + READY_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("redis-server exited: " + log());
      if ("+PONG".equals(command("PING"))) return;
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer PING within " + READY_MS + " ms: " + log());
  }

  /** Stops the process (SIGTERM: an append-only file is flushed) and waits for it to exit. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Sends one inline command and returns the first reply line (e.g. "+PONG", ":3", "$5"), or null
   * when the server cannot be reached. For tests that look at keys behind the store's back.
   */
  public String command(String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') line.append((char) c);
      if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
        StringBuilder value = new StringBuilder();
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') value.append((char) c);
        return value.toString();
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
