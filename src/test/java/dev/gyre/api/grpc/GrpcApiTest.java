package dev.gyre.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.gyre.api.pb.BatchRequest;
import dev.gyre.api.pb.BatchResponse;
import dev.gyre.api.pb.BroadcastRequest;
import dev.gyre.api.pb.BroadcastResponse;
import dev.gyre.api.pb.CentrifugoApiGrpcClient;
import dev.gyre.api.pb.ChannelsRequest;
import dev.gyre.api.pb.ChannelsResponse;
import dev.gyre.api.pb.Command;
import dev.gyre.api.pb.HistoryRequest;
import dev.gyre.api.pb.HistoryResponse;
import dev.gyre.api.pb.InfoRequest;
import dev.gyre.api.pb.InfoResponse;
import dev.gyre.api.pb.MapStatsRequest;
import dev.gyre.api.pb.MapStatsResponse;
import dev.gyre.api.pb.PresenceRequest;
import dev.gyre.api.pb.PresenceResponse;
import dev.gyre.api.pb.PresenceStatsRequest;
import dev.gyre.api.pb.PresenceStatsResponse;
import dev.gyre.api.pb.PublishRequest;
import dev.gyre.api.pb.PublishResponse;
import dev.gyre.api.pb.RPCRequest;
import dev.gyre.api.pb.RPCResponse;
import dev.gyre.api.pb.StreamPosition;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC server API against a real node, with the generated Vert.x gRPC client (spec/server-api.md §9). */
class GrpcApiTest {
  static final String KEY = "grpc-secret";
  static final Map<String, String> AUTH = Map.of("authorization", "apikey " + KEY);

  static TestServer server;
  static SocketAddress address;
  static GrpcClient grpc;

