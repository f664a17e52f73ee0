package dev.gyre.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/** The results of a run: a JSON document and an HTML page with charts (inline SVG, no scripts). */
final class Report {
  private Report() {}

  static JsonObject latency(Histogram h) {
    return new JsonObject()
        .put("p50", h.getValueAtPercentile(50) / 1000.0).put("p90", h.getValueAtPercentile(90) / 1000.0)
        .put("p99", h.getValueAtPercentile(99) / 1000.0).put("p999", h.getValueAtPercentile(99.9) / 1000.0)
        .put("max", h.getMaxValue() / 1000.0).put("count", h.getTotalCount());
  }

  static JsonArray timeline(List<Stats.Second> seconds) {
    JsonArray a = new JsonArray();
    for (Stats.Second s : seconds) {
      a.add(new JsonObject().put("second", s.second()).put("published", s.published()).put("delivered", s.delivered())
          .put("p50_ms", s.p50ms()).put("p99_ms", s.p99ms()).put("max_ms", s.maxMs()));
    }
    return a;
  }

  static String html(JsonObject r) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Gyre bench: ")
        .append(esc(r.getString("scenario"))).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f4f4f4}")
        .append("h2{margin-top:1.6em}svg{background:#fcfcfc;border:1px solid #ddd}</style></head><body>");
    h.append("<h1>Gyre bench — ").append(esc(r.getString("scenario"))).append("</h1>");
    h.append("<p>").append(esc(r.getString("target", ""))).append("</p>");
    h.append("<h2>Summary</h2><table>");
    for (String k : List.of("subscribers", "published", "publish_errors", "delivered", "expected_deliveries", "lost",
        "duplicates", "duration_s", "deliveries_per_s", "server_cpu_s", "cpu_us_per_delivery", "connections",
        "connect_errors", "rss_bytes_per_connection", "heap_bytes_per_connection", "requests_per_s")) {
      if (r.containsKey(k)) {
        h.append("<tr><th>").append(k).append("</th><td>").append(fmt(r.getValue(k))).append("</td></tr>");
      }
    }
    h.append("</table>");
    for (String name : List.of("latency_ms", "connect_latency_ms")) {
      JsonObject lat = r.getJsonObject(name);
      if (lat == null) continue;
      h.append("<h2>").append(name.equals("latency_ms") ? "Delivery latency (ms)" : "Connect latency (ms)")
          .append("</h2>");
      List<String> keys = List.of("p50", "p90", "p99", "p999", "max");
      double[] vals = keys.stream().mapToDouble(lat::getDouble).toArray();
      h.append(bars(keys, vals));
    }
    if (r.containsKey("requests_per_s")) {
      h.append("<h2>API publish requests per second</h2>")
          .append(bars(List.of("concurrency " + r.getValue("concurrency")), new double[] {r.getDouble("requests_per_s")}));
    }
    JsonArray tl = r.getJsonArray("timeline");
    if (tl != null && !tl.isEmpty()) {
      double[] d = new double[tl.size()];
      double[] p = new double[tl.size()];
      for (int i = 0; i < tl.size(); i++) {
        d[i] = tl.getJsonObject(i).getLong("delivered");
        p[i] = tl.getJsonObject(i).getDouble("p99_ms");
      }
      h.append("<h2>Deliveries per second</h2>").append(line(d, "#2a7ab0"));
      h.append("<h2>p99 latency per second (ms)</h2>").append(line(p, "#c0392b"));
    }
    h.append("<h2>Raw result</h2><pre>").append(esc(r.encodePrettily())).append("</pre></body></html>");
    return h.toString();
  }

  private static String bars(List<String> labels, double[] values) {
    int w = 520;
    int h = 240;
    double max = 0;
    for (double v : values) max = Math.max(max, v);
    if (max <= 0) max = 1;
    StringBuilder s = new StringBuilder("<svg width=\"" + w + "\" height=\"" + h + "\">");
    int bw = (w - 40) / values.length;
    for (int i = 0; i < values.length; i++) {
      int bh = (int) Math.round((h - 50) * values[i] / max);
      int x = 30 + i * bw;
      s.append("<rect x=\"").append(x + 8).append("\" y=\"").append(h - 25 - bh).append("\" width=\"").append(bw - 16)
          .append("\" height=\"").append(bh).append("\" fill=\"#2a7ab0\"/>");
      s.append("<text x=\"").append(x + bw / 2).append("\" y=\"").append(h - 8).append("\" text-anchor=\"middle\">")
          .append(labels.get(i)).append("</text>");
      s.append("<text x=\"").append(x + bw / 2).append("\" y=\"").append(h - 30 - bh).append("\" text-anchor=\"middle\">")
          .append(fmt(values[i])).append("</text>");
    }
    return s.append("</svg>").toString();
  }

  private static String line(double[] v, String color) {
    int w = 720;
    int h = 240;
    double max = 0;
    for (double x : v) max = Math.max(max, x);
    if (max <= 0) max = 1;
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      double x = 40 + (v.length == 1 ? 0 : (w - 60.0) * i / (v.length - 1));
      double y = h - 25 - (h - 45) * v[i] / max;
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return "<svg width=\"" + w + "\" height=\"" + h + "\"><polyline fill=\"none\" stroke=\"" + color
        + "\" stroke-width=\"2\" points=\"" + pts + "\"/><text x=\"4\" y=\"16\">max " + fmt(max)
        + "</text><text x=\"40\" y=\"" + (h - 6) + "\">0 s</text><text x=\"" + (w - 40) + "\" y=\"" + (h - 6) + "\">"
        + v.length + " s</text></svg>";
  }

  private static String fmt(Object v) {
    if (v instanceof Double d) return String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.3f", d);
    return String.valueOf(v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
