package dev.gyre.transport;

import com.google.protobuf.ByteString;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.unistream.pb.CentrifugoUniStreamGrpcClient;
import dev.gyre.unistream.pb.ConnectRequest;
import dev.gyre.unistream.pb.Push;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unidirectional gRPC transport with the generated Vert.x gRPC client of unistream.proto
 * (spec/client-protocol.md §1.7): a Connect push first, then pushes of the server-side
 * subscriptions, pings as empty pushes, connect errors as a disconnect push and the end of the
 * stream; bad requests get a gRPC status and harm nobody.
 */
class UniGrpcTest {
  static final long WAIT_MS = 5000;
  static TestServer server;
  static SocketAddress address;
  static GrpcClient grpc;

  @BeforeAll
  static void start() {
    int port = TestServer.freePort();
    server = TestServer.start(new JsonObject()
        .put("uni_grpc", new JsonObject().put("enabled", true).put("port", port).put("address", "127.0.0.1")
            .put("max_receive_message_size", 4096))
        .put("client", new JsonObject().put("ping_interval", "1s").put("pong_timeout", "500ms"))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "news").put("presence", true)))));
    address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    grpc = GrpcClient.client(server.vertx);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String token(String user, String channel) {
    return Tokens.sign(new JsonObject().put("sub", user).put("exp", Tokens.now() + 3600)
        .put("channels", new JsonArray().add(channel)));
  }

  /** One Consume call: every push it receives, and how it ended. */
  static final class Stream {
    final LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    final CompletableFuture<GrpcStatus> ended = new CompletableFuture<>();
    volatile GrpcClientRequest<ConnectRequest, Push> request;

    static Stream consume(ConnectRequest connect) {
      Stream s = new Stream();
      grpc.request(address, CentrifugoUniStreamGrpcClient.Consume).onComplete(ar -> {
        if (ar.failed()) {
          s.ended.completeExceptionally(ar.cause());
          return;
        }
        GrpcClientRequest<ConnectRequest, Push> req = ar.result();
        s.request = req;
        req.end(connect);
        req.response().onComplete(r -> {
          if (r.failed()) {
            s.ended.completeExceptionally(r.cause());
            return;
          }
          GrpcClientResponse<ConnectRequest, Push> resp = r.result();
          resp.handler(s.pushes::add);
          resp.endHandler(v -> s.ended.complete(resp.status()));
          resp.exceptionHandler(err -> s.ended.completeExceptionally(err));
        });
      });
      return s;
    }

    Push next(Predicate<Push> match) {
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) throw new AssertionError("no matching push within " + WAIT_MS + " ms");
        try {
          Push p = pushes.poll(left, TimeUnit.MILLISECONDS);
          if (p != null && match.test(p)) return p;
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }

    /** The next push that is not a ping (an empty push). */
    Push next() {
      return next(p -> !p.equals(Push.getDefaultInstance()));
    }

    GrpcStatus awaitEnd() {
      try {
        return ended.get(WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("stream not ended within " + WAIT_MS + " ms", e);
      }
    }

    void cancel() {
      request.cancel();
    }
  }

  static void publish(String channel, JsonObject body) {
    JsonObject r = server.api().call("publish", body.put("channel", channel));
    assertThat(r.containsKey("error")).as(r.encode()).isFalse();
  }

  @Test
  void connectPushFirstThenPublicationsAsProtobufPushes() {
    Stream s = Stream.consume(ConnectRequest.newBuilder().setToken(token("u1", "news:a")).setName("grpc").build());
    Push first = s.next();
    assertThat(first.hasConnect()).as(first.toString()).isTrue();
    var connect = first.getConnect();
    assertThat(connect.getClient()).matches("[0-9a-f-]{36}");
    assertThat(connect.getSession()).matches("[0-9a-f-]{36}");
    assertThat(connect.getVersion()).endsWith(" OSS");
    assertThat(connect.getNode()).isEmpty();
    assertThat(connect.getPong()).isFalse();
    assertThat(connect.getPing()).isEqualTo(1);
    assertThat(connect.getSubsMap()).containsKey("news:a");

    publish("news:a", new JsonObject().put("data", new JsonObject().put("n", 1)));
    byte[] binary = {0, (byte) 0xfe, 10};
    publish("news:a", new JsonObject().put("b64data", Base64.getEncoder().encodeToString(binary)));
    Push one = s.next();
    assertThat(one.getChannel()).isEqualTo("news:a");
    assertThat(new JsonObject(one.getPub().getData().toString(UTF_8))).isEqualTo(new JsonObject().put("n", 1));
    assertThat(s.next().getPub().getData().toByteArray()).isEqualTo(binary);
    s.cancel();
  }

  @Test
  void pingsAreEmptyPushesAndNeedNoPong() {
    Stream s = Stream.consume(ConnectRequest.newBuilder().setToken(token("u2", "news:p")).build());
    assertThat(s.next().hasConnect()).isTrue();
    // ping interval 1 s, pong timeout 0.5 s: two pings prove that the missing pong closed nothing
    s.next(p -> p.equals(Push.getDefaultInstance()));
    s.next(p -> p.equals(Push.getDefaultInstance()));
    publish("news:p", new JsonObject().put("data", new JsonObject()));
    assertThat(s.next().getChannel()).isEqualTo("news:p");
    assertThat(s.ended).isNotDone();
    s.cancel();
  }

  @Test
  void anExpiredTokenIsADisconnectPushThenTheEndOfTheStream() {
    String expired = Tokens.sign(new JsonObject().put("sub", "u3").put("exp", Tokens.now() - 10));
    Stream s = Stream.consume(ConnectRequest.newBuilder().setToken(expired).build());
    Push p = s.next();
    assertThat(p.getDisconnect().getCode()).as(p.toString()).isEqualTo(3005);
    assertThat(p.getDisconnect().getReason()).isEqualTo("connection expired");
    assertThat(s.awaitEnd()).isEqualTo(GrpcStatus.OK);
  }

  @Test
  void aServerApiDisconnectEndsTheStreamAfterADisconnectPush() {
    Stream s = Stream.consume(ConnectRequest.newBuilder().setToken(token("u4", "news:d")).build());
    assertThat(s.next().hasConnect()).isTrue();
    server.api().call("disconnect", new JsonObject().put("user", "u4"));
    Push p = s.next();
    assertThat(p.getDisconnect().getCode()).isEqualTo(3503);
    assertThat(s.awaitEnd()).isEqualTo(GrpcStatus.OK);
  }

  @Test
  void cancellingTheCallClosesTheSession() throws Exception {
    Stream s = Stream.consume(ConnectRequest.newBuilder().setToken(token("u5", "news:c")).build());
    assertThat(s.next().hasConnect()).isTrue();
    assertThat(presence("news:c")).isEqualTo(1);
    s.cancel();
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (presence("news:c") != 0) {
      assertThat(System.currentTimeMillis()).as("session still present after cancel").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void badRequestsGetAStatusAndHarmNoOtherStream() {
    Stream bystander = Stream.consume(ConnectRequest.newBuilder().setToken(token("u6", "news:b")).build());
    assertThat(bystander.next().hasConnect()).isTrue();

    assertThat(rawCall(new byte[] {(byte) 0xff, (byte) 0xff})).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(rawCall(new byte[] {0x0a, 100, 1})).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    // beyond uni_grpc.max_receive_message_size
    Stream big = Stream.consume(ConnectRequest.newBuilder().setData(ByteString.copyFrom(new byte[8192])).build());
    try {
      assertThat(big.awaitEnd()).isNotEqualTo(GrpcStatus.OK);
    } catch (AssertionError e) {
      assertThat(big.ended).isCompletedExceptionally(); // reset by the server: also a refusal
    }
    assertThat(big.pushes).isEmpty();

    publish("news:b", new JsonObject().put("data", new JsonObject().put("still", true)));
    assertThat(bystander.next().getPub().getData().toStringUtf8()).isEqualTo("{\"still\":true}");
    bystander.cancel();
  }

  /** A Consume call with arbitrary request bytes; returns the final status. */
  static GrpcStatus rawCall(byte[] request) {
    ServiceMethod<Buffer, Buffer> raw = ServiceMethod.client(UniGrpcVerticle.SERVICE, "Consume",
        GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
    try {
      return grpc.request(address, raw).compose(req -> {
        req.end(Buffer.buffer(request));
        return req.response().compose(resp -> resp.end().transform(ar -> io.vertx.core.Future.succeededFuture(resp.status())));
      }).toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("raw call failed", e);
    }
  }

  static int presence(String channel) {
    JsonObject r = server.api().call("presence", new JsonObject().put("channel", channel));
    return r.getJsonObject("result").getJsonObject("presence").size();
  }
}
