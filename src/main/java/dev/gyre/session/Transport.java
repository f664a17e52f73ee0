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

  /**
   * Whether this is a bidirectional emulation transport (HTTP-streaming, SSE): later commands
   * arrive through the emulation endpoint, and the connect reply names the {@link #sessionId()}
   * and the node so that the client can address them (spec/client-protocol.md §1.6, §4.3).
   */
  default boolean emulated() { return false; }

  /**
   * Whether the client only listens (spec/client-protocol.md §1.7): it sends nothing after its
   * connect request, so pings expect no pong and a connect error becomes a disconnect.
   */
  default boolean unidirectional() { return false; }

  /** The session id an emulated or unidirectional transport reports in the connect reply; empty otherwise. */
  default String sessionId() { return ""; }
}
