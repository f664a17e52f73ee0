package dev.gyre.session;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Presence through client commands and the server API (spec/client-protocol.md §6, §7.2). */
class PresenceTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("channel", new JsonObject().put("namespaces", new JsonArray()
        .add(new JsonObject().put("name", "room").put("presence", true).put("join_leave", true)
            .put("allow_subscribe_for_client", true).put("allow_presence_for_subscriber", true))
        .add(new JsonObject().put("name", "quiet").put("allow_subscribe_for_client", true)
            .put("allow_presence_for_client", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject apiPresence(String channel) {
    return server.api().call("presence", new JsonObject().put("channel", channel)).getJsonObject("result")
        .getJsonObject("presence");
  }

  @Test
  void presenceListsSubscribersAndForgetsThemOnUnsubscribeAndDisconnect() {
    String info = "{\"name\":\"Alice\"}";
    String token = Tokens.sign(new JsonObject().put("sub", "alice").put("info", new JsonObject(info)));
    try (WsClient a = server.client(); WsClient b = server.client()) {
      String clientA = a.connect(token).getJsonObject("connect").getString("client");
      String clientB = b.connect(Tokens.user("bob")).getJsonObject("connect").getString("client");
      a.call(2, "subscribe", new JsonObject().put("channel", "room:1"));
      b.call(2, "subscribe", new JsonObject().put("channel", "room:1"));

      JsonObject p = a.call(3, "presence", new JsonObject().put("channel", "room:1")).getJsonObject("presence")
          .getJsonObject("presence");
      assertThat(p.fieldNames()).containsExactlyInAnyOrder(clientA, clientB);
      assertThat(p.getJsonObject(clientA)).isEqualTo(new JsonObject().put("user", "alice").put("client", clientA)
          .put("conn_info", new JsonObject(info)));
      JsonObject stats = a.call(4, "presence_stats", new JsonObject().put("channel", "room:1"));
      assertThat(stats.getJsonObject("presence_stats")).isEqualTo(new JsonObject().put("num_clients", 2).put("num_users", 2));
      assertThat(apiPresence("room:1").fieldNames()).containsExactlyInAnyOrder(clientA, clientB);
      assertThat(server.api().call("presence_stats", new JsonObject().put("channel", "room:1")).getJsonObject("result"))
          .isEqualTo(new JsonObject().put("num_clients", 2).put("num_users", 2));

      b.call(3, "unsubscribe", new JsonObject().put("channel", "room:1"));
      assertThat(apiPresence("room:1").fieldNames()).containsExactly(clientA);
      b.call(4, "subscribe", new JsonObject().put("channel", "room:1"));
      assertThat(apiPresence("room:1").fieldNames()).containsExactlyInAnyOrder(clientA, clientB);
      b.close();
      awaitPresence("room:1", 1);
      assertThat(apiPresence("room:1").fieldNames()).containsExactly(clientA);
    }
    awaitPresence("room:1", 0);
  }

  /** Presence removal after a disconnect is asynchronous: poll with a bounded deadline. */
  private static void awaitPresence(String channel, int expected) {
    long deadline = System.currentTimeMillis() + 5000;
    while (apiPresence(channel).size() != expected) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("presence of " + channel + " is not " + expected + ": " + apiPresence(channel));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void secondClientSeesJoinAndLeave() {
    try (WsClient a = server.client(); WsClient b = server.client()) {
      a.connect(Tokens.user("alice"));
      a.call(2, "subscribe", new JsonObject().put("channel", "room:jl").put("join_leave", true));
      a.push("room:jl"); // own join
      String clientB = b.connect(Tokens.user("bob")).getJsonObject("connect").getString("client");
      b.call(2, "subscribe", new JsonObject().put("channel", "room:jl"));
      JsonObject join = a.push("room:jl").getJsonObject("push").getJsonObject("join").getJsonObject("info");
      assertThat(join).isEqualTo(new JsonObject().put("user", "bob").put("client", clientB));
      b.close();
      JsonObject leave = a.push("room:jl").getJsonObject("push").getJsonObject("leave").getJsonObject("info");
      assertThat(leave.getString("client")).isEqualTo(clientB);
    }
  }

  @Test
  void presenceErrors() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      assertThat(c.call(2, "presence", new JsonObject().put("channel", "room:2")).getJsonObject("error").getInteger("code"))
          .isEqualTo(103);
      assertThat(c.call(3, "presence", new JsonObject().put("channel", "quiet:2")).getJsonObject("error").getInteger("code"))
          .isEqualTo(108);
      assertThat(c.call(4, "presence", new JsonObject().put("channel", "nope:2")).getJsonObject("error").getInteger("code"))
          .isEqualTo(102);
      assertThat(c.isClosed()).isFalse();
    }
    assertThat(server.api().call("presence", new JsonObject().put("channel", "quiet:x")).getJsonObject("error")
        .getInteger("code")).isEqualTo(108);
    assertThat(server.api().call("presence", new JsonObject().put("channel", "")).getJsonObject("error")
        .getInteger("code")).isEqualTo(107);
    assertThat(apiPresence("room:empty")).isEqualTo(new JsonObject());
  }
}
