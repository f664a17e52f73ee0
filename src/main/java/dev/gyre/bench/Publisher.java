package dev.gyre.bench;

import com.google.protobuf.ByteString;
import dev.gyre.api.pb.PublishRequest;
import dev.gyre.api.pb.PublishResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Publishes numbered payloads {"s":SEQ,"t":NANOS,"p":"..."} through the HTTP API (or the
 * ceiling server's /pub) at a fixed rate, or as fast as {@code inFlight} concurrent requests
 * allow, until the count or the deadline is reached.
 */
final class Publisher {
  private final Vertx vertx;
  private final HttpClient http;
  private final URI api;
  private final String apiKey;
  private final int payloadBytes;
  private final Stats stats;
  private GrpcClient grpc;
  private SocketAddress grpcAddress;
  private static final ServiceMethod<PublishResponse, PublishRequest> PUBLISH = ServiceMethod.client(
      ServiceName.create("centrifugal.centrifugo.api", "CentrifugoApi"), "Publish",
      GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(PublishResponse.newBuilder()));

  Publisher(Vertx vertx, URI api, String apiKey, int payloadBytes, int inFlight, Stats stats) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(inFlight));
    this.api = api;
    this.apiKey = apiKey;
    this.payloadBytes = payloadBytes;
    this.stats = stats;
  }

  /** Publishes through the gRPC server API at host:port instead of HTTP. */
  Publisher grpc(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    this.grpcAddress = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
        hostPort.substring(0, colon));
    this.grpc = GrpcClient.client(vertx);
    return this;
  }

  /** The JSON payload of publication {@code seq}, padded to the payload size. */
  String payload(long seq) {
    String head = "{\"s\":" + seq + ",\"t\":" + System.nanoTime() + ",\"p\":\"";
    int pad = Math.max(0, payloadBytes - head.length() - 2);
    return head + "x".repeat(pad) + "\"}";
  }

  /**
   * Publishes {@code count} publications at {@code rate}/s (0 = as fast as possible), each to
   * the channel {@code channelOf(seq)}, stopping at the deadline. Completes when all answered.
   */
  Future<Void> run(int count, int rate, int inFlight, long deadlineNanos, IntFunction<String> channelOf) {
    Promise<Void> done = Promise.promise();
    long[] next = {0};
    int[] active = {0};
    long start = System.nanoTime();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      long now = System.nanoTime();
      long allowed = rate <= 0 ? count : Math.min(count, (now - start) * rate / 1_000_000_000L + 1);
      while (next[0] < allowed && active[0] < inFlight && now < deadlineNanos) {
        long seq = next[0]++;
        active[0]++;
        long sent = System.nanoTime();
        send(channelOf.apply((int) seq), payload(seq)).onComplete(ar -> {
          active[0]--;
          stats.requests.recordValue(Math.min(60_000_000L, (System.nanoTime() - sent) / 1000));
          if (ar.succeeded()) stats.published.incrementAndGet();
          else stats.publishErrors.incrementAndGet();
          if (rate <= 0) pump[0].run();
          if ((next[0] >= count || System.nanoTime() >= deadlineNanos) && active[0] == 0) done.tryComplete();
        });
      }
      if ((next[0] >= count || now >= deadlineNanos) && active[0] == 0) done.tryComplete();
    };
    long timer = vertx.setPeriodic(1, t -> pump[0].run());
    pump[0].run();
    return done.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private Future<Void> send(String channel, String payload) {
    if (grpc != null) {
      PublishRequest req = PublishRequest.newBuilder().setChannel(channel)
          .setData(ByteString.copyFromUtf8(payload)).build();
      return grpc.request(grpcAddress, PUBLISH).compose(r -> {
        r.headers().set("authorization", "apikey " + apiKey);
        return r.send(req);
      }).compose(resp -> resp.last()).map(resp -> {
        if (resp.hasError()) throw new IllegalStateException("publish failed: " + resp.getError().getCode());
        return null;
      });
    }
    boolean ceiling = api.getPath().endsWith("/pub"); // the ceiling server and the Socket.IO room server
    String body = ceiling ? payload : "{\"channel\":\"" + channel + "\",\"data\":" + payload + "}";
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(api.getHost()).setPort(api.getPort())
        .setURI(ceiling ? api.getPath() + "?room=" + channel : api.getPath() + "/publish").putHeader("X-API-Key", apiKey);
    return http.request(o).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> resp.body().map(b -> {
      if (resp.statusCode() != 200 || b.toString().contains("\"error\"")) {
        throw new IllegalStateException("publish failed: " + resp.statusCode() + " " + b);
      }
      return null;
    }));
  }

  Future<Void> close() {
    return grpc == null ? http.close() : Future.all(http.close(), grpc.close()).mapEmpty();
  }

  static List<String> channels(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }
}
