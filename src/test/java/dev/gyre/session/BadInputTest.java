package dev.gyre.session;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input gets its spec code and harms no one else: while each bad client is dealt with, a
 * bystander subscribed to a channel keeps receiving publications.
 */
class BadInputTest {
  static TestServer server;
  WsClient bystander;
  int seq;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("channel_limit", 3).put("queue_max_size", 4096)
            .put("allowed_origins", new JsonArray().add("https://*.good.example")))
        .put("channel", new JsonObject().put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void subscribeBystander() {
    bystander = server.client();
    bystander.connect(Tokens.user("bystander"));
    bystander.call(2, "subscribe", new JsonObject().put("channel", "room"));
  }

  @AfterEach
  void bystanderStillReceives() {
    String marker = "m" + (++seq);
    server.api().call("publish", new JsonObject().put("channel", "room").put("data", new JsonObject().put("k", marker)));
    JsonObject pub = bystander.push("room").getJsonObject("push").getJsonObject("pub");
    assertThat(pub.getJsonObject("data").getString("k")).isEqualTo(marker);
    bystander.close();
  }

  private static int closeAfter(String frame, boolean connectFirst) {
    try (WsClient c = server.client()) {
      if (connectFirst) c.connect(Tokens.user("bad"));
      c.send(frame);
      return c.awaitClose();
    }
  }

  @Test
  void malformedJsonFrameIsBadRequest() {
    assertThat(closeAfter("{\"connect\":", false)).isEqualTo(3501);
    assertThat(closeAfter("not json at all", true)).isEqualTo(3501);
    assertThat(closeAfter("{\"id\":1,\"connect\":{}}\n\n{\"id\":2}", false)).isEqualTo(3501);
    assertThat(closeAfter("{\"subscribe\":{\"channel\":5},\"id\":2}", true)).isEqualTo(3501);
    assertThat(closeAfter("{\"id\":-1,\"subscribe\":{\"channel\":\"a\"}}", true)).isEqualTo(3501);
  }

  @Test
  void unknownCommandAndV2PingCommandAreBadRequest() {
    assertThat(closeAfter("{\"id\":3,\"foo\":{}}", true)).isEqualTo(3501);
    assertThat(closeAfter("{\"id\":3,\"ping\":{}}", true)).isEqualTo(3501);
  }

  @Test
  void binaryGarbageFrameIsBadRequest() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("bad"));
      c.sendBinary(new byte[] {0x08, (byte) 0xff, 0x01, 0x22});
      assertThat(c.awaitClose()).isEqualTo(3501);
      assertThat(c.closeReason()).isEqualTo("bad request");
    }
  }

  @Test
  void oversizedFrameClosesWith1009() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("bad"));
      c.send("{\"publish\":{\"channel\":\"room\",\"data\":\"" + "x".repeat(70_000) + "\"},\"id\":2}");
      assertThat(c.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void commandsBeforeConnectAndSecondConnectAreBadRequest() {
    assertThat(closeAfter("{\"subscribe\":{\"channel\":\"room\"},\"id\":1}", false)).isEqualTo(3501);
    assertThat(closeAfter("{\"connect\":{},\"id\":9}", true)).isEqualTo(3501);
    assertThat(closeAfter("{}", true)).isEqualTo(3501); // pong with no ping outstanding
    assertThat(closeAfter("{\"connect\":{},\"id\":1}", false)).isEqualTo(3501); // no credentials
  }

  @Test
  void badTokensAreRejected() {
    assertThat(closeAfter("{\"connect\":{\"token\":\"garbage\"},\"id\":1}", false)).isEqualTo(3500);
    String wrongKey = new dev.gyre.auth.TokenSigner("another-secret").sign(new JsonObject().put("sub", "x"));
    assertThat(closeAfter("{\"connect\":{\"token\":\"" + wrongKey + "\"},\"id\":1}", false)).isEqualTo(3500);
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String none = header + "." + b64("{\"sub\":\"admin\"}") + ".";
    assertThat(closeAfter("{\"connect\":{\"token\":\"" + none + "\"},\"id\":1}", false)).isEqualTo(3500);
    String noneTwoParts = header + "." + b64("{\"sub\":\"admin\"}");
    assertThat(closeAfter("{\"connect\":{\"token\":\"" + noneTwoParts + "\"},\"id\":1}", false)).isEqualTo(3500);
  }

  @Test
  void expiredTokenGets109AndTheConnectionBecomesUnusable() {
    try (WsClient c = server.client()) {
      String expired = Tokens.sign(new JsonObject().put("sub", "alice").put("exp", Tokens.now() - 5));
      JsonObject r = c.connect(expired);
      assertThat(r.getJsonObject("error")).isEqualTo(new JsonObject().put("code", 109).put("message", "token expired"));
      c.send("{\"subscribe\":{\"channel\":\"room\"},\"id\":2}");
      assertThat(c.awaitClose()).isEqualTo(3501);
    }
  }

  @Test
  void channelLimitGives106AndServerSideExcessGives3505() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      for (int i = 0; i < 3; i++) {
        assertThat(c.call(10 + i, "subscribe", new JsonObject().put("channel", "c" + i)).containsKey("subscribe")).isTrue();
      }
      assertThat(c.call(20, "subscribe", new JsonObject().put("channel", "c9")).getJsonObject("error").getInteger("code"))
          .isEqualTo(106);
    }
    String many = Tokens.sign(new JsonObject().put("sub", "alice")
        .put("channels", new JsonArray().add("a").add("b").add("c").add("d")));
    assertThat(closeAfter("{\"connect\":{\"token\":\"" + many + "\"},\"id\":1}", false)).isEqualTo(3505);
  }

  @Test
  void slowClientIsDisconnectedWith3008() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("slow"));
      c.call(2, "subscribe", new JsonObject().put("channel", "burst"));
      JsonArray commands = new JsonArray();
      for (int i = 0; i < 40; i++) {
        commands.add(new JsonObject().put("publish", new JsonObject().put("channel", "burst")
            .put("data", new JsonObject().put("pad", "y".repeat(200)))));
      }
      server.api().call("batch", new JsonObject().put("commands", commands).put("parallel", true));
      assertThat(c.awaitClose()).isEqualTo(3008);
      assertThat(c.closeReason()).isEqualTo("slow");
    }
  }

  @Test
  void originNotAllowedIsRefusedWith403() {
    MultiMap evil = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.example");
    assertThatThrownBy(() -> WsClient.connect(server.vertx, server.port, "/connection/websocket", evil))
        .hasRootCauseMessage("WebSocket upgrade failure: 403");
    MultiMap good = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://app.good.example");
    try (WsClient c = WsClient.connect(server.vertx, server.port, "/connection/websocket", good)) {
      assertThat(c.connect(Tokens.user("alice")).containsKey("connect")).isTrue();
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
