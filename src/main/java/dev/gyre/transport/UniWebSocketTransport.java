package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.session.Transport;
import dev.gyre.transport.websocket.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

/**
 * The unidirectional WebSocket (spec/client-protocol.md §1.7, §3.5): bare JSON pushes in text
 * frames; a disconnect is a disconnect push followed by a close frame with the code and reason.
 * The client sends only its connect request (or nothing, when it came as {@code cf_connect}).
 */
final class UniWebSocketTransport implements Transport {
  private final WebSocketConnection ws;
  private final ProtocolCodec codec;
  private final String sessionId;
  private boolean connectReceived;
  private boolean closed;

  UniWebSocketTransport(WebSocketConnection ws, ProtocolCodec codec, String sessionId) {
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
    if (!closed) ws.writeText(frame);
  }

  @Override public boolean writeQueueFull() { return ws.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { ws.drainHandler(onDrain); }

  @Override public void pause() { ws.pause(); }

  @Override public void resume() { ws.resume(); }

  /** Closes with 1009 after an oversized connect message. */
  void closeTooBig() {
    if (closed) return;
    closed = true;
    ws.close(1009, WebSocketTransport.TOO_BIG_REASON);
  }

  @Override
  public void close(Disconnect d) {
    if (closed) return;
    closed = true;
    if (!ws.isClosed()) {
      ws.writeText(codec.push(new Push.Disconnect(d.code(), d.reason())));
      ws.close(d.code(), d.reason());
    }
  }
}
