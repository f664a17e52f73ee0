package dev.gyre.history.redis;

import dev.gyre.testkit.ApiClient;
import dev.gyre.testkit.RedisServer;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gyre with {@code engine.type: redis} against a real, persistent redis-server (append-only file,
 * fsync always, in a temporary directory): Redis killed under a publish storm and brought back,
 * /health while it is away, and every Gyre node restarted on the same Redis.
 */
class RedisEngineTest {
  static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServer.start(true);
  }

  @AfterAll
  static void stop() {
    if (redis != null) redis.close();
  }

  static JsonObject config() {
    return new JsonObject()
        .put("engine", new JsonObject().put("type", "redis")
            .put("redis", new JsonObject().put("address", "127.0.0.1:" + redis.port).put("prefix", "gyre-test")
                .put("io_timeout", "1s")))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "hist").put("history_size", 10_000).put("history_ttl", "300s")
                .put("allow_subscribe_for_client", true).put("allow_recovery", true)
                .put("allow_publish_for_client", true))));
  }

  /** A publish through the HTTP API: the whole response body. */
  static JsonObject publish(ApiClient api, String channel, int n) {
    ApiClient.Response r = api.request(HttpMethod.POST, "/api/publish",
        new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", n)).encode(),
        MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY));
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  static int health(TestServer s) {
    return s.api().request(HttpMethod.GET, "/health", null, null).status();
  }

  static void waitFor(String what, long ms, BooleanSupplier ok) {
    long deadline = System.currentTimeMillis() + ms;
    while (!ok.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out after " + ms + " ms waiting for " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void publishStormAcrossARedisCrashFailsLoudlyThenRecoversWithTheSameEpoch() throws Exception {
    try (TestServer gyre = TestServer.start(config()); WsClient client = gyre.client()) {
      ApiClient api = gyre.api();
      waitFor("health 200", 5000, () -> health(gyre) == 200);
      client.connect(Tokens.user("bob"));
      List<JsonObject> ok = Collections.synchronizedList(new ArrayList<>());
      List<JsonObject> failed = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean run = new AtomicBoolean(true);
      AtomicInteger seq = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      for (int t = 0; t < 4; t++) {
        pool.submit(() -> {
          while (run.get()) {
            JsonObject r = publish(api, "hist:storm", seq.incrementAndGet());
            (r.containsKey("error") ? failed : ok).add(r);
          }
          return null;
        });
      }
      try {
        waitFor("200 publications before the crash", 10_000, () -> ok.size() >= 200);
        redis.kill();
        int okAtKill = ok.size();
        waitFor("50 failed publications while Redis is down", 10_000, () -> failed.size() >= 50);
        int okWhileDown = ok.size() - okAtKill;
        assertThat(health(gyre)).isEqualTo(503);
        assertThat(gyre.api().request(HttpMethod.GET, "/health", null, null).body()).contains("redis");
        JsonObject clientPublish = client.call(2, "publish", new JsonObject().put("channel", "hist:storm")
            .put("data", new JsonObject().put("from", "client")));
        assertThat(clientPublish.getJsonObject("error").getInteger("code")).isEqualTo(100);
        redis.startAgain();
        int failedAtRestart = failed.size();
        waitFor("health 200 again", 10_000, () -> health(gyre) == 200);
        int okAtRecovery = ok.size();
        waitFor("200 publications after Redis returned", 10_000, () -> ok.size() >= okAtRecovery + 200);
        run.set(false);
        JsonObject again = client.call(3, "publish", new JsonObject().put("channel", "hist:storm")
            .put("data", new JsonObject().put("from", "client")));
        assertThat(again.containsKey("error")).as("client publish after Redis returned: %s", again).isFalse();
        assertThat(again.containsKey("publish")).isTrue();
        // Requests in flight at the kill may still have succeeded; none may succeed long after.
        assertThat(okWhileDown).isLessThanOrEqualTo(8);
        assertThat(failedAtRestart).isGreaterThanOrEqualTo(50);
      } finally {
        run.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
      for (JsonObject f : failed) assertThat(f.getJsonObject("error").getInteger("code")).isEqualTo(100);
      Set<String> epochs = new TreeSet<>();
      Set<Long> offsets = new TreeSet<>();
      for (JsonObject r : ok) {
        JsonObject result = r.getJsonObject("result");
        assertThat(result.getLong("offset")).as("a success always carries an offset").isPositive();
        epochs.add(result.getString("epoch"));
        assertThat(offsets.add(result.getLong("offset"))).as("offsets are unique").isTrue();
      }
      assertThat(epochs).as("Redis kept its data: one epoch across the crash").hasSize(1);
      JsonObject history = api.call("history", new JsonObject().put("channel", "hist:storm").put("limit", -1))
          .getJsonObject("result");
      assertThat(history.getString("epoch")).isEqualTo(epochs.iterator().next());
      Set<Long> stored = new TreeSet<>();
      for (Object p : history.getJsonArray("publications")) stored.add(((JsonObject) p).getLong("offset"));
      assertThat(stored).as("every acknowledged publication is in history").containsAll(offsets);
      assertThat(history.getLong("offset")).isEqualTo(((TreeSet<Long>) stored).last());
    }
  }

  @Test
  void aClientRecoversAcrossARestartOfEveryGyreNode() {
    String epoch;
    try (TestServer first = TestServer.start(config())) {
      try (WsClient c = first.client()) {
        c.connect(Tokens.user("alice"));
        JsonObject sub = c.call(2, "subscribe", new JsonObject().put("channel", "hist:restart").put("recoverable", true))
            .getJsonObject("subscribe");
        epoch = sub.getString("epoch");
        assertThat(epoch).hasSize(8);
        assertThat(sub.getLong("offset", 0L)).isZero();
      }
      for (int i = 1; i <= 3; i++) publish(first.api(), "hist:restart", i);
    }
    try (TestServer second = TestServer.start(config())) {
      for (int i = 4; i <= 5; i++) publish(second.api(), "hist:restart", i);
      try (WsClient c = second.client()) {
        c.connect(Tokens.user("alice"));
        JsonObject sub = c.call(2, "subscribe", new JsonObject().put("channel", "hist:restart").put("recoverable", true)
            .put("recover", true).put("offset", 0).put("epoch", epoch)).getJsonObject("subscribe");
        assertThat(sub.getBoolean("recovered")).isTrue();
        assertThat(sub.getString("epoch")).isEqualTo(epoch);
        JsonArray pubs = sub.getJsonArray("publications");
        assertThat(pubs).hasSize(5);
        for (int i = 0; i < 5; i++) {
          assertThat(pubs.getJsonObject(i).getJsonObject("data").getInteger("n")).isEqualTo(i + 1);
          assertThat(pubs.getJsonObject(i).getLong("offset")).isEqualTo(i + 1);
        }
      }
    }
  }
}
