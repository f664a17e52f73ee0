package dev.gyre.bench;

import dev.gyre.auth.TokenSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code gyre bench <fanout|channels|connections|publish> [options]}: a load tester for any
 * server speaking the Centrifugo client protocol and HTTP API. Every scenario stops by itself
 * (count and time limits) and targets 127.0.0.1 by default. Writes a progress line each second,
 * a JSON result and an HTML report.
 */
public final class BenchCommand {
  private final BenchOptions o;
  private final PrintStream out;

  private BenchCommand(BenchOptions o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    BenchOptions o;
    try {
      o = BenchOptions.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("usage: gyre bench <fanout|channels|connections|publish|charts> [--url ws://127.0.0.1:8000/connection/websocket]"
          + " [--api http://127.0.0.1:8000/api] [--api-key KEY] [--secret HMAC] [--format json|protobuf]"
          + " [--subscribers N] [--rate R|max] [--payload BYTES] [--duration 10s] [--warmup 3s] [--server-pid PID] [--ceiling]"
          + " [--out result.json] [--html report.html]; gyre bench charts [--dir bench-results] [--out docs/bench]");
      return 1;
    }
    try {
      if (o.scenario.equals("charts")) {
        for (Path p : Charts.write(Path.of(o.string("dir", "bench-results")), Path.of(o.string("out", "docs/bench")))) {
          out.println("chart: " + p);
        }
        return 0;
      }
      return new BenchCommand(o, out).execute();
    } catch (Exception e) {
      err.println("error: " + e);
      if (e.getCause() != null) err.println("cause: " + e.getCause());
      return 1;
    }
  }

