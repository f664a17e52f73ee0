package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.session.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;

/**
 * The unidirectional WebSocket (spec/client-protocol.md §1.7, §3.5): bare JSON pushes in text
 * frames; a disconnect is a disconnect push followed by a close frame with the code and reason.
 * The client sends only its connect request (or nothing, when it came as {@code cf_connect}).
 */
final class UniWebSocketTransport implements Transport {
  private final ServerWebSocket ws;
  private final ProtocolCodec codec;
  private final String sessionId;
  private boolean connectReceived;
  private boolean closed;

  UniWebSocketTransport(ServerWebSocket ws, ProtocolCodec codec, String sessionId) {
    this.ws = ws;
    this.codec = codec;
    this.sessionId = sessionId;
  }

  /** True exactly once: for the message that carries the connect request. Later ones are ignored. */
  boolean takeConnect() {
    if (connectReceived) return false;
    connectReceived = true;
    return true;
  }

  @Override public String name() { return "uni_websocket"; }

  @Override public boolean unidirectional() { return true; }

  @Override public String sessionId() { return sessionId; }

  @Override
  public void write(Buffer frame) {
    if (closed || ws.isClosed()) return;
    ws.writeTextMessage(frame.toString(StandardCharsets.UTF_8));
  }

  @Override public boolean writeQueueFull() { return !ws.isClosed() && ws.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { ws.drainHandler(v -> onDrain.run()); }

  @Override public void pause() { ws.pause(); }

  @Override public void resume() { ws.resume(); }

  /** Closes with 1009 after an oversized connect message. */
  void closeTooBig() {
    if (closed) return;
    closed = true;
    ws.close((short) 1009, "message size limit exceeded");
  }

  @Override
  public void close(Disconnect d) {
    if (closed) return;
    closed = true;
    if (!ws.isClosed()) {
      write0(codec.push(new Push.Disconnect(d.code(), d.reason())));
      ws.close((short) d.code(), d.reason());
    }
  }

  private void write0(Buffer b) {
    ws.writeTextMessage(b.toString(StandardCharsets.UTF_8));
  }
}
