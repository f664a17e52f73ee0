package dev.gyre.transport;

import dev.gyre.node.Node;
import dev.gyre.session.ClientSession;
import dev.gyre.transport.websocket.WebSocketListener;

/**
 * What both WebSocket transports do with their connection's end: an oversized message closes it
 * with 1009 and ends the session; a closed socket ends the session and frees its connection slot
 * (taken at the upgrade). Subclasses say what a message is.
 */
abstract class WebSocketSessionListener implements WebSocketListener {
  private final Node node;
  final ClientSession session;
  private final Runnable closeTooBig;

  WebSocketSessionListener(Node node, ClientSession session, Runnable closeTooBig) {
    this.node = node;
    this.session = session;
    this.closeTooBig = closeTooBig;
  }

  @Override public void onTooBig() {
    closeTooBig.run();
    session.transportClosed();
  }

  @Override public void onClosed() {
    node.releaseConnection();
    session.transportClosed();
  }
}
