package dev.gyre.api.grpc;

import com.google.protobuf.Message;
import dev.gyre.api.ApiError;
import dev.gyre.api.ApiException;
import dev.gyre.api.ApiExecutor;
import dev.gyre.api.pb.BatchRequest;
import dev.gyre.api.pb.BatchResponse;
import dev.gyre.api.pb.BroadcastResponse;
import dev.gyre.api.pb.CentrifugoApiGrpcService;
import dev.gyre.api.pb.ChannelsResponse;
import dev.gyre.api.pb.DisconnectResponse;
import dev.gyre.api.pb.HistoryRemoveResponse;
import dev.gyre.api.pb.HistoryResponse;
import dev.gyre.api.pb.InfoResponse;
import dev.gyre.api.pb.MapClearResponse;
import dev.gyre.api.pb.MapPublishResponse;
import dev.gyre.api.pb.MapReadStateResponse;
import dev.gyre.api.pb.MapReadStreamResponse;
import dev.gyre.api.pb.MapRemoveResponse;
import dev.gyre.api.pb.MapStatsResponse;
import dev.gyre.api.pb.PresenceResponse;
import dev.gyre.api.pb.PresenceStatsResponse;
import dev.gyre.api.pb.PublishResponse;
import dev.gyre.api.pb.RPCResponse;
import dev.gyre.api.pb.RefreshResponse;
import dev.gyre.api.pb.SharedPollPublishResponse;
import dev.gyre.api.pb.SubscribeResponse;
import dev.gyre.api.pb.UnsubscribeResponse;
import dev.gyre.config.GyreConfig;
import dev.gyre.server.Services;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The gRPC server API (spec/server-api.md §9) on its own port: service
 * {@code centrifugal.centrifugo.api.CentrifugoApi}. Each call is converted into the request tree
 * the HTTP API builds, run by {@link ApiExecutor}, and its result or error converted back; no
 * logic of its own beyond the key check and the error mode. PRO RPCs are not bound, so they
 * answer UNIMPLEMENTED.
 */
public final class GrpcApiVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GrpcApiVerticle.class);
  static final String ERROR_MODE_HEADER = "x-centrifugo-error-mode";

  private final Services services;
  private final GyreConfig.GrpcApi config;
  private final byte[] expectedAuthorization;
  private ApiExecutor executor;
  private HttpServer server;

  public GrpcApiVerticle(Services services) {
    this.services = services;
    this.config = services.config().grpcApi();
    this.expectedAuthorization = config.key().isEmpty() ? null
        : ("apikey " + config.key()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Future<?> start() {
    executor = new ApiExecutor(vertx, services, "grpc");
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.maxReceiveMessageSize()));
    grpc.callHandler(CentrifugoApiGrpcService.Batch, this::batch);
    bind(grpc, CentrifugoApiGrpcService.Publish, "publish", PublishResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Broadcast, "broadcast", BroadcastResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Subscribe, "subscribe", SubscribeResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Unsubscribe, "unsubscribe", UnsubscribeResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Disconnect, "disconnect", DisconnectResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Presence, "presence", PresenceResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.PresenceStats, "presence_stats", PresenceStatsResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.History, "history", HistoryResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.HistoryRemove, "history_remove", HistoryRemoveResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Info, "info", InfoResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.RPC, "rpc", RPCResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Refresh, "refresh", RefreshResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.Channels, "channels", ChannelsResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapPublish, "map_publish", MapPublishResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapRemove, "map_remove", MapRemoveResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapReadState, "map_read_state", MapReadStateResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapReadStream, "map_read_stream", MapReadStreamResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapStats, "map_stats", MapStatsResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.MapClear, "map_clear", MapClearResponse::newBuilder);
    bind(grpc, CentrifugoApiGrpcService.SharedPollPublish, "shared_poll_publish", SharedPollPublishResponse::newBuilder);
    String host = config.address().isEmpty() ? "0.0.0.0" : config.address();
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(config.port())).requestHandler(grpc);
    return server.listen().onSuccess(s -> log.info("gRPC server API listening on {}:{}", host, s.actualPort()));
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private <Req extends Message, Resp> void bind(GrpcServer grpc, ServiceMethod<Req, Resp> method, String name,
                                                Supplier<Message.Builder> response) {
    grpc.callHandler(method, call -> {
      if (!authorized(call.headers())) {
        unauthenticated(call.response());
        return;
      }
      boolean transportMode = "transport".equals(config.errorMode())
          || "transport".equalsIgnoreCase(call.headers().get(ERROR_MODE_HEADER));
      call.last()
          .compose(request -> executor.execute(name, ProtoJson.toJson(request)))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              send(call.response(), () -> ProtoJson.fromJson(new JsonObject().put("result", ar.result()), response.get()));
            } else if (transportMode) {
              GrpcStatuses.fail(call.response(), apiError(ar.cause()));
            } else {
              send(call.response(), () -> ProtoJson.fromJson(ApiExecutor.errorObject(ar.cause()), response.get()));
            }
          });
    });
  }

  /** Batch never answers with an error status (spec §6.14), in either error mode. */
  private void batch(GrpcServerRequest<BatchRequest, BatchResponse> call) {
    if (!authorized(call.headers())) {
      unauthenticated(call.response());
      return;
    }
    call.last()
        .compose(request -> executor.batch(ProtoJson.toJson(request)))
        .onComplete(ar -> {
          if (ar.failed()) {
            call.response().status(GrpcStatus.INTERNAL).statusMessage(ApiError.INTERNAL.message()).end();
            return;
          }
          send(call.response(), () -> ProtoJson.fromJson(ar.result(), BatchResponse.newBuilder()));
        });
  }

  /** {@code authorization} must be exactly {@code apikey <key>} when a key is set; constant-time. */
  private boolean authorized(MultiMap headers) {
    if (expectedAuthorization == null) return true;
    String given = headers.get("authorization");
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
  }

  private static void unauthenticated(GrpcServerResponse<?, ?> response) {
    response.status(GrpcStatus.UNAUTHENTICATED).statusMessage("unauthenticated").end();
  }

  @SuppressWarnings("unchecked")
  private static <Resp> void send(GrpcServerResponse<?, Resp> response, Supplier<Message.Builder> build) {
    Message message;
    try {
      message = build.get().build();
    } catch (RuntimeException e) {
      log.warn("cannot convert a server API result into its gRPC response", e);
      response.status(GrpcStatus.INTERNAL).statusMessage(ApiError.INTERNAL.message()).end();
      return;
    }
    response.end((Resp) message);
  }

  private static ApiError apiError(Throwable err) {
    if (err instanceof ApiException a) return a.error();
    if (!(err instanceof RuntimeException)) log.debug("gRPC request failed", err);
    return ApiError.INTERNAL;
  }
}
