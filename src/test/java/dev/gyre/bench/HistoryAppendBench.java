package dev.gyre.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gyre.cluster.HazelcastSetup;
import dev.gyre.config.RedisConfig;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.MemoryHistoryStore;
import dev.gyre.history.StreamOptions;
import dev.gyre.history.hazelcast.HazelcastHistoryStore;
import dev.gyre.history.redis.RedisHistoryStore;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.testkit.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Append throughput and latency of the three history stores, in one process on loopback:
 * memory, Hazelcast (one local member) and Redis (a private redis-server, no persistence).
 * For each store and each concurrency (appends in flight), it appends {@code ops} publications
 * of ~100 bytes round-robin over 100 channels, after a warm-up, and prints appends/s and the
 * p50/p99 latency of one append (call to completion on the caller's event loop).
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.gyre.bench.HistoryAppendBench</pre>
 *
 * Optional arguments: ops (default 20000), then concurrency levels (default 1 16 64).
 */
public final class HistoryAppendBench {
  static final StreamOptions OPTIONS = new StreamOptions(100, Duration.ofSeconds(300), Duration.ofHours(1));
  static final Publication PUB = new Publication(
      "{\"text\":\"a message of about one hundred bytes, as chats and dashboards send them......\"}"
          .getBytes(StandardCharsets.UTF_8), new ClientInfo("user-1", "client-1", null, null), 0, Map.of());

  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int[] levels = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {1, 16, 64};
    Vertx vertx = Vertx.vertx();
    System.out.printf("%-10s %6s %12s %10s %10s%n", "store", "in-flight", "appends/s", "p50 ms", "p99 ms");
    run("memory", new MemoryHistoryStore(), vertx, ops, levels);

    Config hc = HazelcastSetup.config(Map.of("GYRE_CLUSTER_NAME", "bench-" + UUID.randomUUID()));
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(hc);
    try {
      run("hazelcast", new HazelcastHistoryStore(vertx, hz), vertx, ops, levels);
    } finally {
      hz.shutdown();
    }

    try (RedisServer redis = RedisServer.start()) {
      RedisHistoryStore store = RedisHistoryStore.create(vertx, new RedisConfig(redis.url(), "bench", "", "", 0,
          Duration.ofSeconds(1), Duration.ofSeconds(4), false, false, ""));
      Thread.sleep(200); // the first PING
      run("redis", store, vertx, ops, levels);
      store.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  static void run(String name, HistoryStore store, Vertx vertx, int ops, int[] levels) throws Exception {
    for (int inFlight : levels) {
      measure(store, vertx, Math.max(2000, ops / 5), inFlight); // warm-up
      long[] latencies = new long[ops];
      long t0 = System.nanoTime();
      measure(store, vertx, ops, inFlight, latencies);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Arrays.sort(latencies);
      System.out.printf("%-10s %6d %12.0f %10.3f %10.3f%n", name, inFlight, ops / seconds,
          latencies[ops / 2] / 1e6, latencies[(int) (ops * 0.99)] / 1e6);
    }
  }

  static void measure(HistoryStore store, Vertx vertx, int ops, int inFlight) throws Exception {
    measure(store, vertx, ops, inFlight, new long[ops]);
  }

  /** Keeps {@code inFlight} appends going from one event loop until {@code ops} completed. */
  static void measure(HistoryStore store, Vertx vertx, int ops, int inFlight, long[] latencies) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      int i = issued.getAndIncrement();
      if (i >= ops) return;
      long start = System.nanoTime();
      store.append("bench:" + (i % 100), AppendRequest.of(PUB, OPTIONS)).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        latencies[i] = System.nanoTime() - start;
        if (completed.incrementAndGet() == ops) done.tryComplete();
        else ctx.runOnContext(v -> next[0].run()); // no recursion on already-completed futures
      });
    };
    ctx.runOnContext(v -> {
      for (int k = 0; k < inFlight; k++) next[0].run();
    });
    done.future().await(120, TimeUnit.SECONDS);
  }
}
