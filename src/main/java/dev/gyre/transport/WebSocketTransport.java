package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.session.Transport;
import dev.gyre.transport.websocket.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

/**
 * The bidirectional WebSocket transport: text frames for JSON, binary for Protobuf; disconnects as close
 * frames with the code and reason (spec/client-protocol.md §1.2, §3.5). After the close frame
 * the client has 5 s to answer before the TCP connection is dropped.
 */
final class WebSocketTransport implements Transport {
  static final String TOO_BIG_REASON = "message size limit exceeded";

  private final WebSocketConnection ws;
  private final boolean nativePing;
  private final boolean binary;
  private boolean closed;

  WebSocketTransport(WebSocketConnection ws, boolean nativePing, boolean binary) {
    this.ws = ws;
    this.nativePing = nativePing;
    this.binary = binary;
  }

  @Override public String name() { return "websocket"; }

  @Override
  public void write(Buffer frame) {
    if (closed) return;
    if (binary) ws.writeBinary(frame);
    else ws.writeText(frame);
  }

  /** A socket the peer already closed is never full: writes to it are dropped. */
  @Override public boolean writeQueueFull() { return ws.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { ws.drainHandler(onDrain); }

  @Override public void pause() { ws.pause(); }

  @Override public void resume() { ws.resume(); }

  @Override public boolean nativePing() { return nativePing; }

  @Override public void ping() { ws.writePing(); }

  /** Closes with 1009 after an oversized message; the SDKs do not reconnect after it. */
  void closeTooBig() {
    if (closed) return;
    closed = true;
    ws.close(1009, TOO_BIG_REASON);
  }

  @Override
  public void close(Disconnect d) {
    if (closed) return;
    closed = true;
    ws.close(d.code(), d.reason());
  }
}
