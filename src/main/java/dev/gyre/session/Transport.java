package dev.gyre.session;

import dev.gyre.protocol.Disconnect;
import io.vertx.core.buffer.Buffer;

/**
 * How bytes reach one client. A session never knows which transport carries it. All methods are
 * called on the session's event loop.
 */
public interface Transport {

  /** Transport name for metrics and logs: websocket, sse, http_stream, ... */
  String name();

  /** Writes one frame holding one or more encoded replies (JSON: joined by {@code \n}). */
  void write(Buffer frame);

  /** Whether the underlying write queue is full; the session then holds frames in its own queue. */
  boolean writeQueueFull();

  /** Called once when a full write queue has drained. */
  void drainHandler(Runnable onDrain);

  /** Stops or restarts reading client frames (backpressure while a command is in progress). */
  void pause();

  void resume();

  /** Closes the transport, delivering the disconnect the way this transport can. */
  void close(Disconnect disconnect);

  /** Whether server pings are native transport pings instead of protocol pings. */
  default boolean nativePing() { return false; }

  /** Sends a native ping (only when {@link #nativePing()}). */
  default void ping() {}
}
