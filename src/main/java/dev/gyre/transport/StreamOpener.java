package dev.gyre.transport;

import dev.gyre.node.Node;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.session.ClientSession;
import dev.gyre.session.SessionContext;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Turns an accepted HTTP request into an endless response carrying a new session: counts the
 * connection against {@code client.connection_limit} (503 when reached or shutting down), sends
 * 200 and the streaming headers at once, and ties the session's end to the response's: the
 * client aborting the request closes the session, the session closing ends the response.
 */
final class StreamOpener {
  /** A session and the stream transport that carries it. */
  record Opened(ClientSession session, ResponseStreamTransport transport) {}

  private final SessionContext sessions;
  private final Node node;

  StreamOpener(SessionContext sessions) {
    this.sessions = sessions;
    this.node = sessions.node();
  }

  /**
   * Opens the stream, or answers 503 and returns null.
   *
   * @param transports makes the transport from the response and a new session id
   */
  Opened open(RoutingContext rc, ProtocolCodec codec,
              BiFunction<HttpServerResponse, String, ResponseStreamTransport> transports) {
    if (node.shuttingDown() || !node.tryAcquireConnection(sessions.config().client().connectionLimit())) {
      rc.response().setStatusCode(503).end();
      return null;
    }
    HttpServerResponse resp = rc.response();
    HttpGuard.streamHeaders(rc.request(), resp);
    ResponseStreamTransport transport = transports.apply(resp, UUID.randomUUID().toString());
    ClientSession session = new ClientSession(sessions, transport, codec);
    transport.onFinish(() -> {
      node.releaseConnection();
      session.transportClosed();
    });
    resp.closeHandler(v -> transport.finish());
    resp.exceptionHandler(err -> transport.finish());
    transport.start();
    return new Opened(session, transport);
  }
}
