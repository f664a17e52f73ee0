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

  @Test
  @Order(1)
  void publicationsCrossNodesInOrderAndHistorySurvivesAKilledNode() throws Exception {
    WsClient c = client(nodes.get(2));
    try (WsClient a = client(nodes.get(0))) {
      a.connect(Tokens.user("alice"));
      String carol = c.connect(Tokens.user("carol")).getJsonObject("connect").getString("client");
      assertThat(a.call(2, "subscribe", new JsonObject().put("channel", "chat:x")).containsKey("subscribe")).isTrue();
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "chat:x")).containsKey("subscribe")).isTrue();
      for (int i = 1; i <= 20; i++) {
        JsonObject r = api(nodes.get(1), "publish", new JsonObject().put("channel", "chat:x").put("data", i));
        assertThat(r.getJsonObject("result").getLong("offset")).isEqualTo(i);
      }
      for (WsClient w : List.of(a, c)) {
        for (int i = 1; i <= 20; i++) {
          JsonObject pub = w.next(m -> m.containsKey("push") && m.getJsonObject("push").containsKey("pub"))
              .getJsonObject("push").getJsonObject("pub");
          assertThat(pub.getLong("offset")).isEqualTo(i);
          assertThat(pub.getInteger("data")).isEqualTo(i);
        }
      }
      JsonObject presence = api(nodes.get(1), "presence", new JsonObject().put("channel", "chat:x"))
          .getJsonObject("result").getJsonObject("presence");
      assertThat(presence.size()).isEqualTo(2);
      assertThat(presence.getJsonObject(carol).getString("user")).isEqualTo("carol");

      nodes.get(2).kill();
      // the dead node's client leaves presence, and the others are told so
      JsonObject leave = a.next(m -> m.containsKey("push") && m.getJsonObject("push").containsKey("leave"));
      assertThat(leave.getJsonObject("push").getJsonObject("leave").getJsonObject("info").getString("client"))
          .isEqualTo(carol);
      assertThat(api(nodes.get(1), "presence", new JsonObject().put("channel", "chat:x")).getJsonObject("result")
          .getJsonObject("presence").fieldNames()).doesNotContain(carol);
    } finally {
      c.close();
    }
    JsonObject h = api(nodes.get(0), "history", new JsonObject().put("channel", "chat:x").put("limit", -1))
        .getJsonObject("result");
    assertThat(h.getLong("offset")).isEqualTo(20);
    assertThat(h.getJsonArray("publications")).hasSize(20);
    JsonObject after = api(nodes.get(1), "publish", new JsonObject().put("channel", "chat:x").put("data", 21))
        .getJsonObject("result");
    assertThat(after.getLong("offset")).isEqualTo(21);
    assertThat(after.getString("epoch")).isEqualTo(h.getString("epoch"));
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
