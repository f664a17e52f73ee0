package dev.gyre.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw protocol client over a real WebSocket: sends frames, and collects every received reply
 * (frames split on newlines) and the close status. Every wait is bounded.
 */
public final class WsClient implements AutoCloseable {
  public static final long WAIT_MS = 5000;

  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> rawLines = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> rawFrames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile String closeReason;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      rawFrames.add(text);
      for (String line : text.split("\n")) {
        rawLines.add(line);
        messages.add(new JsonObject(line));
      }
    });
    ws.closeHandler(v -> {
      closeReason = ws.closeReason();
      Short code = ws.closeStatusCode();
      closed.complete(code == null ? -1 : (int) code);
    });
  }

  public static WsClient connect(Vertx vertx, int port, String path, MultiMap headers) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .setAllowOriginHeader(headers != null && headers.contains("Origin"));
    if (headers != null) o.setHeaders(headers);
    try {
      // Handlers are attached as the handshake completes, on the event loop: a server that writes
      // (or closes) right after the upgrade loses nothing to the hand-over to the test thread.
      return client.connect(o).map(ws -> new WsClient(client, ws))
          .toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("WebSocket connect failed", e);
    }
  }

  public WsClient send(String frame) {
    ws.writeTextMessage(frame);
    return this;
  }

  public WsClient sendBinary(byte[] frame) {
    ws.writeBinaryMessage(Buffer.buffer(frame));
    return this;
  }

  /** Sends a connect command with the token and waits for its reply. */
  public JsonObject connect(String token) {
    JsonObject connect = new JsonObject().put("name", "test");
    if (token != null) connect.put("token", token);
    send(new JsonObject().put("connect", connect).put("id", 1).encode());
    return reply(1);
  }

  /** Sends one command and waits for the reply with its id. */
  public JsonObject call(int id, String method, JsonObject request) {
    send(new JsonObject().put(method, request).put("id", id).encode());
    return reply(id);
  }

  /** The next message, or fails after the bounded wait. */
  public JsonObject next() {
    try {
      JsonObject m = messages.poll(WAIT_MS, TimeUnit.MILLISECONDS);
      if (m == null) throw new AssertionError("no message within " + WAIT_MS + " ms");
      return m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The first message matching, skipping (and keeping nothing of) others. */
  public JsonObject next(Predicate<JsonObject> match) {
    return next(match, WAIT_MS);
  }

  /** The first message matching within waitMs. */
  public JsonObject next(Predicate<JsonObject> match, long waitMs) {
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no matching message within " + waitMs + " ms");
      try {
        JsonObject m = messages.poll(left, TimeUnit.MILLISECONDS);
        if (m != null && match.test(m)) return m;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  public JsonObject reply(int id) {
    return next(m -> m.getInteger("id", 0) == id);
  }

  /** The next push for the channel. */
  public JsonObject push(String channel) {
    return next(m -> m.containsKey("push") && channel.equals(m.getJsonObject("push").getString("channel")));
  }

  /** The next raw reply line containing the text, exactly as the server wrote it. */
  public String rawLineContaining(String text) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no line containing " + text + " within " + WAIT_MS + " ms");
      try {
        String line = rawLines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null && line.contains(text)) return line;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Frames received so far, as the server wrote them (several replies may share one frame). */
  public List<String> rawFrames() {
    List<String> out = new ArrayList<>();
    rawFrames.drainTo(out);
    return out;
  }

  /** Messages that arrived so far without waiting. */
  public List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>();
    messages.drainTo(out);
    return out;
  }

  /** Waits for the server to close the connection; returns the close status code. */
  public int awaitClose(long ms) {
    try {
      return closed.get(ms, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + ms + " ms", e);
    }
  }

  public int awaitClose() {
    return awaitClose(WAIT_MS);
  }

  public String closeReason() { return closeReason; }

  public boolean isClosed() { return closed.isDone(); }

  public void pause() { ws.pause(); }

  @Override
  public void close() {
    if (!closed.isDone()) ws.close();
    client.close();
  }
}
