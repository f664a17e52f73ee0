package dev.gyre.testkit;

import com.google.protobuf.CodedInputStream;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A raw Protobuf protocol client over a real WebSocket: sends length-delimited commands in
 * binary frames and collects every delimited reply. Counts text frames, which a Protobuf
 * connection must never receive. Every wait is bounded.
 */
public final class PbWsClient implements AutoCloseable {
  public static final long WAIT_MS = WsClient.WAIT_MS;

  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final AtomicInteger textFrames = new AtomicInteger();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private PbWsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.binaryMessageHandler(this::onFrame);
    ws.textMessageHandler(t -> textFrames.incrementAndGet());
    ws.closeHandler(v -> {
      Short code = ws.closeStatusCode();
      closed.complete(code == null ? -1 : (int) code);
    });
  }

  /** Connects to {@code path} (which may carry a query), offering the given subprotocols. */
  public static PbWsClient connect(Vertx vertx, int port, String path, List<String> subProtocols) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .setSubProtocols(subProtocols).setAllowOriginHeader(false);
    try {
      WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
      return new PbWsClient(client, ws);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("WebSocket connect failed", e);
    }
  }

  private void onFrame(Buffer frame) {
    CodedInputStream in = CodedInputStream.newInstance(frame.getBytes());
    try {
      while (!in.isAtEnd()) {
        int len = in.readRawVarint32();
        replies.add(Reply.parseFrom(in.readRawBytes(len)));
      }
    } catch (IOException e) {
      replies.add(Reply.newBuilder().setId(-1).build()); // marks a malformed frame; tests fail on it
    }
  }

  /** The subprotocol the server echoed in its 101 response, or null. */
  public String subProtocol() { return ws.subProtocol(); }

  public int textFramesReceived() { return textFrames.get(); }

  /** Sends the commands, delimited, in one binary frame. */
  public PbWsClient send(Command... commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Command c : commands) c.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return sendRaw(out.toByteArray());
  }

  public PbWsClient sendRaw(byte[] frame) {
    ws.writeBinaryMessage(Buffer.buffer(frame));
    return this;
  }

  /** Connects with the token and returns the reply. */
  public Reply connect(String token) {
    send(Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(token).setName("test")).build());
    return reply(1);
  }

  public Reply next(Predicate<Reply> match) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no matching reply within " + WAIT_MS + " ms");
      try {
        Reply r = replies.poll(left, TimeUnit.MILLISECONDS);
        if (r != null && r.getId() == -1) throw new AssertionError("server sent a malformed Protobuf frame");
        if (r != null && match.test(r)) return r;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  public Reply reply(int id) {
    return next(r -> r.getId() == id);
  }

  public Reply push(String channel) {
    return next(r -> r.hasPush() && r.getPush().getChannel().equals(channel));
  }

  public int awaitClose() {
    try {
      return closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + WAIT_MS + " ms", e);
    }
  }

  public String closeReason() { return ws.closeReason(); }

  @Override
  public void close() {
    if (!closed.isDone()) ws.close();
    client.close();
  }
}
