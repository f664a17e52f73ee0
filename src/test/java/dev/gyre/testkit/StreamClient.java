package dev.gyre.testkit;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw client of the streamed HTTP transports (HTTP-streaming, SSE, and their unidirectional
 * forms) on the JDK HTTP client: opens the request, reads the endless body on its own thread and
 * queues every message (a JSON line, or the JSON of an SSE {@code data:} event). For emulated
 * sessions it posts later command frames to the emulation endpoint. Every wait is bounded.
 */
public final class StreamClient implements AutoCloseable {
  public static final long WAIT_MS = WsClient.WAIT_MS;

  /** How the body is framed. */
  public enum Framing { LINES, SSE }

  private static final JsonObject END = new JsonObject().put("__end", true);

  private final int port;
  private final HttpResponse<InputStream> response;
  private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  /** Raw SSE events ("data: …" blocks) or lines, as they arrived. */
  private final LinkedBlockingQueue<String> raw = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile String preamble = "";
  private String session = "";
  private String node = "";

  private StreamClient(int port, HttpResponse<InputStream> response, Framing framing) {
    this.port = port;
    this.response = response;
    Thread reader = new Thread(() -> read(framing), "stream-client-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** A fresh HTTP client: a new connection per use, so requests spread over the server's instances. */
  public static HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Opens a stream; fails unless the server answers 200 (use {@link #status} for other codes).
   * {@code body} null means no body (GET).
   */
  public static StreamClient open(int port, String method, String pathAndQuery, String body,
                                  Map<String, String> headers, Framing framing) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      HttpResponse<InputStream> r = http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
          .get(WAIT_MS, TimeUnit.MILLISECONDS);
      if (r.statusCode() != 200) {
        String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        throw new AssertionError("stream answered " + r.statusCode() + ": " + text);
      }
      return new StreamClient(port, r, framing);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("stream request " + method + " " + pathAndQuery + " failed", e);
    }
  }

  /** POST /connection/http_stream with a JSON command frame. */
  public static StreamClient httpStream(int port, String frame) {
    return open(port, "POST", "/connection/http_stream", frame, Map.of("Content-Type", "application/json"),
        Framing.LINES);
  }

  /** GET /connection/sse?cf_connect=frame. */
  public static StreamClient sse(int port, String frame) {
    return open(port, "GET", "/connection/sse?cf_connect=" + encode(frame), null, Map.of(), Framing.SSE);
  }

  public static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A one-off request whose status and body are returned, on a new connection. */
  public static ApiClient.Response request(int port, String method, String pathAndQuery, String body,
                                           Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofMillis(WAIT_MS))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http().send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new ApiClient.Response(r.statusCode(), r.body(), r.headers().map());
    } catch (Exception e) {
      throw new AssertionError("request " + method + " " + pathAndQuery + " failed", e);
    }
  }

  private void read(Framing framing) {
    try (InputStream in = response.body()) {
      if (framing == Framing.SSE) {
        byte[] first = in.readNBytes(2);
        preamble = new String(first, StandardCharsets.UTF_8);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      StringBuilder event = new StringBuilder();
      String line;
      while ((line = reader.readLine()) != null) {
        if (framing == Framing.LINES) {
          raw.add(line);
          messages.add(new JsonObject(line));
        } else if (line.isEmpty()) {
          if (event.length() > 0) {
            String e = event.toString();
            raw.add(e);
            if (!e.startsWith("data: ")) throw new IllegalStateException("not a data event: " + e);
            messages.add(new JsonObject(e.substring("data: ".length())));
            event.setLength(0);
          }
        } else {
          if (event.length() > 0) event.append('\n');
          event.append(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // aborted by close(), or a protocol violation the test will see as a missing message
      raw.add("!" + e);
    } finally {
      messages.add(END);
      ended.complete(null);
    }
  }

  public int status() { return response.statusCode(); }

  public String header(String name) { return response.headers().firstValue(name).orElse(null); }

  /** The first two bytes of an SSE body. */
  public String preamble() { return preamble; }

  /** The next message; fails after the bounded wait or when the stream ended. */
  public JsonObject next() {
    return next(m -> true);
  }

  public JsonObject next(Predicate<JsonObject> match) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no matching message within " + WAIT_MS + " ms");
      try {
        JsonObject m = messages.poll(left, TimeUnit.MILLISECONDS);
        if (m == END) {
          messages.add(END);
          throw new AssertionError("stream ended before a matching message");
        }
        if (m != null && match.test(m)) return m;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  public JsonObject reply(int id) {
    return next(m -> m.getInteger("id", 0) == id);
  }

  /** Reads the connect reply (bidirectional) and remembers its session and node for {@link #send}. */
  public JsonObject connectReply() {
    JsonObject r = reply(1).getJsonObject("connect");
    if (r == null) throw new AssertionError("not a connect reply");
    session = r.getString("session", "");
    node = r.getString("node", "");
    return r;
  }

  /** The next reply-wrapped push for the channel. */
  public JsonObject push(String channel) {
    return next(m -> m.containsKey("push") && channel.equals(m.getJsonObject("push").getString("channel")));
  }

  /** Posts a command frame to the emulation endpoint on a new connection; returns the status. */
  public int send(String frame) {
    String body = new JsonObject().put("session", session).put("node", node).put("data", frame).encode();
    return request(port, "POST", "/emulation", body, Map.of("Content-Type", "application/json")).status();
  }

  /** Sends one command through the emulation endpoint and waits for its reply on the stream. */
  public JsonObject call(int id, String method, JsonObject request) {
    int status = send(new JsonObject().put(method, request).put("id", id).encode());
    if (status != 204) throw new AssertionError("emulation answered " + status);
    return reply(id);
  }

  /** Waits until the server ends the stream. */
  public void awaitEnd() {
    try {
      ended.get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("stream not ended within " + WAIT_MS + " ms", e);
    }
  }

  public boolean isEnded() { return ended.isDone(); }

  /** Messages that arrived so far, without waiting. */
  public List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>();
    messages.drainTo(out);
    out.remove(END);
    if (isEnded()) messages.add(END);
    return out;
  }

  /** Raw events or lines received so far. */
  public List<String> rawEvents() {
    List<String> out = new ArrayList<>();
    raw.drainTo(out);
    return out;
  }

  public String session() { return session; }

  public String node() { return node; }

  /** Aborts the request (the client going away). */
  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
