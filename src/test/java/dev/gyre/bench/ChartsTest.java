package dev.gyre.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Charts drawn from result files: well-formed SVG whose bars and labels carry the results' numbers. */
class ChartsTest {
  @TempDir
  Path dir;

  private void result(String name, JsonObject r) throws Exception {
    Files.writeString(dir.resolve(name + ".json"), r.encode());
  }

  private static JsonObject fanout(double cpu, double p99, double perSecond) {
    return new JsonObject().put("cpu_us_per_delivery", cpu).put("deliveries_per_s", perSecond)
        .put("latency_ms", new JsonObject().put("p50", p99 / 3).put("p99", p99));
  }

  private static Document svg(Path p) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
  }

  private static List<String> texts(Document d) {
    NodeList n = d.getElementsByTagName("text");
    List<String> t = new ArrayList<>();
    for (int i = 0; i < n.getLength(); i++) t.add(n.item(i).getTextContent());
    return t;
  }

  @Test
  void chartsCarryTheResultsAndTheTargets() throws Exception {
    result("fanout-1000-max", fanout(3.4, 40, 270_000));
    result("fanout-5000-10", fanout(10.9, 90, 50_000));
    result("socketio-1000-max", fanout(14.2, 96, 68_000));
    result("ceiling-1000", fanout(7.7, 51, 125_000));
    result("connections-19000", new JsonObject().put("rss_bytes_per_connection", 9216).put("heap_bytes_per_connection", 4096));
    Path out = dir.resolve("charts");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = BenchCommand.run(new String[] {"charts", "--dir", dir.toString(), "--out", out.toString()},
        new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("fanout-cpu.svg", "idle-memory.svg");

    List<String> cpu = texts(svg(out.resolve("fanout-cpu.svg")));
    assertThat(cpu).contains("3.4", "10.9", "14.2", "target 5.0", "1000 × max", "5000 × 10/s");
    assertThat(texts(svg(out.resolve("fanout-p99.svg")))).contains("40.0", "90.0", "96.0");
    assertThat(texts(svg(out.resolve("fanout-saturation.svg")))).contains("270", "125", "68.0");
    assertThat(texts(svg(out.resolve("idle-memory.svg")))).contains("9.0", "4.0", "12.0", "8.0");
    // A missing result draws no bar rather than a made-up one.
    Document cpuChart = svg(out.resolve("fanout-cpu.svg"));
    NodeList rects = cpuChart.getElementsByTagName("rect");
    long drawn = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      String h = rects.item(i).getAttributes().getNamedItem("height").getNodeValue();
      if (!h.endsWith("%") && Double.parseDouble(h) > 0 && !h.equals("12")) drawn++;
    }
    assertThat(drawn).isEqualTo(3);
  }
}
