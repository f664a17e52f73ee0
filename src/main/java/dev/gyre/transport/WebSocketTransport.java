package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.session.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The bidirectional WebSocket transport: text frames for JSON, binary for Protobuf; disconnects as close
 * frames with the code and reason (spec/client-protocol.md §1.2, §3.5). After the close frame
 * the client has 5 s to answer before the TCP connection is dropped.
 */
final class WebSocketTransport implements Transport {
  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final boolean nativePing;
  private final boolean binary;
  private boolean closed;

  WebSocketTransport(Vertx vertx, ServerWebSocket ws, boolean nativePing, boolean binary) {
    this.vertx = vertx;
    this.ws = ws;
    this.nativePing = nativePing;
    this.binary = binary;
  }

  @Override public String name() { return "websocket"; }

  @Override
  public void write(Buffer frame) {
    if (closed || ws.isClosed()) return;
    if (binary) {
      ws.writeBinaryMessage(frame);
    } else {
      // The public text-frame API takes a String: decoding the shared UTF-8 bytes into a String
      // and encoding them again for every subscriber would undo "encode once". Vert.x's own
      // binary path builds the frame over the buffer's bytes the same way (no copy).
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true));
    }
  }

  /** A socket the peer already closed is never full: writes to it are dropped. */
  @Override public boolean writeQueueFull() { return !ws.isClosed() && ws.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { ws.drainHandler(v -> onDrain.run()); }

  @Override public void pause() { ws.pause(); }

  @Override public void resume() { ws.resume(); }

  @Override public boolean nativePing() { return nativePing; }

  @Override public void ping() { ws.writePing(Buffer.buffer()); }

  /** Closes with 1009 after an oversized message; the SDKs do not reconnect after it. */
  void closeTooBig() {
    if (closed) return;
    closed = true;
    ws.close((short) 1009, "message size limit exceeded");
  }

  @Override
  public void close(Disconnect d) {
    if (closed) return;
    closed = true;
    // The server's WebSocket closing timeout (5 s) drops TCP if the client never answers.
    ws.close((short) d.code(), d.reason());
  }
}