  @BeforeAll
  static void start() {
    int grpcPort = TestServer.freePort();
    server = TestServer.start(new JsonObject()
        .put("grpc_api", new JsonObject().put("enabled", true).put("port", grpcPort).put("address", "127.0.0.1")
            .put("key", KEY))
        .put("channel", new JsonObject()
            .put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))
            .put("namespaces", new JsonArray()
                .add(new JsonObject().put("name", "chat").put("allow_subscribe_for_client", true)
                    .put("presence", true).put("history_size", 10).put("history_ttl", "300s")))));
    address = SocketAddress.inetSocketAddress(grpcPort, "127.0.0.1");
    grpc = GrpcClient.client(server.vertx);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What a call ended with: status, message, trailers and the response message (null without one). */
  record Outcome<T>(GrpcStatus status, String message, MultiMap trailers, T body) {}

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("gRPC call did not complete", e);
    }
  }

  /** One unary call through a generated client service method, with metadata. */
  static <Req, Resp> Outcome<Resp> call(ServiceMethod<Resp, Req> method, Req request, Map<String, String> metadata) {
    return await(grpc.request(address, method).compose(req -> {
      metadata.forEach((k, v) -> req.headers().set(k, v));
      req.end(request);
      return req.response().compose(resp -> {
        List<Resp> bodies = new ArrayList<>();
        resp.handler(bodies::add);
        // a response without a message is "trailers-only": its trailers arrive in the header frame
        return resp.end().transform(ar -> Future.succeededFuture(new Outcome<>(resp.status(), resp.statusMessage(),
            MultiMap.caseInsensitiveMultiMap().addAll(resp.headers()).addAll(resp.trailers()),
            bodies.isEmpty() ? null : bodies.get(0))));
      });
    }));
  }

  static <Req, Resp> Resp ok(ServiceMethod<Resp, Req> method, Req request) {
    Outcome<Resp> o = call(method, request, AUTH);
    assertThat(o.status()).isEqualTo(GrpcStatus.OK);
    return o.body();
  }

  static PublishRequest publish(String channel, String json) {
    return PublishRequest.newBuilder().setChannel(channel).setData(ByteString.copyFromUtf8(json)).build();
  }

  @Test
  void publishReachesAWebSocketSubscriber() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      c.call(2, "subscribe", new JsonObject().put("channel", "news"));
      PublishResponse r = ok(CentrifugoApiGrpcClient.Publish, publish("news", "{\"text\":\"from grpc\"}").toBuilder()
          .putTags("k", "v").build());
      assertThat(r.hasError()).isFalse();
      assertThat(r.hasResult()).isTrue();
      JsonObject pub = c.push("news").getJsonObject("push").getJsonObject("pub");
      assertThat(pub.getJsonObject("data")).isEqualTo(new JsonObject().put("text", "from grpc"));
      assertThat(pub.getJsonObject("tags")).isEqualTo(new JsonObject().put("k", "v"));
    }
  }

  @Test
  void publishErrorsTravelInTheResponseByDefault() {
    PublishResponse unknown = ok(CentrifugoApiGrpcClient.Publish, publish("nope:x", "{}"));
    assertThat(unknown.getError().getCode()).isEqualTo(102);
    assertThat(unknown.getError().getMessage()).isEqualTo("unknown channel");
    assertThat(unknown.hasResult()).isFalse();
    PublishResponse empty = ok(CentrifugoApiGrpcClient.Publish, PublishRequest.newBuilder().setChannel("news").build());
    assertThat(empty.getError().getCode()).isEqualTo(107);
    PublishResponse badB64 = ok(CentrifugoApiGrpcClient.Publish,
        PublishRequest.newBuilder().setChannel("news").setB64Data("!!").build());
    assertThat(badB64.getError().getCode()).isEqualTo(107);
  }

  @Test
  void binaryPayloadsAreStoredAsRawBytes() {
    byte[] binary = {0, (byte) 0xFF, 10};
    PublishResponse r = ok(CentrifugoApiGrpcClient.Publish,
        PublishRequest.newBuilder().setChannel("chat:bin").setData(ByteString.copyFrom(binary)).build());
    assertThat(r.getResult().getOffset()).isEqualTo(1);
    HistoryResponse h = ok(CentrifugoApiGrpcClient.History,
        HistoryRequest.newBuilder().setChannel("chat:bin").setLimit(-1).build());
    assertThat(h.getResult().getPublications(0).getData().toByteArray()).isEqualTo(binary);
  }

  @Test
  void broadcastAnswersPerChannel() {
    BroadcastResponse r = ok(CentrifugoApiGrpcClient.Broadcast, BroadcastRequest.newBuilder()
        .addChannels("chat:b1").addChannels("nope:b2").addChannels("news")
        .setData(ByteString.copyFromUtf8("{\"x\":1}")).build());
    assertThat(r.hasError()).isFalse();
    var responses = r.getResult().getResponsesList();
    assertThat(responses).hasSize(3);
    assertThat(responses.get(0).hasResult()).isTrue();
    assertThat(responses.get(0).getResult().getOffset()).isEqualTo(1);
    assertThat(responses.get(0).getResult().getEpoch()).isNotEmpty();
    assertThat(responses.get(1).getError().getCode()).isEqualTo(102);
    assertThat(responses.get(2).hasResult()).isTrue();
    BroadcastResponse none = ok(CentrifugoApiGrpcClient.Broadcast, BroadcastRequest.newBuilder()
        .setData(ByteString.copyFromUtf8("{}")).build());
    assertThat(none.getError().getCode()).isEqualTo(107);
  }

  @Test
  void historyReturnsPublicationsAndStreamTop() {
    PublishResponse first = ok(CentrifugoApiGrpcClient.Publish, publish("chat:h", "{\"n\":1}"));
    ok(CentrifugoApiGrpcClient.Publish, publish("chat:h", "{\"n\":2}"));
    HistoryResponse all = ok(CentrifugoApiGrpcClient.History,
        HistoryRequest.newBuilder().setChannel("chat:h").setLimit(-1).build());
    var res = all.getResult();
    assertThat(res.getOffset()).isEqualTo(2);
    assertThat(res.getEpoch()).isEqualTo(first.getResult().getEpoch()).isNotEmpty();
    assertThat(res.getPublicationsList()).extracting(p -> p.getData().toStringUtf8())
        .containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(res.getPublicationsList()).extracting(p -> p.getOffset()).containsExactly(1L, 2L);

    HistoryResponse since = ok(CentrifugoApiGrpcClient.History, HistoryRequest.newBuilder().setChannel("chat:h")
        .setLimit(10).setSince(StreamPosition.newBuilder().setOffset(1).setEpoch(res.getEpoch())).build());
    assertThat(since.getResult().getPublicationsList()).hasSize(1);
    HistoryResponse wrongEpoch = ok(CentrifugoApiGrpcClient.History, HistoryRequest.newBuilder().setChannel("chat:h")
        .setLimit(10).setSince(StreamPosition.newBuilder().setOffset(1).setEpoch("other")).build());
    assertThat(wrongEpoch.getError().getCode()).isEqualTo(112);
    HistoryResponse off = ok(CentrifugoApiGrpcClient.History, HistoryRequest.newBuilder().setChannel("news").build());
    assertThat(off.getError().getCode()).isEqualTo(108);
  }

  @Test
  void presenceAndStatsShowConnectedSubscribers() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("bob"));
      c.call(2, "subscribe", new JsonObject().put("channel", "chat:p"));
      PresenceResponse p = ok(CentrifugoApiGrpcClient.Presence, PresenceRequest.newBuilder().setChannel("chat:p").build());
      assertThat(p.getResult().getPresenceMap()).hasSize(1);
      var info = p.getResult().getPresenceMap().values().iterator().next();
      assertThat(info.getUser()).isEqualTo("bob");
      assertThat(info.getClient()).matches("[0-9a-f-]{36}");
      PresenceStatsResponse s = ok(CentrifugoApiGrpcClient.PresenceStats,
          PresenceStatsRequest.newBuilder().setChannel("chat:p").build());
      assertThat(s.getResult().getNumClients()).isEqualTo(1);
      assertThat(s.getResult().getNumUsers()).isEqualTo(1);
      ChannelsResponse ch = ok(CentrifugoApiGrpcClient.Channels, ChannelsRequest.newBuilder().setPattern("chat:*").build());
      assertThat(ch.getResult().getChannelsMap()).containsKey("chat:p");
      assertThat(ch.getResult().getChannelsMap().get("chat:p").getNumClients()).isEqualTo(1);
    }
    PresenceResponse off = ok(CentrifugoApiGrpcClient.Presence, PresenceRequest.newBuilder().setChannel("news").build());
    assertThat(off.getError().getCode()).isEqualTo(108);
  }

  @Test
  void infoDescribesTheNode() {
    InfoResponse r = ok(CentrifugoApiGrpcClient.Info, InfoRequest.getDefaultInstance());
    assertThat(r.getResult().getNodesList()).hasSize(1);
    var node = r.getResult().getNodes(0);
    assertThat(node.getUid()).isNotEmpty();
    assertThat(node.getName()).isNotEmpty();
    assertThat(node.getVersion()).endsWith(" OSS");
  }

  @Test
  void rpcAndMapMethodsAnswerLikeTheHttpApi() {
    RPCResponse rpc = ok(CentrifugoApiGrpcClient.RPC, RPCRequest.newBuilder().setMethod("m").build());
    assertThat(rpc.getError().getCode()).isEqualTo(104);
    assertThat(rpc.getError().getMessage()).isEqualTo("not found");
    MapStatsResponse map = ok(CentrifugoApiGrpcClient.MapStats, MapStatsRequest.newBuilder().setChannel("chat:m").build());
    assertThat(map.getError().getCode()).isEqualTo(104);
  }

  @Test
  void batchAnswersEachCommandInOrder() {
    for (boolean parallel : new boolean[] {false, true}) {
      BatchResponse r = ok(CentrifugoApiGrpcClient.Batch, BatchRequest.newBuilder().setParallel(parallel)
          .addCommands(Command.newBuilder().setPublish(publish("news", "{}")))
          .addCommands(Command.newBuilder().setPublish(publish("nope:x", "{}")))
          .addCommands(Command.getDefaultInstance())
          .addCommands(Command.newBuilder().setInfo(InfoRequest.getDefaultInstance()))
          .build());
      assertThat(r.getRepliesList()).hasSize(4);
      assertThat(r.getReplies(0).hasPublish()).isTrue();
      assertThat(r.getReplies(0).hasError()).isFalse();
      assertThat(r.getReplies(1).getError().getCode()).isEqualTo(102);
      assertThat(r.getReplies(2).getError().getCode()).isEqualTo(104);
      assertThat(r.getReplies(3).getInfo().getNodesCount()).isEqualTo(1);
    }
    assertThat(ok(CentrifugoApiGrpcClient.Batch, BatchRequest.getDefaultInstance()).getRepliesList()).isEmpty();
  }

  @Test
  void missingOrWrongKeyIsUnauthenticated() {
    for (Map<String, String> md : List.of(Map.<String, String>of(), Map.of("authorization", "apikey wrong"),
        Map.of("authorization", "ApiKey " + KEY), Map.of("authorization", KEY), Map.of("x-api-key", KEY))) {
      Outcome<PublishResponse> o = call(CentrifugoApiGrpcClient.Publish, publish("news", "{}"), md);
      assertThat(o.status()).as("metadata %s", md).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(o.message()).isEqualTo("unauthenticated");
      assertThat(o.body()).isNull();
    }
    Outcome<BatchResponse> batch = call(CentrifugoApiGrpcClient.Batch, BatchRequest.getDefaultInstance(), Map.of());
    assertThat(batch.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void transportErrorModePerCallMapsErrorsToStatuses() throws Exception {
    Map<String, String> md = Map.of("authorization", "apikey " + KEY, "x-centrifugo-error-mode", "transport");
    Outcome<PublishResponse> unknown = call(CentrifugoApiGrpcClient.Publish, publish("nope:x", "{}"), md);
    assertThat(unknown.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(unknown.message()).isEqualTo("unknown channel");
    assertErrorDetail(unknown.trailers(), GrpcStatus.NOT_FOUND, 102, "unknown channel");

    assertThat(call(CentrifugoApiGrpcClient.Publish, PublishRequest.newBuilder().setChannel("news").build(), md)
        .status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(call(CentrifugoApiGrpcClient.History, HistoryRequest.newBuilder().setChannel("news").build(), md)
        .status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    ok(CentrifugoApiGrpcClient.Publish, publish("chat:t", "{}"));
    Outcome<HistoryResponse> epoch = call(CentrifugoApiGrpcClient.History, HistoryRequest.newBuilder().setChannel("chat:t")
        .setSince(StreamPosition.newBuilder().setOffset(1).setEpoch("other")).build(), md);
    assertThat(epoch.status()).isEqualTo(GrpcStatus.OUT_OF_RANGE);
    assertThat(epoch.message()).isEqualTo("unrecoverable position");
    assertThat(call(CentrifugoApiGrpcClient.RPC, RPCRequest.newBuilder().setMethod("m").build(), md).status())
        .isEqualTo(GrpcStatus.NOT_FOUND);

    // success is unchanged, and batch never answers with an error status
    Outcome<PublishResponse> good = call(CentrifugoApiGrpcClient.Publish, publish("news", "{}"), md);
    assertThat(good.status()).isEqualTo(GrpcStatus.OK);
    assertThat(good.body().hasResult()).isTrue();
    Outcome<BatchResponse> batch = call(CentrifugoApiGrpcClient.Batch, BatchRequest.newBuilder()
        .addCommands(Command.newBuilder().setPublish(publish("nope:x", "{}"))).build(), md);
    assertThat(batch.status()).isEqualTo(GrpcStatus.OK);
    assertThat(batch.body().getReplies(0).getError().getCode()).isEqualTo(102);
  }

  /** grpc-status-details-bin holds google.rpc.Status{code, message, details:[Any{Error}]}. */
  static void assertErrorDetail(MultiMap trailers, GrpcStatus status, int code, String message) throws Exception {
    String b64 = trailers.get("grpc-status-details-bin");
    assertThat(b64).as("grpc-status-details-bin in %s", trailers).isNotNull();
    CodedInputStream s = CodedInputStream.newInstance(Base64.getDecoder().decode(b64));
    int statusCode = -1;
    String statusMessage = null;
    byte[] any = null;
    for (int tag; (tag = s.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> statusCode = s.readInt32();
        case 2 -> statusMessage = s.readString();
        case 3 -> any = s.readByteArray();
        default -> s.skipField(tag);
      }
    }
    assertThat(statusCode).isEqualTo(status.code);
    assertThat(statusMessage).isEqualTo(message);
    CodedInputStream a = CodedInputStream.newInstance(any);
    String typeUrl = null;
    byte[] value = null;
    for (int tag; (tag = a.readTag()) != 0; ) {
      if (tag >>> 3 == 1) typeUrl = a.readString();
      else if (tag >>> 3 == 2) value = a.readByteArray();
      else a.skipField(tag);
    }
    assertThat(typeUrl).isEqualTo("type.googleapis.com/centrifugal.centrifugo.api.Error");
    dev.gyre.api.pb.Error e = dev.gyre.api.pb.Error.parseFrom(value);
    assertThat(e.getCode()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @Test
  void proMethodsAreUnimplemented() {
    ServiceMethod<InfoResponse, InfoRequest> connections = ServiceMethod.client(
        ServiceName.create("centrifugal.centrifugo.api", "CentrifugoApi"), "Connections",
        GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(InfoResponse.newBuilder()));
    assertThat(call(connections, InfoRequest.getDefaultInstance(), AUTH).status()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
  }

  @Test
  void configuredTransportModeWithoutKeyWorksWithTheGeneratedStub() {
    int grpcPort = TestServer.freePort();
    try (TestServer other = TestServer.start(new JsonObject().put("grpc_api", new JsonObject().put("enabled", true)
        .put("port", grpcPort).put("address", "127.0.0.1").put("error_mode", "transport")), 1)) {
      CentrifugoApiGrpcClient stub = CentrifugoApiGrpcClient.create(GrpcClient.client(other.vertx),
          SocketAddress.inetSocketAddress(grpcPort, "127.0.0.1"));
      assertThat(await(stub.info(InfoRequest.getDefaultInstance())).getResult().getNodesCount()).isEqualTo(1);
      assertThat(await(stub.publish(publish("news", "{\"a\":1}"))).hasResult()).isTrue();
      assertThatThrownBy(() -> await(stub.publish(publish("nope:x", "{}"))))
          .hasRootCauseInstanceOf(InvalidStatusException.class)
          .rootCause().satisfies(e -> assertThat(((InvalidStatusException) e).actualStatus()).isEqualTo(GrpcStatus.NOT_FOUND));
      assertThat(new String(await(stub.batch(BatchRequest.newBuilder()
          .addCommands(Command.newBuilder().setPublish(publish("nope:x", "{}"))).build())).getReplies(0)
          .getError().getMessage().getBytes(UTF_8), UTF_8)).isEqualTo("unknown channel");
    }
  }

  @Test
  void grpcApiIsOffByDefault() {
    try (TestServer plain = TestServer.start(new JsonObject(), 1)) {
      assertThat(plain.server.config().grpcApi().enabled()).isFalse();
      assertThat(plain.server.config().grpcApi().port()).isEqualTo(10000);
      assertThat(plain.server.config().grpcApi().maxReceiveMessageSize()).isEqualTo(4 * 1024 * 1024);
    }
  }
}
