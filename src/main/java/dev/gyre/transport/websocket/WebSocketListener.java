package dev.gyre.transport.websocket;

/**
 * What a {@link WebSocketConnection} reports to its owner. Every call is made on the connection's
 * event loop, inside the Vert.x context the upgrade request came on, so that timers and futures
 * created in a callback stay on that context.
 */
public interface WebSocketListener {

  /** A whole message (fragments already joined, never longer than the size limit). */
  void onMessage(byte[] data, boolean binary);

  /** A pong frame arrived (an answer to {@link WebSocketConnection#writePing()}). */
  default void onPong() {}

  /**
   * A message went past the size limit. The connection reads nothing more; the owner closes it
   * (with 1009, as the SDKs expect).
   */
  void onTooBig();

  /** The TCP connection is gone; called exactly once, last. */
  void onClosed();
}
