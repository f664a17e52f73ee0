package dev.gyre.transport;

import dev.gyre.channel.ChannelRules;
import dev.gyre.config.StreamTransports;
import dev.gyre.hub.Hub;
import dev.gyre.node.Node;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.protobuf.ProtobufCommandDecoder;
import dev.gyre.protocol.protobuf.ProtobufUnidirectionalCodec;
import dev.gyre.server.Services;
import dev.gyre.session.ClientSession;
import dev.gyre.session.FlushScheduler;
import dev.gyre.session.SessionContext;
import dev.gyre.session.SessionRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The unidirectional gRPC transport (spec/client-protocol.md §1.7) on its own port: service
 * {@code centrifugal.centrifugo.unistream.CentrifugoUniStream}, server-streaming
 * {@code Consume(ConnectRequest) returns (stream Push)} (src/main/proto/unistream.proto). The
 * method is bound with raw-bytes codecs: the request is decoded as the client protocol's
 * {@code ConnectRequest} (same field numbers) and pushes go out as the bytes encoded once for every
 * Protobuf subscriber, sliced out of their reply wrapper. Like a transport verticle instance, it
 * owns its sessions and hub on its event loop and answers the node's control messages and surveys.
 *
 * <p>A malformed request ends the call with INVALID_ARGUMENT before any session exists; a full
 * node or one shutting down answers UNAVAILABLE. Connect errors become a disconnect push followed
 * by the end of the stream (status OK), as on the other unidirectional streams.
 */
public final class UniGrpcVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(UniGrpcVerticle.class);
  static final ServiceName SERVICE = ServiceName.create("centrifugal.centrifugo.unistream", "CentrifugoUniStream");
  static final ServiceMethod<Buffer, Buffer> CONSUME =
      ServiceMethod.server(SERVICE, "Consume", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private final Services services;
  private final StreamTransports.UniGrpc config;
  private final Node node;
  private final String hubAddress = "gyre.hub." + UUID.randomUUID();
  private SessionContext sessions;
  private HttpServer server;
  private MessageConsumer<JsonObject> controlConsumer;
  private MessageConsumer<JsonObject> surveyConsumer;

  public UniGrpcVerticle(Services services) {
    this.services = services;
    this.config = services.config().streams().uniGrpc();
    this.node = services.node();
  }

  @Override
  public Future<?> start() {
    SessionRegistry registry = new SessionRegistry();
    sessions = new SessionContext(vertx, services, new ChannelRules(services.config()),
        new Hub(vertx.eventBus(), node), registry, new FlushScheduler(vertx));
    NodeControl control = new NodeControl(registry, sessions.hub(), node);
    controlConsumer = vertx.eventBus().consumer(Node.CONTROL_ADDRESS, control::onControl);
    surveyConsumer = vertx.eventBus().localConsumer(hubAddress, control::onSurvey);
    node.addHub(hubAddress);

    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.maxReceiveMessageSize()));
    grpc.callHandler(CONSUME, this::consume);
    String host = config.address().isEmpty() ? "0.0.0.0" : config.address();
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(config.port())).requestHandler(grpc);
    return Future.all(controlConsumer.completion(), surveyConsumer.completion())
        .compose(v -> server.listen())
        .onSuccess(s -> log.info("uni gRPC transport listening on {}:{}", host, s.actualPort()));
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    node.removeHub(hubAddress);
    for (ClientSession s : sessions.registry().all()) s.close(DisconnectCode.SHUTDOWN.toDisconnect());
    return Future.all(server == null ? Future.succeededFuture() : server.close(),
        controlConsumer.unregister(), surveyConsumer.unregister());
  }

  private void consume(GrpcServerRequest<Buffer, Buffer> call) {
    call.last().onComplete(ar -> {
      if (ar.failed()) return; // the client went away before sending its request
      Request.Connect connect;
      try {
        connect = ProtobufCommandDecoder.decodeConnectRequest(ar.result().getBytes());
      } catch (DisconnectException e) {
        call.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage("bad request").end();
        return;
      }
      if (node.shuttingDown() || !node.tryAcquireConnection(services.config().client().connectionLimit())) {
        call.response().status(GrpcStatus.UNAVAILABLE).end();
        return;
      }
      GrpcUniTransport transport = new GrpcUniTransport(call.response(), UUID.randomUUID().toString());
      ClientSession session = new ClientSession(sessions, transport, ProtobufUnidirectionalCodec.INSTANCE);
      transport.onFinish(() -> {
        node.releaseConnection();
        session.transportClosed();
      });
      // A cancelled call or a lost connection resets the stream: the session goes with it.
      call.errorHandler(err -> transport.finish());
      call.exceptionHandler(err -> transport.finish());
      call.response().exceptionHandler(err -> transport.finish());
      session.handleConnect(connect);
    });
  }
}
