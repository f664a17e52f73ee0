package dev.gyre.bench;

import dev.gyre.broker.Broker;
import dev.gyre.broker.ChannelMessage;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.GyreConfig;
import dev.gyre.hub.Hub;
import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.protobuf.ProtobufCodec;
import dev.gyre.server.GyreServer;
import dev.gyre.session.ClientSession;
import dev.gyre.session.FlushScheduler;
import dev.gyre.session.SessionContext;
import dev.gyre.session.SessionRegistry;
import dev.gyre.session.Transport;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One publication fanned out to 10,000 subscribers of one hub, without sockets: the message is
 * published on the channel's event-bus address (local delivery, as on a single node), the hub's
 * consumer hands it to every session, each session queues the shared bytes and flushes them to
 * its transport on the next event-loop turn. Transports are counters; an operation ends when all
 * of them were written to. Sessions are real {@link ClientSession}s that connected and subscribed
 * through command frames. Half of them speak JSON, half Protobuf.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FanoutBenchmark {
  static final String CHANNEL = "bench";

  @Param({"10000"})
  int subscribers;

  Vertx vertx;
  GyreServer server;
  Context context;
  ChannelMessage message;
  int written;
  CompletableFuture<Void> done;

  /** Counts writes; completes the current operation when every subscriber got its bytes. */
  final class CountingTransport implements Transport {
    @Override public String name() { return "bench"; }
    @Override public void write(Buffer frame) {
      if (++written == subscribers && done != null) done.complete(null);
    }
    @Override public boolean writeQueueFull() { return false; }
    @Override public void drainHandler(Runnable onDrain) {}
    @Override public void pause() {}
    @Override public void resume() {}
    @Override public void close(Disconnect disconnect) {
      throw new IllegalStateException("subscriber disconnected: " + disconnect);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    GyreConfig config = GyreConfig.from(new JsonObject()
        .put("http_server", new JsonObject().put("port", freePort()).put("address", "127.0.0.1"))
        .put("client", new JsonObject().put("insecure", true).put("ping_interval", "-1s")
            .put("connection_limit", 0).put("channel_limit", 10)));
    server = GyreServer.start(vertx, config, 1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    context = vertx.getOrCreateContext();
    Promise<Void> subscribed = Promise.promise();
    context.runOnContext(v -> {
      Hub hub = new Hub(vertx.eventBus(), server.node());
      SessionContext sessions = new SessionContext(vertx, server.services(), new ChannelRules(config), hub,
          new SessionRegistry(), new FlushScheduler(vertx));
      ProtobufCodec protobuf = new ProtobufCodec(65536);
      byte[] json = ("{\"connect\":{},\"id\":1}\n{\"subscribe\":{\"channel\":\"" + CHANNEL + "\"},\"id\":2}")
          .getBytes(StandardCharsets.UTF_8);
      byte[] pb = pbFrame();
      for (int i = 0; i < subscribers; i++) {
        boolean useProtobuf = i % 2 == 1;
        ClientSession s = new ClientSession(sessions, new CountingTransport(), useProtobuf ? protobuf : JsonCodec.INSTANCE);
        s.handleFrame(useProtobuf ? pb : json);
      }
      long timer = vertx.setPeriodic(20, t -> {
        Integer n = hub.channelCounts().get(CHANNEL);
        if (n != null && n == subscribers) subscribed.tryComplete();
      });
      subscribed.future().onComplete(ar -> vertx.cancelTimer(timer));
    });
    subscribed.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    // let the connect and subscribe replies flush before measuring
    Thread.sleep(500);
    message = new ChannelMessage(ChannelMessage.Kind.PUBLICATION, CHANNEL, CodecBenchmark.PUB.publication(), "",
        PushEncoding.encodeOnce(new dev.gyre.protocol.Push.Pub(CHANNEL, CodecBenchmark.PUB.publication())));
  }

  static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static byte[] pbFrame() {
    var out = new java.io.ByteArrayOutputStream();
    try {
      dev.gyre.protocol.pb.Command.newBuilder().setId(1)
          .setConnect(dev.gyre.protocol.pb.ConnectRequest.getDefaultInstance()).build().writeDelimitedTo(out);
      dev.gyre.protocol.pb.Command.newBuilder().setId(2)
          .setSubscribe(dev.gyre.protocol.pb.SubscribeRequest.newBuilder().setChannel(CHANNEL)).build()
          .writeDelimitedTo(out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Benchmark
  public void fanOutOnePublication() throws Exception {
    CompletableFuture<Void> op = new CompletableFuture<>();
    context.runOnContext(v -> {
      written = 0;
      done = op;
      vertx.eventBus().publish(Broker.address(CHANNEL), message);
    });
    op.get(10, TimeUnit.SECONDS);
  }
}
