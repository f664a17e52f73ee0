package dev.gyre.transport;

import dev.gyre.config.StreamTransports;
import dev.gyre.node.Node;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.EmulationRequest;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.json.JsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The bidirectional emulation (spec/client-protocol.md §1.4–1.6): HTTP-streaming and SSE
 * connections, whose later commands arrive through the emulation endpoint.
 *
 * <p>A session lives on the event loop of the verticle instance that accepted its stream, but an
 * emulation request may land on any instance. Each emulated session therefore consumes a local
 * event-bus address named by its session id; the emulation endpoint sends the command frame
 * there and the session handles it on its own event loop, exactly as a WebSocket frame. The
 * consumer is registered before the connect frame is handled, so it exists before the client
 * learns the session id.
 */
final class EmulationEndpoints {
  /** Prefix of the event-bus address of an emulated session. */
  static final String ADDRESS_PREFIX = "gyre.emulation.";
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(5000);

  private final Vertx vertx;
  private final StreamTransports config;
  private final Node node;
  private final HttpGuard guard;
  private final StreamOpener opener;
  private final WireFormats formats;

  EmulationEndpoints(Vertx vertx, StreamTransports config, Node node, HttpGuard guard, StreamOpener opener,
                     WireFormats formats) {
    this.vertx = vertx;
    this.config = config;
    this.node = node;
    this.guard = guard;
    this.opener = opener;
    this.formats = formats;
  }

  void mount(Router router) {
    StreamTransports.Endpoint hs = config.httpStream();
    if (hs.enabled()) {
      router.route(hs.handlerPrefix()).handler(body(hs.maxRequestBodySize()))
          .handler(guard.allow(Set.of(HttpMethod.POST))).handler(this::httpStream);
    }
    StreamTransports.Endpoint sse = config.sse();
    if (sse.enabled()) {
      router.route(sse.handlerPrefix()).handler(body(sse.maxRequestBodySize()))
          .handler(guard.allow(Set.of(HttpMethod.GET, HttpMethod.POST))).handler(this::sse);
    }
    StreamTransports.Endpoint em = config.emulation();
    if (config.emulationEnabled()) {
      router.route(em.handlerPrefix()).handler(body(em.maxRequestBodySize()))
          .handler(guard.allow(Set.of(HttpMethod.POST))).handler(this::emulation);
    }
  }

  static BodyHandler body(int limit) {
    return BodyHandler.create(false).setBodyLimit(limit);
  }

  static byte[] bytes(RoutingContext rc) {
    Buffer b = rc.body().buffer();
    return b == null ? new byte[0] : b.getBytes();
  }

  static void status(RoutingContext rc, int status) {
    rc.response().setStatusCode(status).end();
  }

  private void httpStream(RoutingContext rc) {
    ProtocolCodec codec = formats.codec(rc.request().getHeader(HttpHeaders.CONTENT_TYPE));
    open(rc, codec, bytes(rc), (resp, id) -> new HttpStreamTransport("http_stream", resp, codec, id, true));
  }

  /**
   * SSE is JSON only (spec/client-protocol.md §1.5); the connect frame comes as the cf_connect
   * parameter or as the POST body. A POST declaring a Protobuf body is answered 415: no format
   * can be chosen for it, and reading it as JSON would only end in a bad-request disconnect.
   */
  private void sse(RoutingContext rc) {
    byte[] frame;
    if (rc.request().method() == HttpMethod.POST
        && WireFormats.isBinary(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      status(rc, 415);
      return;
    }
    if (rc.request().method() == HttpMethod.GET) {
      String connect = rc.request().getParam("cf_connect");
      if (connect == null) {
        status(rc, 400);
        return;
      }
      frame = connect.getBytes(StandardCharsets.UTF_8);
      if (frame.length > config.sse().maxRequestBodySize()) {
        status(rc, 413);
        return;
      }
    } else {
      frame = bytes(rc);
    }
    open(rc, JsonCodec.INSTANCE, frame, (resp, id) -> new SseTransport("sse", resp, JsonCodec.INSTANCE, id, true));
  }

  private void open(RoutingContext rc, ProtocolCodec codec, byte[] connectFrame,
                    BiFunction<HttpServerResponse, String, ResponseStreamTransport> transports) {
    StreamOpener.Opened o = opener.open(rc, codec, transports);
    if (o == null) return;
    // A cluster-wide consumer: an /emulation request that lands on another node reaches it too.
    MessageConsumer<Buffer> commands = vertx.eventBus().consumer(ADDRESS_PREFIX + o.transport().sessionId(),
        msg -> {
          o.session().handleFrame(msg.body().getBytes());
          msg.reply(null);
        });
    o.transport().onFinish(commands::unregister);
    commands.completion().onComplete(ar -> {
      if (ar.succeeded()) o.session().handleFrame(connectFrame);
      else o.session().close(DisconnectCode.INTERNAL.toDisconnect());
    });
  }

  /**
   * Hands a command frame to its session: 204 once the session took it, or when the session is
   * unknown or gone (the commands are dropped, as Centrifugo does); 404 for a node the cluster
   * does not know; 400 for a malformed body (JSON, or Protobuf with octet-stream); 500 when the
   * owning event loop did not take it in time.
   */
  private void emulation(RoutingContext rc) {
    Function<byte[], EmulationRequest> decoder =
        WireFormats.emulationDecoder(rc.request().getHeader(HttpHeaders.CONTENT_TYPE));
    EmulationRequest req;
    try {
      req = decoder.apply(bytes(rc));
    } catch (EmulationRequest.MalformedException e) {
      status(rc, 400);
      return;
    }
    if (!req.node().isEmpty() && !node.knows(req.node())) {
      status(rc, 404);
      return;
    }
    vertx.eventBus().request(ADDRESS_PREFIX + req.session(), Buffer.buffer(req.data()), DELIVERY)
        .onComplete(ar -> {
          boolean taken = ar.succeeded()
              || (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS);
          if (!rc.response().ended() && !rc.response().closed()) status(rc, taken ? 204 : 500);
        });
  }
}
