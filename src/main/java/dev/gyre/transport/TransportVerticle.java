package dev.gyre.transport;

import dev.gyre.api.ApiExecutor;
import dev.gyre.api.HttpApiHandler;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.GyreConfig;
import dev.gyre.hub.Hub;
import dev.gyre.node.Node;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.protobuf.ProtobufCodec;
import dev.gyre.server.Services;
import dev.gyre.session.ClientSession;
import dev.gyre.session.FlushScheduler;
import dev.gyre.session.SessionContext;
import dev.gyre.session.SessionRegistry;
import dev.gyre.transport.websocket.WebSocketConnection;
import dev.gyre.transport.websocket.WebSocketListener;
import dev.gyre.transport.websocket.WebSocketUpgrade;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * One instance per event-loop core, all listening on the same port. Each owns its sessions and
 * its {@link Hub}; nothing here is shared with other instances except through the event bus and
 * the thread-safe {@link Node}. Serves the client transports, the HTTP API and /health.
 */
public final class TransportVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TransportVerticle.class);
  static final String JSON_SUBPROTOCOL = "centrifuge-json";
  static final String PROTOBUF_SUBPROTOCOL = "centrifuge-protobuf";
  /** How long a client has to answer the server's close frame before TCP is dropped. */
  static final long WEBSOCKET_CLOSING_TIMEOUT_MS = 5000;

  private final Services services;
  private final GyreConfig config;
  private final Node node;
  private final String hubAddress = "gyre.hub." + UUID.randomUUID();
  private SessionContext sessions;
  private ProtocolCodec protobuf;
  private OriginCheck origins;
  private WebSocketUpgrade.Options webSocketOptions;
  private HttpServer server;
  private MessageConsumer<JsonObject> controlConsumer;
  private MessageConsumer<JsonObject> surveyConsumer;

  public TransportVerticle(Services services) {
    this.services = services;
    this.config = services.config();
    this.node = services.node();
  }

  @Override
  public Future<?> start() {
    SessionRegistry registry = new SessionRegistry();
    sessions = new SessionContext(vertx, services, new ChannelRules(config), new Hub(vertx.eventBus(), node), registry,
        new FlushScheduler(vertx));
    origins = new OriginCheck(config.client().allowedOrigins());
    protobuf = new ProtobufCodec(config.websocket().messageSizeLimit());
    webSocketOptions = new WebSocketUpgrade.Options(List.of(JSON_SUBPROTOCOL, PROTOBUF_SUBPROTOCOL),
        config.websocket().messageSizeLimit(), WEBSOCKET_CLOSING_TIMEOUT_MS, config.websocket().writeTimeout().toMillis());
    NodeControl control = new NodeControl(registry, sessions.hub(), node);
    controlConsumer = vertx.eventBus().consumer(Node.CONTROL_ADDRESS, control::onControl);
    surveyConsumer = vertx.eventBus().localConsumer(hubAddress, control::onSurvey);
    node.addHub(hubAddress);

    Router router = Router.router(vertx);
    answerClientErrorsQuietly(router);
    if (!config.websocket().disabled()) router.route(config.websocket().handlerPrefix()).handler(this::websocket);
    mountStreams(router);
    router.route(config.healthPath()).handler(this::health);
    if (config.prometheus()) router.get(config.prometheusPath()).handler(this::metrics);
    if (!config.httpApi().disabled()) {
      new HttpApiHandler(new ApiExecutor(vertx, services), config).mount(router);
    }
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.address().isEmpty() ? "0.0.0.0" : config.address())
        .setPort(config.port())
        // No WebSocket compression: with it on, Vert.x puts an extension handler in every HTTP
        // pipeline that negotiates per-message deflate during the 101 answer, and an inflated
        // message could pass the size limit (zip bomb).
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // SSE connect requests travel in the URL (cf_connect), URL-encoded: room for the body limit.
        .setMaxInitialLineLength(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH
            + 3 * Math.max(config.streams().sse().maxRequestBodySize(), config.streams().uniSse().maxRequestBodySize()));
    server = vertx.createHttpServer(options).requestHandler(router);
    return Future.all(controlConsumer.completion(), surveyConsumer.completion())
        .compose(v -> server.listen())
        .onSuccess(s -> log.debug("transport instance listening on {}", s.actualPort()));
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    node.removeHub(hubAddress);
    for (ClientSession s : sessions.registry().all()) s.close(DisconnectCode.SHUTDOWN.toDisconnect());
    return Future.all(server.close(), controlConsumer.unregister(), surveyConsumer.unregister());
  }

  private void health(RoutingContext rc) {
    String problem = services.history().healthProblem();
    int status = node.shuttingDown() || problem != null ? 503 : 200;
    String body = problem == null ? "{}" : new JsonObject().put("error", problem).encode();
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** Prometheus exposition; rendering walks every meter, so it runs off the event loop. */
  private void metrics(RoutingContext rc) {
    vertx.executeBlocking(() -> services.metrics().scrape(), false).onComplete(ar -> {
      if (ar.failed()) {
        rc.response().setStatusCode(500).end();
      } else {
        rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      }
    });
  }

  private void websocket(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    if (!origins.allowed(req.getHeader("Origin"))) {
      log.info("refused WebSocket upgrade from origin {}", req.getHeader("Origin"));
      rc.response().setStatusCode(403).end();
      return;
    }
    if (node.shuttingDown() || !node.tryAcquireConnection(config.client().connectionLimit())) {
      rc.response().setStatusCode(503).end();
      return;
    }
    boolean nativePing = "true".equals(req.getParam("cf_ws_frame_ping_pong"));
    boolean protobufQuery = "protobuf".equals(req.getParam("format")) || "protobuf".equals(req.getParam("cf_protocol"));
    WebSocketUpgrade.upgrade(req, webSocketOptions, ws -> {
      boolean useProtobuf = protobufQuery || PROTOBUF_SUBPROTOCOL.equals(ws.subprotocol());
      return accept(ws, nativePing, useProtobuf ? protobuf : JsonCodec.INSTANCE);
    }).onFailure(err -> node.releaseConnection());
  }

  /**
   * A request that fails with a 4xx (a body past its limit, say) is the client's error: it gets its
   * status and reason phrase, as by default, but no ERROR line in the log, which a client could
   * otherwise flood. Server errors (5xx) stay logged.
   */
  private static void answerClientErrorsQuietly(Router router) {
    for (int code = 400; code < 500; code++) {
      int status = code;
      router.errorHandler(status, rc -> {
        if (!rc.response().ended() && !rc.response().closed()) {
          rc.response().setStatusCode(status).end(io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase());
        }
      });
    }
  }

  /** HTTP-streaming, SSE, the emulation endpoint and the unidirectional transports, those enabled. */
  private void mountStreams(Router router) {
    HttpGuard guard = new HttpGuard(origins);
    StreamOpener opener = new StreamOpener(sessions);
    new EmulationEndpoints(vertx, config.streams(), node, guard, opener, new WireFormats(protobuf)).mount(router);
    new UnidirectionalEndpoints(config.streams(), sessions, origins, guard, opener).mount(router);
  }

  /** Serves one upgraded connection in the chosen format (spec/client-protocol.md §1.2). */
  private WebSocketListener accept(WebSocketConnection ws, boolean nativePing, ProtocolCodec codec) {
    WebSocketTransport transport = new WebSocketTransport(ws, nativePing, codec.binary());
    ClientSession session = new ClientSession(sessions, transport, codec);
    return new WebSocketSessionListener(node, session, transport::closeTooBig) {
      @Override public void onMessage(byte[] data, boolean binary) { session.handleFrame(data); }

      @Override public void onPong() { session.onNativePong(); }
    };
  }
}
