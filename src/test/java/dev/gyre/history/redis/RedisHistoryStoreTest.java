package dev.gyre.history.redis;

import dev.gyre.config.RedisConfig;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.HistoryPage;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.HistoryStoreContract;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.testkit.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HistoryStore contract on a real redis-server, plus what is particular to Redis. */
class RedisHistoryStoreTest extends HistoryStoreContract {
  static final AtomicInteger PREFIXES = new AtomicInteger();
  static RedisServer redis;
  static Vertx vertx;
  static RedisConnector connector;

  static RedisConfig config(RedisServer r, String prefix) {
    return new RedisConfig(r.url(), prefix, "", "", 0, Duration.ofSeconds(1), Duration.ofSeconds(2), false, false, "");
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    connector = RedisConnector.create(vertx, config(redis, "unused"));
  }

  @AfterAll
  static void stop() {
    if (connector != null) await(connector.close());
    if (vertx != null) await(vertx.close());
    if (redis != null) redis.close();
  }

  /** A fresh store: its own key prefix on the shared server. */
  @Override
  protected RedisHistoryStore store() {
    return new RedisHistoryStore(connector, "t" + PREFIXES.incrementAndGet(), clock::get);
  }

  @Test
  void keysAreAStreamAndAMetaHashWithTtls() {
    RedisHistoryStore s = store();
    StreamPosition p = await(s.append("chat:1", AppendRequest.of(pub("a"), OPTIONS))).position();
    String meta = s.metaKey("chat:1");
    String stream = s.streamKey("chat:1");
    assertThat(stream).endsWith(".stream.chat:1");
    assertThat(redis.command("TYPE", stream)).isEqualTo("+stream");
    assertThat(redis.command("HGET", meta, "e")).isEqualTo(p.epoch());
    assertThat(redis.command("HGET", meta, "s")).isEqualTo("1");
    assertThat(redis.command("XLEN", stream)).isEqualTo(":1");
    long streamTtl = Long.parseLong(redis.command("PTTL", stream).substring(1));
    long metaTtl = Long.parseLong(redis.command("PTTL", meta).substring(1));
    assertThat(streamTtl).isBetween(1L, OPTIONS.ttl().toMillis());
    assertThat(metaTtl).isGreaterThan(OPTIONS.ttl().toMillis()).isLessThanOrEqualTo(OPTIONS.metaTtl().toMillis());
    await(s.remove("chat:1"));
    assertThat(redis.command("EXISTS", stream)).isEqualTo(":0");
    assertThat(redis.command("EXISTS", meta)).isEqualTo(":1");
  }

  @Test
  void lostMetaKeyStartsANewEpochAndDropsTheOldStream() {
    RedisHistoryStore s = store();
    StreamPosition old = await(s.append("ch", AppendRequest.of(pub("a"), OPTIONS))).position();
    await(s.append("ch", AppendRequest.of(pub("b"), OPTIONS)));
    assertThat(redis.command("DEL", s.metaKey("ch"))).isEqualTo(":1");
    StreamPosition next = await(s.append("ch", AppendRequest.of(pub("c"), OPTIONS))).position();
    assertThat(next.offset()).isEqualTo(1);
    assertThat(next.epoch()).isNotEqualTo(old.epoch());
    HistoryPage page = await(s.read("ch", new HistoryQuery(-1, null, false), OPTIONS));
    assertThat(page.publications()).extracting(HistoryStoreContract::text).containsExactly("c");
  }

  @Test
  void aFlushedScriptCacheFallsBackToEval() {
    RedisHistoryStore s = store();
    await(s.append("ch", AppendRequest.of(pub("a"), OPTIONS)));
    assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
    assertThat(await(s.append("ch", AppendRequest.of(pub("b"), OPTIONS))).position().offset()).isEqualTo(2);
    assertThat(await(s.read("ch", new HistoryQuery(-1, null, false), OPTIONS)).publications()).hasSize(2);
  }

  @Test
  void binaryPayloadsAndClientInfoSurviveTheRoundTrip() {
    HistoryStore s = store();
    byte[] data = new byte[256];
    for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    await(s.append("bin", AppendRequest.of(new Publication(data, null, 0, Map.of()), OPTIONS)));
    ClientInfo info = new ClientInfo("ü", "c1", new byte[] {0, 1}, "{\"x\":1}".getBytes());
    await(s.append("bin", AppendRequest.of(new Publication(new byte[0], info, 0, Map.of("a", "1", "b", "")), OPTIONS)));
    var pubs = await(s.read("bin", new HistoryQuery(-1, null, false), OPTIONS)).publications();
    assertThat(pubs.get(0).data()).isEqualTo(data);
    assertThat(pubs.get(0).info()).isNull();
    assertThat(pubs.get(1).info().user()).isEqualTo("ü");
    assertThat(pubs.get(1).info().connInfo()).containsExactly(0, 1);
    assertThat(pubs.get(1).tags()).isEqualTo(Map.of("a", "1", "b", ""));
  }

  @Test
  void redisDownFailsFastAndEverythingWorksAgainWhenItReturns() {
    try (RedisServer own = RedisServer.start()) {
      RedisConnector c = RedisConnector.create(vertx, config(own, "x"));
      RedisHistoryStore s = new RedisHistoryStore(c, "x", null);
      try {
        assertThat(await(s.append("ch", AppendRequest.of(pub("a"), OPTIONS))).position().offset()).isEqualTo(1);
        assertThat(s.healthProblem()).isNull();
        own.stop();
        assertThatThrownBy(() -> await(s.append("ch", AppendRequest.of(pub("b"), OPTIONS))))
            .isInstanceOf(RedisUnavailableException.class);
        assertThat(s.healthProblem()).startsWith("redis: ");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> await(s.read("ch", HistoryQuery.position(), OPTIONS)))
            .isInstanceOf(RedisUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500)); // fail fast
        own.startAgain();
        long deadline = System.currentTimeMillis() + 10_000;
        StreamPosition after = null;
        while (after == null && System.currentTimeMillis() < deadline) {
          try {
            after = await(s.append("ch", AppendRequest.of(pub("c"), OPTIONS))).position();
          } catch (RedisUnavailableException e) {
            sleep(50);
          }
        }
        assertThat(after).as("append works again within 10 s of Redis's return").isNotNull();
        assertThat(after.offset()).isEqualTo(1); // this Redis kept nothing: a new epoch
        assertThat(s.healthProblem()).isNull();
      } finally {
        await(c.close());
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
