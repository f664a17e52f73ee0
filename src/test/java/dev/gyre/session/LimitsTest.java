package dev.gyre.session;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node-wide connection limits (spec/client-protocol.md §1.1, §4.2). */
class LimitsTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("client", new JsonObject()
        .put("user_connection_limit", 1).put("connection_limit", 3)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void perUserLimitGives3504AndNodeLimitRefusesTheUpgradeWith503() {
    try (WsClient a = server.client(); WsClient b = server.client()) {
      assertThat(a.connect(Tokens.user("alice")).containsKey("connect")).isTrue();
      b.send(new JsonObject().put("connect", new JsonObject().put("token", Tokens.user("alice"))).put("id", 1).encode());
      assertThat(b.awaitClose()).isEqualTo(3504);
      assertThat(b.closeReason()).isEqualTo("connection limit");
    }
    try (WsClient a = server.client(); WsClient b = server.client(); WsClient c = server.client()) {
      assertThatThrownBy(() -> server.client()).hasRootCauseMessage("WebSocket upgrade failure: 503");
      assertThat(a.connect(Tokens.user("u1")).containsKey("connect")).isTrue();
    }
    // slots come back once connections close
    long deadline = System.currentTimeMillis() + 5000;
    while (true) {
      try (WsClient again = server.client()) {
        assertThat(again.connect(Tokens.user("u9")).containsKey("connect")).isTrue();
        break;
      } catch (IllegalStateException refused) {
        if (System.currentTimeMillis() > deadline) throw refused;
      }
    }
  }
}
