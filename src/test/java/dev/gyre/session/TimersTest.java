package dev.gyre.session;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Ping/pong, stale connections and connection expiry, with short configured intervals. */
class TimersTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("client", new JsonObject()
        .put("ping_interval", "2s").put("pong_timeout", "1s").put("stale_close_delay", "1s")
        .put("expired_close_delay", "1s").put("expired_sub_close_delay", "1s"))
        .put("channel", new JsonObject().put("without_namespace", new JsonObject())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pingsArriveAndAnsweredPingsKeepTheConnection() {
    try (WsClient c = server.client()) {
      JsonObject r = c.connect(Tokens.user("alice")).getJsonObject("connect");
      assertThat(r.getInteger("ping")).isEqualTo(2);
      for (int i = 0; i < 2; i++) {
        JsonObject ping = c.next();
        assertThat(ping).isEqualTo(new JsonObject());
        c.send("{}");
      }
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void missingPongCloses3012() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      assertThat(c.next()).isEqualTo(new JsonObject());
      assertThat(c.awaitClose(3000)).isEqualTo(3012);
      assertThat(c.closeReason()).isEqualTo("no pong");
    }
  }

  @Test
  void connectionWithoutConnectCommandIsClosedAsStale() {
    try (WsClient c = server.client()) {
      assertThat(c.awaitClose(3000)).isEqualTo(3502);
    }
  }

  @Test
  void expiredConnectionIsClosed3005AfterTheCloseDelay() {
    try (WsClient c = server.client()) {
      JsonObject r = c.connect(Tokens.sign(new JsonObject().put("sub", "alice").put("exp", Tokens.now() + 1)))
          .getJsonObject("connect");
      assertThat(r.getBoolean("expires")).isTrue();
      // Answer pings so that only the expiry can close the connection (exp 1 s + delay 1 s).
      long deadline = System.currentTimeMillis() + 5000;
      while (!c.isClosed() && System.currentTimeMillis() < deadline) {
        try {
          if (c.next().isEmpty()) c.send("{}");
        } catch (AssertionError timeoutWhileClosing) {
          break;
        }
      }
      assertThat(c.awaitClose(1000)).isEqualTo(3005);
      assertThat(c.closeReason()).isEqualTo("connection expired");
    }
  }

  @Test
  void subscriptionTokenExpiryUnsubscribesWith2501UnlessRefreshed() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject a = c.call(2, "subscribe", new JsonObject().put("channel", "$a")
          .put("token", Tokens.subscription("alice", "$a", 1))).getJsonObject("subscribe");
      assertThat(a.getBoolean("expires")).isTrue();
      c.call(3, "subscribe", new JsonObject().put("channel", "$b").put("token", Tokens.subscription("alice", "$b", 1)));
      JsonObject refreshed = c.call(4, "sub_refresh", new JsonObject().put("channel", "$b")
          .put("token", Tokens.subscription("alice", "$b", 600))).getJsonObject("sub_refresh");
      assertThat(refreshed.getBoolean("expires")).isTrue();
      assertThat(refreshed.getInteger("ttl")).isGreaterThan(500);
      // exp 1 s + close delay 1 s: only $a is unsubscribed; pings are answered meanwhile
      JsonObject unsub = c.next(m -> {
        if (m.isEmpty()) c.send("{}");
        return m.containsKey("push");
      });
      assertThat(unsub).isEqualTo(new JsonObject().put("push", new JsonObject().put("channel", "$a")
          .put("unsubscribe", new JsonObject().put("code", 2501).put("reason", "subscription expired"))));
      server.api().call("publish", new JsonObject().put("channel", "$b").put("data", 1));
      assertThat(c.push("$b").getJsonObject("push").getJsonObject("pub").getInteger("data")).isEqualTo(1);
      JsonObject notSubscribed = c.call(5, "sub_refresh", new JsonObject().put("channel", "$a")
          .put("token", Tokens.subscription("alice", "$a", 600)));
      assertThat(notSubscribed.getJsonObject("error").getInteger("code")).isEqualTo(103);
    }
  }
}