  private int execute() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(o.integer("loops", 1)));
    Process ceiling = null;
    try {
      URI url = URI.create(o.string("url", "ws://127.0.0.1:8000/connection/websocket"));
      URI api = URI.create(o.string("api", "http://127.0.0.1:8000/api"));
      long pid = o.integer("server-pid", 0);
      String format = o.string("format", "json");
      if (o.flag("ceiling")) {
        int port = freePort();
        ceiling = CeilingServer.spawn(port, o.string("ceiling-cpus", ""));
        pid = ceiling.pid();
        url = URI.create("ws://127.0.0.1:" + port + "/");
        api = URI.create("http://127.0.0.1:" + port + "/pub");
        format = "raw";
        awaitPort(port);
      }
      checkLoopback(url);
      checkLoopback(api);
      JsonObject result = switch (o.scenario) {
        case "connections" -> connections(vertx, url, format, pid);
        case "publish" -> publishOnly(vertx, api, pid);
        default -> fanout(vertx, url, api, format, pid, o.scenario.equals("channels"));
      };
      result.put("scenario", o.scenario).put("format", format).put("options", new JsonObject(new java.util.HashMap<>(o.all())))
          .put("target", (o.flag("ceiling") ? "raw Vert.x broadcast ceiling" : url.toString()));
      String json = result.encodePrettily();
      Path outFile = Path.of(o.string("out", "bench-" + o.scenario + ".json"));
      Files.writeString(outFile, json, StandardCharsets.UTF_8);
      Path html = Path.of(o.string("html", outFile.toString().replaceAll("\\.json$", "") + ".html"));
      Files.writeString(html, Report.html(result), StandardCharsets.UTF_8);
      out.println(summary(result));
      out.println("result: " + outFile + ", report: " + html);
      return 0;
    } finally {
      if (ceiling != null) ceiling.destroyForcibly();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private String token(int i) {
    String secret = o.string("secret", "");
    if (secret.isEmpty()) return "";
    return new TokenSigner(secret).sign(new JsonObject().put("sub", "bench-" + i)
        .put("exp", System.currentTimeMillis() / 1000 + 86400));
  }

  private List<LoadClient> openClients(Vertx vertx, URI url, String format, int n, int rampPerSecond,
                                       java.util.function.IntFunction<List<String>> channelsOf, Stats stats,
                                       Histogram connectLatency) throws Exception {
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 16).setMaxFrameSize(1 << 20)
        .setMaxMessageSize(8 << 20));
    List<LoadClient> clients = new ArrayList<>();
    long start = System.nanoTime();
    int batch = Math.max(1, Math.min(200, rampPerSecond / 10));
    for (int i = 0; i < n; i += batch) {
      List<Future<LoadClient>> wave = new ArrayList<>();
      for (int k = i; k < Math.min(n, i + batch); k++) {
        int idx = k;
        long t0 = System.nanoTime();
        wave.add(LoadClient.open(ws, url, format, token(k), channelsOf.apply(k), k,
            stats == null ? (c, s, t) -> { } : stats::delivery).onSuccess(c -> {
              if (connectLatency != null) {
                synchronized (connectLatency) {
                  connectLatency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                }
              }
            }));
      }
      for (Future<LoadClient> f : wave) {
        clients.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      }
      if (rampPerSecond > 0) {
        long due = start + (long) (i + batch) * 1_000_000_000L / rampPerSecond;
        long sleep = due - System.nanoTime();
        if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      progress(String.format(Locale.ROOT, "connected %d/%d", clients.size(), n));
    }
    out.println();
    return clients;
  }

  private JsonObject fanout(Vertx vertx, URI url, URI api, String format, long pid, boolean perClientChannel)
      throws Exception {
    int n = o.integer("subscribers", 1000);
    int rate = o.rate();
    Duration duration = o.duration("duration", "10s");
    int count = o.integer("count", rate > 0 ? (int) (rate * duration.toSeconds()) : Integer.MAX_VALUE);
    String channel = o.string("channel", "bench");
    Stats stats = new Stats(n);
    stats.warmupSeconds = (int) o.duration("warmup", "0s").toSeconds();
    List<LoadClient> clients = openClients(vertx, url, format, n, o.integer("ramp", 2000),
        i -> List.of(perClientChannel ? channel + i : channel), stats, null);
    Publisher publisher = new Publisher(vertx, api, o.string("api-key", ""), o.integer("payload", 100),
        o.integer("in-flight", 64), stats);
    double cpu0 = ProcessStats.cpuSeconds(pid);
    double selfCpu0 = ProcessStats.cpuSeconds(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    long deadline = t0 + duration.toNanos();
    long reporter = vertx.setPeriodic(1000, t -> {
      stats.tick(stats.timeline.size() + 1, stats.published.get(), stats.delivered.get());
      Stats.Second s = stats.timeline.get(stats.timeline.size() - 1);
      progress(String.format(Locale.ROOT, "t=%ds published %d delivered %d (+%d/s) p99 %.1f ms",
          s.second(), stats.published.get(), stats.delivered.get(), s.delivered(), s.p99ms()));
    });
    publisher.run(count, rate, o.integer("in-flight", 64), deadline, i -> perClientChannel ? channel + (i % n) : channel)
        .toCompletionStage().toCompletableFuture().get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    long expected = perClientChannel ? stats.published.get() : stats.published.get() * n;
    long settle = System.nanoTime() + 5_000_000_000L;
    while (stats.delivered.get() < expected && System.nanoTime() < settle) Thread.sleep(20);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double cpu1 = ProcessStats.cpuSeconds(pid);
    double selfCpu1 = ProcessStats.cpuSeconds(ProcessHandle.current().pid());
    vertx.cancelTimer(reporter);
    stats.tick(stats.timeline.size() + 1, stats.published.get(), stats.delivered.get());
    out.println();
    for (LoadClient c : clients) c.close();
    publisher.close();
    long delivered = stats.delivered.get();
    JsonObject r = new JsonObject().put("subscribers", n).put("published", stats.published.get())
        .put("publish_errors", stats.publishErrors.get()).put("delivered", delivered)
        .put("expected_deliveries", expected)
        .put("lost", perClientChannel ? Math.max(0, expected - delivered + stats.duplicates.get())
            : stats.lost(n, stats.published.get()))
        .put("duplicates", stats.duplicates.get()).put("duration_s", round(elapsed))
        .put("deliveries_per_s", round(delivered / elapsed)).put("latency_ms", Report.latency(stats.total))
        .put("warmup_s", stats.warmupSeconds)
        .put("timeline", Report.timeline(stats.timeline));
    if (cpu0 >= 0 && cpu1 >= 0) {
      r.put("server_cpu_s", round(cpu1 - cpu0));
      if (delivered > 0) r.put("cpu_us_per_delivery", round((cpu1 - cpu0) * 1e6 / delivered));
    }
    if (selfCpu0 >= 0 && selfCpu1 >= 0) r.put("client_cpu_s", round(selfCpu1 - selfCpu0));
    return r;
  }

  private JsonObject connections(Vertx vertx, URI url, String format, long pid) throws Exception {
    int n = o.integer("connections", 1000);
    long rss0 = ProcessStats.rssBytes(pid);
    long heap0 = ProcessStats.heapAfterGc(pid);
    Histogram connect = new Histogram(60_000_000L, 3);
    long t0 = System.nanoTime();
    List<LoadClient> clients = openClients(vertx, url, format, n, o.integer("ramp", 1000),
        i -> o.flag("subscribe") ? List.of(o.string("channel", "idle") + i) : List.of(), null, connect);
    double openSeconds = (System.nanoTime() - t0) / 1e9;
    Duration hold = o.duration("hold", "5s");
    Thread.sleep(hold.toMillis());
    long rss1 = ProcessStats.rssBytes(pid);
    long heap1 = ProcessStats.heapAfterGc(pid);
    for (LoadClient c : clients) c.close();
    JsonObject r = new JsonObject().put("connections", clients.size()).put("open_seconds", round(openSeconds))
        .put("connect_latency_ms", Report.latency(connect));
    if (rss0 > 0 && rss1 > 0) r.put("rss_bytes_before", rss0).put("rss_bytes_after", rss1)
        .put("rss_bytes_per_connection", (rss1 - rss0) / Math.max(1, clients.size()));
    if (heap0 > 0 && heap1 > 0) r.put("heap_bytes_before", heap0).put("heap_bytes_after", heap1)
        .put("heap_bytes_per_connection", (heap1 - heap0) / Math.max(1, clients.size()));
    return r;
  }

  private JsonObject publishOnly(Vertx vertx, URI api, long pid) throws Exception {
    Duration duration = o.duration("duration", "10s");
    int concurrency = o.integer("concurrency", 16);
    Stats stats = new Stats(0);
    Publisher publisher = new Publisher(vertx, api, o.string("api-key", ""), o.integer("payload", 100), concurrency, stats);
    String grpc = o.string("grpc", "");
    if (!grpc.isEmpty()) {
      if (!o.flag("allow-remote") && !grpc.startsWith("127.0.0.1:") && !grpc.startsWith("localhost:")) {
        throw new IllegalArgumentException("target " + grpc + " is not loopback; pass --allow-remote to load it");
      }
      publisher.grpc(grpc);
    }
    // A warm-up at full concurrency first: the first seconds of a fresh node are JIT compilation
    // on the same core, which would otherwise dominate a 10 s run.
    Duration warmup = o.duration("warmup", "0s");
    if (!warmup.isZero()) {
      publisher.run(Integer.MAX_VALUE, 0, concurrency, System.nanoTime() + warmup.toNanos(), i -> o.string("channel", "bench"))
          .toCompletionStage().toCompletableFuture().get(warmup.toSeconds() + 60, TimeUnit.SECONDS);
      stats.published.set(0);
      stats.publishErrors.set(0);
      stats.requests.reset();
    }
    long self = ProcessHandle.current().pid();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    double selfCpu0 = ProcessStats.cpuSeconds(self);
    long t0 = System.nanoTime();
    publisher.run(o.integer("count", Integer.MAX_VALUE), 0, concurrency, t0 + duration.toNanos(),
        i -> o.string("channel", "bench")).toCompletionStage().toCompletableFuture()
        .get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double cpu1 = ProcessStats.cpuSeconds(pid);
    double selfCpu1 = ProcessStats.cpuSeconds(self);
    publisher.close();
    long published = stats.published.get();
    JsonObject r = new JsonObject().put("published", published).put("publish_errors", stats.publishErrors.get())
        .put("concurrency", concurrency).put("protocol", grpc.isEmpty() ? "http" : "grpc").put("duration_s", round(elapsed))
        .put("requests_per_s", round(published / elapsed))
        .put("request_latency_ms", Report.latency(stats.requests));
    if (cpu0 >= 0 && cpu1 >= 0) {
      r.put("server_cpu_s", round(cpu1 - cpu0));
      if (published > 0) r.put("cpu_us_per_request", round((cpu1 - cpu0) * 1e6 / published));
    }
    // The load generator's own CPU: near one core (its event loop's), the figure is the client's limit, not the server's.
    if (selfCpu0 >= 0 && selfCpu1 >= 0) r.put("client_cpu_s", round(selfCpu1 - selfCpu0));
    return r;
  }

  private void progress(String line) {
    out.print("\r" + line + "        ");
    out.flush();
  }

  private static String summary(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    for (String k : List.of("published", "delivered", "lost", "duplicates", "deliveries_per_s", "cpu_us_per_delivery",
        "connections", "rss_bytes_per_connection", "heap_bytes_per_connection", "requests_per_s", "cpu_us_per_request", "client_cpu_s")) {
      if (r.containsKey(k)) sb.append(k).append('=').append(r.getValue(k)).append(' ');
    }
    JsonObject lat = r.containsKey("latency_ms") ? r.getJsonObject("latency_ms") : r.getJsonObject("request_latency_ms");
    if (lat != null) sb.append(String.format(Locale.ROOT, "p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms",
        lat.getDouble("p50"), lat.getDouble("p99"), lat.getDouble("p999"), lat.getDouble("max")));
    return sb.toString().trim();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Load and failure traffic goes to this machine only, unless asked otherwise. */
  private void checkLoopback(URI u) {
    String host = u.getHost();
    if (!o.flag("allow-remote") && !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
        || host.equals("[::1]"))) {
      throw new IllegalArgumentException("target " + host + " is not loopback; pass --allow-remote to load it");
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("ceiling server did not start");
  }
}
