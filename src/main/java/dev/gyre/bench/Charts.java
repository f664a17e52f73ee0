package dev.gyre.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a directory of results written by {@code scripts/bench.sh} into standalone SVG charts for
 * docs/benchmarks.md: Gyre beside the raw ceiling and Socket.IO, CPU per delivery, p99 latency
 * and idle-connection memory against their targets. A result that is missing leaves its bar out.
 */
final class Charts {
  private static final String[] COLORS = {"#2a7ab0", "#8e8e8e", "#e67e22"};
  private static final List<String> SCENARIOS = List.of("1000-10", "1000-100", "1000-max", "5000-10", "5000-100", "5000-max");

  private Charts() {}

  /** Writes the charts into {@code outDir}; returns the files written. */
  static List<Path> write(Path resultDir, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<Path> written = new ArrayList<>();
    List<String> labels = SCENARIOS.stream().map(s -> s.replace("-", " × ") + (s.endsWith("max") ? "" : "/s")).toList();
    double[][] cpu = new double[2][SCENARIOS.size()];
    double[][] p99 = new double[2][SCENARIOS.size()];
    for (int i = 0; i < SCENARIOS.size(); i++) {
      JsonObject gyre = read(resultDir.resolve("fanout-" + SCENARIOS.get(i) + ".json"));
      JsonObject sio = read(resultDir.resolve("socketio-" + SCENARIOS.get(i) + ".json"));
      cpu[0][i] = number(gyre, "cpu_us_per_delivery");
      cpu[1][i] = number(sio, "cpu_us_per_delivery");
      p99[0][i] = latency(gyre, "p99");
      p99[1][i] = latency(sio, "p99");
    }
    written.add(save(outDir.resolve("fanout-cpu.svg"), groupedBars("Server CPU per delivery (µs; target at saturation ≤ 5)",
        labels, List.of("Gyre", "Socket.IO 4.8"), cpu, 5, new int[] {0, 2})));
    written.add(save(outDir.resolve("fanout-p99.svg"), groupedBars("p99 delivery latency (ms)",
        labels, List.of("Gyre", "Socket.IO 4.8"), p99, 0, new int[] {0, 2})));
    double[][] saturation = new double[3][2];
    String[] subs = {"1000", "5000"};
    for (int i = 0; i < subs.length; i++) {
      saturation[0][i] = number(read(resultDir.resolve("fanout-" + subs[i] + "-max.json")), "deliveries_per_s") / 1000;
      saturation[1][i] = number(read(resultDir.resolve("ceiling-" + subs[i] + ".json")), "deliveries_per_s") / 1000;
      saturation[2][i] = number(read(resultDir.resolve("socketio-" + subs[i] + "-max.json")), "deliveries_per_s") / 1000;
    }
    written.add(save(outDir.resolve("fanout-saturation.svg"), groupedBars("Deliveries per second at saturation (thousands), one core",
        List.of("1,000 subscribers", "5,000 subscribers"), List.of("Gyre", "raw Vert.x ceiling", "Socket.IO 4.8"),
        saturation, 0, new int[] {0, 1, 2})));
    JsonObject idle = read(resultDir.resolve("connections-19000.json"));
    double[][] memory = {{number(idle, "rss_bytes_per_connection") / 1024, number(idle, "heap_bytes_per_connection") / 1024},
        {12, 8}};
    written.add(save(outDir.resolve("idle-memory.svg"), groupedBars("Memory per idle connection at 19,000 (KiB)",
        List.of("RSS", "heap after GC"), List.of("Gyre", "target"), memory, 0, new int[] {0, 1})));
    return written;
  }

  private static JsonObject read(Path p) throws IOException {
    return Files.exists(p) ? new JsonObject(Files.readString(p, StandardCharsets.UTF_8)) : new JsonObject();
  }

  private static double number(JsonObject r, String key) {
    Number n = r.getNumber(key);
    return n == null ? 0 : n.doubleValue();
  }

  private static double latency(JsonObject r, String key) {
    JsonObject l = r.getJsonObject("latency_ms");
    return l == null ? 0 : number(l, key);
  }

  private static Path save(Path file, String svg) throws IOException {
    Files.writeString(file, svg, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Bars grouped by label, one colour per series, values printed above the bars; a dashed line at
   * {@code target} when it is positive.
   */
  static String groupedBars(String title, List<String> groups, List<String> series, double[][] values, double target,
                            int[] colors) {
    int w = 760, h = 320, left = 50, bottom = 60, top = 40;
    double max = target;
    for (double[] row : values) for (double v : row) max = Math.max(max, v);
    if (max <= 0) max = 1;
    max *= 1.1;
    double plot = h - bottom - top;
    double groupWidth = (w - left - 10.0) / groups.size();
    double barWidth = Math.min(60, (groupWidth - 20) / series.size());
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"12\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>")
        .append("<text x=\"").append(w / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">")
        .append(esc(title)).append("</text>");
    s.append(line(left, h - bottom, w - 10, h - bottom, "#444", false));
    for (int g = 0; g < groups.size(); g++) {
      double gx = left + g * groupWidth + (groupWidth - barWidth * series.size()) / 2;
      for (int k = 0; k < series.size(); k++) {
        double v = values[k][g];
        double bh = plot * v / max;
        double x = gx + k * barWidth;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
            x + 2, h - bottom - bh, barWidth - 4, bh, COLORS[colors[k] % COLORS.length]));
        if (v > 0) {
          s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%s</text>",
              x + barWidth / 2, h - bottom - bh - 4, format(v)));
        }
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
          left + (g + 0.5) * groupWidth, h - bottom + 16, esc(groups.get(g))));
    }
    if (target > 0) {
      double y = h - bottom - plot * target / max;
      s.append(line(left, y, w - 10, y, "#c0392b", true));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"#c0392b\" text-anchor=\"end\">target %s</text>",
          w - 12, y - 4, format(target)));
    }
    for (int k = 0; k < series.size(); k++) {
      int x = left + k * 170;
      s.append("<rect x=\"").append(x).append("\" y=\"").append(h - 22).append("\" width=\"12\" height=\"12\" fill=\"")
          .append(COLORS[colors[k] % COLORS.length]).append("\"/><text x=\"").append(x + 18).append("\" y=\"").append(h - 12)
          .append("\">").append(esc(series.get(k))).append("</text>");
    }
    return s.append("</svg>\n").toString();
  }

  private static String line(double x1, double y1, double x2, double y2, String color, boolean dashed) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>",
        x1, y1, x2, y2, color, dashed ? " stroke-dasharray=\"6,4\"" : "");
  }

  private static String format(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
