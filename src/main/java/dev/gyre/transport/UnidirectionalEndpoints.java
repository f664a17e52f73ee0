package dev.gyre.transport;

import dev.gyre.config.StreamTransports;
import dev.gyre.node.Node;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.json.JsonCommandDecoder;
import dev.gyre.protocol.json.JsonUnidirectionalCodec;
import dev.gyre.session.ClientSession;
import dev.gyre.session.SessionContext;
import dev.gyre.transport.websocket.WebSocketConnection;
import dev.gyre.transport.websocket.WebSocketListener;
import dev.gyre.transport.websocket.WebSocketUpgrade;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The unidirectional transports, JSON only (spec/client-protocol.md §1.7): the client sends one
 * bare ConnectRequest — as {@code cf_connect}, a POST body, or the first WebSocket message — and
 * then only reads bare pushes. A malformed request is answered 400 on the HTTP transports
 * (nothing was streamed yet) and closed with 3501 on the WebSocket.
 */
final class UnidirectionalEndpoints {
  private static final Logger log = LoggerFactory.getLogger(UnidirectionalEndpoints.class);
  private static final JsonUnidirectionalCodec CODEC = JsonUnidirectionalCodec.INSTANCE;
  private static final Request.Connect EMPTY = new Request.Connect("", null, Map.of(), "", "");

  private final StreamTransports config;
  private final SessionContext sessions;
  private final Node node;
  private final OriginCheck origins;
  private final HttpGuard guard;
  private final StreamOpener opener;
  private final WebSocketUpgrade.Options webSocketOptions;

  UnidirectionalEndpoints(StreamTransports config, SessionContext sessions, OriginCheck origins, HttpGuard guard,
                          StreamOpener opener) {
    this.config = config;
    this.sessions = sessions;
    this.node = sessions.node();
    this.origins = origins;
    this.guard = guard;
    this.opener = opener;
    this.webSocketOptions = new WebSocketUpgrade.Options(List.of(TransportVerticle.JSON_SUBPROTOCOL,
        TransportVerticle.PROTOBUF_SUBPROTOCOL), config.uniWebSocket().maxRequestBodySize(),
        TransportVerticle.WEBSOCKET_CLOSING_TIMEOUT_MS, config.uniWebSocketWriteTimeout().toMillis());
  }

  void mount(Router router) {
    StreamTransports.Endpoint hs = config.uniHttpStream();
    if (hs.enabled()) {
      router.route(hs.handlerPrefix()).handler(EmulationEndpoints.body(hs.maxRequestBodySize()))
          .handler(guard.allow(Set.of(HttpMethod.POST))).handler(this::httpStream);
    }
    StreamTransports.Endpoint sse = config.uniSse();
    if (sse.enabled()) {
      router.route(sse.handlerPrefix()).handler(EmulationEndpoints.body(sse.maxRequestBodySize()))
          .handler(guard.allow(Set.of(HttpMethod.GET, HttpMethod.POST))).handler(this::sse);
    }
    if (config.uniWebSocket().enabled()) {
      router.route(config.uniWebSocket().handlerPrefix()).handler(this::websocket);
    }
  }

  private void httpStream(RoutingContext rc) {
    Request.Connect connect = decode(EmulationEndpoints.bytes(rc));
    if (connect == null) {
      EmulationEndpoints.status(rc, 400);
      return;
    }
    StreamOpener.Opened o = opener.open(rc, CODEC,
        (resp, id) -> new HttpStreamTransport("uni_http_stream", resp, CODEC, id, false));
    if (o != null) o.session().handleConnect(connect);
  }

  /** GET with an optional cf_connect (absent: an empty connect request) or POST with the request as body. */
  private void sse(RoutingContext rc) {
    Request.Connect connect;
    if (rc.request().method() == HttpMethod.GET) {
      String param = rc.request().getParam("cf_connect");
      if (param != null && param.length() > config.uniSse().maxRequestBodySize()) {
        EmulationEndpoints.status(rc, 413);
        return;
      }
      connect = param == null || param.isEmpty() ? EMPTY : decode(param.getBytes(StandardCharsets.UTF_8));
    } else {
      connect = decode(EmulationEndpoints.bytes(rc));
    }
    if (connect == null) {
      EmulationEndpoints.status(rc, 400);
      return;
    }
    StreamOpener.Opened o = opener.open(rc, CODEC, (resp, id) -> new SseTransport("uni_sse", resp, CODEC, id, false));
    if (o != null) o.session().handleConnect(connect);
  }

  private static Request.Connect decode(byte[] body) {
    try {
      return JsonCommandDecoder.decodeConnectRequest(body);
    } catch (DisconnectException e) {
      return null;
    }
  }

  private void websocket(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    if (!origins.allowed(req.getHeader(HttpHeaders.ORIGIN))) {
      log.info("refused unidirectional WebSocket upgrade from origin {}", req.getHeader(HttpHeaders.ORIGIN));
      EmulationEndpoints.status(rc, 403);
      return;
    }
    if (node.shuttingDown() || !node.tryAcquireConnection(sessions.config().client().connectionLimit())) {
      EmulationEndpoints.status(rc, 503);
      return;
    }
    String param = req.getParam("cf_connect");
    WebSocketUpgrade.upgrade(req, webSocketOptions, ws -> accept(ws, param))
        .onFailure(err -> node.releaseConnection());
  }

  /** The connect message is bounded by uni_websocket.message_size_limit: the connection closes with 1009 past it. */
  private WebSocketListener accept(WebSocketConnection ws, String cfConnect) {
    UniWebSocketTransport transport = new UniWebSocketTransport(ws, CODEC, UUID.randomUUID().toString());
    ClientSession session = new ClientSession(sessions, transport, CODEC);
    if (cfConnect != null && !cfConnect.isEmpty() && transport.takeConnect()) {
      connect(session, cfConnect.getBytes(StandardCharsets.UTF_8));
    }
    return new WebSocketSessionListener(node, session, transport::closeTooBig) {
      @Override public void onMessage(byte[] data, boolean binary) {
        if (transport.takeConnect()) connect(session, data);
      }
    };
  }

  private static void connect(ClientSession session, byte[] request) {
    Request.Connect connect = decode(request);
    if (connect == null) session.close(DisconnectCode.BAD_REQUEST.toDisconnect());
    else session.handleConnect(connect);
  }
}
