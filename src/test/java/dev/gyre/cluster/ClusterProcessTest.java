package dev.gyre.cluster;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real Gyre processes on 127.0.0.1 forming a Hazelcast cluster: publications cross nodes
 * in order, the API on any node sees the whole cluster, and history survives a node killed with
 * SIGKILL.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessTest {
  static final List<NodeProcess> nodes = new ArrayList<>();
  static Vertx vertx;
  static final HttpClient http = HttpClient.newHttpClient();

  /** Waits until the node's info lists the expected number of nodes (heartbeats every 3 s). */
  static void awaitNodes(NodeProcess via, int expected) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    JsonArray list;
    do {
      list = api(via, "info", new JsonObject()).getJsonObject("result").getJsonArray("nodes");
      if (list.size() == expected) return;
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("expected " + expected + " nodes, info says " + list);
  }

  @BeforeAll
  static void start() throws Exception {
    Path config = Files.createTempFile("gyre-cluster", ".json");
    Files.writeString(config, new JsonObject()
        .put("client", new JsonObject().put("token", new JsonObject().put("hmac_secret_key", TestServer.SECRET)))
        .put("http_api", new JsonObject().put("key", TestServer.API_KEY))
        .put("channel", new JsonObject().put("namespaces", new JsonArray().add(new JsonObject().put("name", "chat")
            .put("history_size", 1000).put("history_ttl", "300s").put("force_recovery", true)
            .put("allow_subscribe_for_client", true).put("presence", true).put("join_leave", true)
            .put("force_push_join_leave", true)))).encode());
    String cluster = "gyre-it-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      NodeProcess n = NodeProcess.start(config, TestServer.freePort(), cluster);
      nodes.add(n);
      n.awaitHealthy(Duration.ofSeconds(60));
    }
    vertx = Vertx.vertx();
    awaitNodes(nodes.get(1), 3);
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess n : nodes) n.close();
    if (vertx != null) vertx.close();
  }

  static JsonObject api(NodeProcess n, String method, JsonObject body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + "/api/" + method))
        .header("X-API-Key", TestServer.API_KEY).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static WsClient client(NodeProcess n) {
    return WsClient.connect(vertx, n.port, "/connection/websocket", MultiMap.caseInsensitiveMultiMap());
  }

  /** Reads pushes for the channel and checks each publication continues the offsets; returns the last. */
  static long readContiguous(WsClient w, String channel, long last, long until) {
    return readContiguous(w, channel, last, until, new ArrayList<>());
  }

  static long readContiguous(WsClient w, String channel, long last, long until, List<JsonObject> others) {
    while (last < until) {
      JsonObject m = w.next(x -> x.containsKey("push") && channel.equals(x.getJsonObject("push").getString("channel")));
      JsonObject push = m.getJsonObject("push");
      assertThat(push.containsKey("unsubscribe")).as("unexpected %s", m).isFalse();
      JsonObject pub = push.getJsonObject("pub");
      if (pub == null) {
        others.add(push); // join/leave
        continue;
      }
      assertThat(pub.getLong("offset")).as("offset after %d", last).isEqualTo(last + 1);
      assertThat(pub.getInteger("data")).isEqualTo((int) (last + 1));
      last++;
    }
    return last;
  }

  @Test
  @Order(1)
  void publishStormSurvivesKillingANodeWithZeroSilentGaps() throws Exception {
    int total = 300;
    WsClient c = client(nodes.get(2));
    try (WsClient a = client(nodes.get(0))) {
      a.connect(Tokens.user("alice"));
      String carol = c.connect(Tokens.user("carol")).getJsonObject("connect").getString("client");
      JsonObject subA = a.call(2, "subscribe", new JsonObject().put("channel", "chat:x")).getJsonObject("subscribe");
      JsonObject subC = c.call(2, "subscribe", new JsonObject().put("channel", "chat:x")).getJsonObject("subscribe");
      String epoch = subA.getString("epoch");
      assertThat(subC.getString("epoch")).isEqualTo(epoch);
      JsonObject presence = api(nodes.get(1), "presence", new JsonObject().put("channel", "chat:x"))
          .getJsonObject("result").getJsonObject("presence");
      assertThat(presence.fieldNames()).contains(carol).hasSize(2);

      // a publisher streams numbered messages through node 1 while node 2 is killed
      Thread publisher = new Thread(() -> {
        try {
          for (int i = 1; i <= total; i++) {
            JsonObject r = api(nodes.get(1), "publish", new JsonObject().put("channel", "chat:x").put("data", i));
            assertThat(r.getJsonObject("result").getLong("offset")).isEqualTo(i);
            Thread.sleep(2);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      publisher.start();
      long lastC = readContiguous(c, "chat:x", 0, 50);
      nodes.get(2).kill();
      c.awaitClose(10_000);
      // the killed node's client reconnects to a surviving node and recovers what it missed
      try (WsClient c2 = client(nodes.get(0))) {
        c2.connect(Tokens.user("carol"));
        c2.send(new JsonObject().put("subscribe", new JsonObject().put("channel", "chat:x").put("recover", true)
            .put("offset", lastC).put("epoch", epoch)).put("id", 2).encode());
        JsonObject r = c2.reply(2).getJsonObject("subscribe");
        assertThat(r.getBoolean("recovered")).isTrue();
        assertThat(r.getString("epoch")).isEqualTo(epoch);
        for (Object p : r.getJsonArray("publications", new JsonArray())) {
          assertThat(((JsonObject) p).getLong("offset")).isEqualTo(lastC + 1);
          lastC++;
        }
        publisher.join(60_000);
        assertThat(readContiguous(c2, "chat:x", lastC, total)).isEqualTo(total);
      }
      List<JsonObject> events = new ArrayList<>();
      assertThat(readContiguous(a, "chat:x", 0, total, events)).isEqualTo(total);

      // the dead node's client leaves presence, and the others are told so
      java.util.function.Predicate<JsonObject> carolLeft = p -> p.containsKey("leave")
          && carol.equals(p.getJsonObject("leave").getJsonObject("info").getString("client"));
      if (events.stream().noneMatch(carolLeft)) {
        a.next(m -> m.containsKey("push") && carolLeft.test(m.getJsonObject("push")));
      }
      assertThat(api(nodes.get(1), "presence", new JsonObject().put("channel", "chat:x")).getJsonObject("result")
          .getJsonObject("presence").fieldNames()).doesNotContain(carol);
    } finally {
      c.close();
    }
    for (NodeProcess survivor : List.of(nodes.get(0), nodes.get(1))) {
      JsonObject h = api(survivor, "history", new JsonObject().put("channel", "chat:x").put("limit", -1))
          .getJsonObject("result");
      assertThat(h.getLong("offset")).isEqualTo(total);
      assertThat(h.getString("epoch")).isNotEmpty();
      assertThat(h.getJsonArray("publications")).hasSize(total);
    }
    awaitNodes(nodes.get(0), 2);
  }

  @Test
  @Order(2)
  void sigtermDisconnectsClientsWithShutdownAndLeavesTheCluster() throws Exception {
    NodeProcess leaving = nodes.get(1);
    try (WsClient c = client(leaving)) {
      c.connect(Tokens.user("dave"));
      leaving.process.destroy(); // SIGTERM
      assertThat(c.awaitClose(15_000)).isEqualTo(3001);
      assertThat(c.closeReason()).isEqualTo("shutdown");
    }
    assertThat(leaving.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    awaitNodes(nodes.get(0), 1);
  }
}
