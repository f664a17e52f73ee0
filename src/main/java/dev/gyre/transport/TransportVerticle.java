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
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
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

  private final Services services;
  private final GyreConfig config;
  private final Node node;
  private final String hubAddress = "gyre.hub." + UUID.randomUUID();
  private SessionContext sessions;
  private ProtocolCodec protobuf;
  private OriginCheck origins;
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
    NodeControl control = new NodeControl(registry, sessions.hub(), node);
    controlConsumer = vertx.eventBus().consumer(Node.CONTROL_ADDRESS, control::onControl);
    surveyConsumer = vertx.eventBus().localConsumer(hubAddress, control::onSurvey);
    node.addHub(hubAddress);

    Router router = Router.router(vertx);
    if (!config.websocket().disabled()) router.route(config.websocket().handlerPrefix()).handler(this::websocket);
    mountStreams(router);
    router.route(config.healthPath()).handler(this::health);
    if (config.prometheus()) router.get(config.prometheusPath()).handler(this::metrics);
    if (!config.httpApi().disabled()) {
      new HttpApiHandler(new ApiExecutor(vertx, services), config).mount(router);
    }
    int limit = config.websocket().messageSizeLimit();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.address().isEmpty() ? "0.0.0.0" : config.address())
        .setPort(config.port())
        // A frame may be up to twice the limit so that an oversized message is read and answered
        // with close 1009; a larger frame is dropped by the decoder before any allocation.
        .setMaxWebSocketFrameSize(limit * 2)
        .setMaxWebSocketMessageSize(limit)
        // Per-message deflate stays off: an inflated message could exceed the size limit (zip bomb).
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketClosingTimeout(5)
        // SSE connect requests travel in the URL (cf_connect), URL-encoded: room for the body limit.
        .setMaxInitialLineLength(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH
            + 3 * Math.max(config.streams().sse().maxRequestBodySize(), config.streams().uniSse().maxRequestBodySize()))
        // Netty picks the first subprotocol the client offers that is listed here and echoes it
        // in the 101 response (browsers abort the connection when an offered one is not echoed).
        .addWebSocketSubProtocol(JSON_SUBPROTOCOL)
        .addWebSocketSubProtocol(PROTOBUF_SUBPROTOCOL);
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
    req.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        node.releaseConnection();
        return;
      }
      ServerWebSocket ws = ar.result();
      boolean useProtobuf = protobufQuery || PROTOBUF_SUBPROTOCOL.equals(ws.subProtocol());
      accept(ws, nativePing, useProtobuf ? protobuf : JsonCodec.INSTANCE);
    });
  }

  /** HTTP-streaming, SSE, the emulation endpoint and the unidirectional transports, those enabled. */
  private void mountStreams(Router router) {
    HttpGuard guard = new HttpGuard(origins);
    StreamOpener opener = new StreamOpener(sessions);
    new EmulationEndpoints(vertx, config.streams(), node, guard, opener, new WireFormats(protobuf)).mount(router);
    new UnidirectionalEndpoints(config.streams(), sessions, origins, guard, opener).mount(router);
  }

  static boolean isTooBig(Throwable err) {
    return err instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException
        || (err instanceof IllegalStateException && String.valueOf(err.getMessage()).contains("max message size"));
  }

  /** Serves one upgraded connection in the chosen format (spec/client-protocol.md §1.2). */
  private void accept(ServerWebSocket ws, boolean nativePing, ProtocolCodec codec) {
    WebSocketTransport transport = new WebSocketTransport(vertx, ws, nativePing, codec.binary());
    ClientSession session = new ClientSession(sessions, transport, codec);
    ws.textMessageHandler(text -> session.handleFrame(text.getBytes(StandardCharsets.UTF_8)));
    ws.binaryMessageHandler(bin -> session.handleFrame(bin.getBytes()));
    ws.pongHandler(p -> session.onNativePong());
    ws.exceptionHandler(err -> {
      if (isTooBig(err)) {
        transport.closeTooBig();
        session.transportClosed();
      } else {
        log.debug("websocket error: {}", err.toString());
      }
    });
    ws.closeHandler(v -> {
      node.releaseConnection();
      session.transportClosed();
    });
  }
}
