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

/** The client protocol over a real WebSocket against a real node (spec/client-protocol.md). */
class WebSocketProtocolTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("allow_anonymous_connect_without_token", true))
        .put("channel", new JsonObject()
            .put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))
            .put("namespaces", new JsonArray()
                .add(new JsonObject().put("name", "chat").put("allow_subscribe_for_client", true)
                    .put("allow_publish_for_subscriber", true).put("join_leave", true)
                    .put("allow_presence_for_subscriber", true).put("presence", true))
                .add(new JsonObject().put("name", "news").put("allow_subscribe_for_client", true)
                    .put("allow_subscribe_for_anonymous", true))
                .add(new JsonObject().put("name", "dialog").put("allow_user_limited_channels", true))
                .add(new JsonObject().put("name", "secret"))
                .add(new JsonObject().put("name", "ids").put("allow_subscribe_for_client", true)
                    .put("channel_regex", "^[0-9]+$")))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void connectReplyCarriesClientVersionPingAndExpiry() {
    try (WsClient c = server.client()) {
      JsonObject r = c.connect(Tokens.user("alice")).getJsonObject("connect");
      assertThat(r.getString("client")).matches("[0-9a-f-]{36}");
      assertThat(r.getString("version")).endsWith(" OSS");
      assertThat(r.getInteger("ping")).isEqualTo(25);
      assertThat(r.getBoolean("pong")).isTrue();
      assertThat(r.getBoolean("expires")).isTrue();
      assertThat(r.getInteger("ttl")).isBetween(3590, 3600);
    }
  }

  @Test
  void connectAndSubscribeInOneFrameAreAnsweredInOrderAndPublicationArrives() {
    try (WsClient c = server.client()) {
      c.send("{\"connect\":{\"token\":\"" + Tokens.user("alice") + "\",\"name\":\"js\"},\"id\":1}\n"
          + "{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}");
      JsonObject first = c.next();
      JsonObject second = c.next();
      assertThat(first.getInteger("id")).isEqualTo(1);
      assertThat(first.containsKey("connect")).isTrue();
      assertThat(second).isEqualTo(new JsonObject().put("id", 2).put("subscribe", new JsonObject()));

      JsonObject res = server.api().call("publish",
          new JsonObject().put("channel", "chat:index").put("data", new JsonObject().put("text", "hello")));
      assertThat(res).isEqualTo(new JsonObject().put("result", new JsonObject()));
      JsonObject push = c.push("chat:index");
      assertThat(push.getJsonObject("push").getJsonObject("pub").getJsonObject("data"))
          .isEqualTo(new JsonObject().put("text", "hello"));
    }
  }

  @Test
  void rawPayloadIsDeliveredByteForByteWithoutNewlines() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      c.call(2, "subscribe", new JsonObject().put("channel", "raw"));
      var r = server.api().request(io.vertx.core.http.HttpMethod.POST, "/api/publish",
          "{\"channel\":\"raw\",\"data\":{\"a\" : 1.50,\n\"b\":[1,  2]}}",
          io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY));
      assertThat(r.status()).isEqualTo(200);
      String line = c.rawLineContaining("\"channel\":\"raw\"");
      assertThat(line).isEqualTo("{\"push\":{\"channel\":\"raw\",\"pub\":{\"data\":{\"a\" : 1.50,\"b\":[1,  2]}}}}");
    }
  }

  @Test
  void clientPublishReachesOtherSubscribersWithPublisherInfo() {
    try (WsClient a = server.client(); WsClient b = server.client()) {
      a.connect(Tokens.user("alice"));
      b.connect(Tokens.user("bob"));
      a.call(2, "subscribe", new JsonObject().put("channel", "chat:room"));
      b.call(2, "subscribe", new JsonObject().put("channel", "chat:room"));
      JsonObject reply = a.call(3, "publish", new JsonObject().put("channel", "chat:room")
          .put("data", new JsonObject().put("m", 1)));
      assertThat(reply).isEqualTo(new JsonObject().put("id", 3).put("publish", new JsonObject()));
      JsonObject pub = b.next(m -> m.containsKey("push") && m.getJsonObject("push").containsKey("pub"))
          .getJsonObject("push").getJsonObject("pub");
      assertThat(pub.getJsonObject("info").getString("user")).isEqualTo("alice");
      assertThat(pub.getJsonObject("data")).isEqualTo(new JsonObject().put("m", 1));
    }
  }

  @Test
  void publishWithoutPermissionIsDeniedAndUnknownNamespaceIs102() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject denied = c.call(2, "publish", new JsonObject().put("channel", "news:x").put("data", 1));
      assertThat(denied.getJsonObject("error").getInteger("code")).isEqualTo(103);
      JsonObject unknown = c.call(3, "subscribe", new JsonObject().put("channel", "nope:x"));
      assertThat(unknown.getJsonObject("error"))
          .isEqualTo(new JsonObject().put("code", 102).put("message", "unknown channel"));
      JsonObject privateNoToken = c.call(4, "subscribe", new JsonObject().put("channel", "$news:x"));
      assertThat(privateNoToken.getJsonObject("error").getInteger("code")).isEqualTo(103);
      JsonObject noAllow = c.call(5, "subscribe", new JsonObject().put("channel", "secret:x"));
      assertThat(noAllow.getJsonObject("error").getInteger("code")).isEqualTo(103);
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void alreadySubscribedBadNamesAndRegex() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "ids:42")).containsKey("subscribe")).isTrue();
      assertThat(c.call(3, "subscribe", new JsonObject().put("channel", "ids:42")).getJsonObject("error").getInteger("code"))
          .isEqualTo(105);
      assertThat(c.call(4, "subscribe", new JsonObject().put("channel", "ids:abc")).getJsonObject("error").getInteger("code"))
          .isEqualTo(107);
      assertThat(c.call(5, "subscribe", new JsonObject().put("channel", "x".repeat(256))).getJsonObject("error")
          .getInteger("code")).isEqualTo(107);
      assertThat(c.call(6, "subscribe", new JsonObject().put("channel", "héllo")).getJsonObject("error")
          .getInteger("code")).isEqualTo(107);
      assertThat(c.call(7, "unsubscribe", new JsonObject().put("channel", "ids:42")))
          .isEqualTo(new JsonObject().put("id", 7).put("unsubscribe", new JsonObject()));
      assertThat(c.call(8, "subscribe", new JsonObject().put("channel", "ids:42")).containsKey("subscribe")).isTrue();
    }
  }

  @Test
  void anonymousConnectionsFollowAnonymousRules() {
    try (WsClient c = server.client()) {
      JsonObject r = c.connect(null);
      assertThat(r.getJsonObject("connect").containsKey("expires")).isFalse();
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "news:a")).containsKey("subscribe")).isTrue();
      assertThat(c.call(3, "subscribe", new JsonObject().put("channel", "chat:a")).getJsonObject("error")
          .getInteger("code")).isEqualTo(103);
    }
  }

  @Test
  void subscriptionTokenGrantsPrivateChannelAndIsCheckedAgainstUserAndChannel() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject ok = c.call(2, "subscribe", new JsonObject().put("channel", "$secret:1")
          .put("token", Tokens.subscription("alice", "$secret:1", 600)));
      assertThat(ok.getJsonObject("subscribe").getBoolean("expires")).isTrue();
      JsonObject expired = c.call(3, "subscribe", new JsonObject().put("channel", "$secret:2")
          .put("token", Tokens.sign(new JsonObject().put("sub", "alice").put("channel", "$secret:2")
              .put("exp", Tokens.now() - 10))));
      assertThat(expired.getJsonObject("error").getInteger("code")).isEqualTo(109);
      JsonObject garbage = c.call(4, "subscribe", new JsonObject().put("channel", "$secret:3").put("token", "abc"));
      assertThat(garbage.getJsonObject("error").getInteger("code")).isEqualTo(103);
      c.send(new JsonObject().put("subscribe", new JsonObject().put("channel", "$secret:4")
          .put("token", Tokens.subscription("bob", "$secret:4", 600))).put("id", 5).encode());
      assertThat(c.awaitClose()).isEqualTo(3500);
    }
  }

  @Test
  void userLimitedChannelAllowsListedUsersOnly() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("42"));
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "dialog:#42,43")).containsKey("subscribe")).isTrue();
      assertThat(c.call(3, "subscribe", new JsonObject().put("channel", "dialog:#43,44")).getJsonObject("error")
          .getInteger("code")).isEqualTo(103);
    }
  }

  @Test
  void capsClaimGrantsSubscribeWithoutNamespacePermission() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.userWithCaps("alice", "secret:room", "sub"));
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "secret:room")).containsKey("subscribe")).isTrue();
      assertThat(c.call(3, "subscribe", new JsonObject().put("channel", "secret:other")).getJsonObject("error")
          .getInteger("code")).isEqualTo(103);
    }
  }

  @Test
  void serverSideSubscriptionsFromTokenChannels() {
    try (WsClient c = server.client()) {
      String token = Tokens.sign(new JsonObject().put("sub", "alice").put("channels", new JsonArray().add("news:feed")));
      JsonObject r = c.connect(token).getJsonObject("connect");
      assertThat(r.getJsonObject("subs").containsKey("news:feed")).isTrue();
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "news:feed")).getJsonObject("error")
          .getInteger("code")).isEqualTo(105);
      server.api().call("publish", new JsonObject().put("channel", "news:feed").put("data", "\"x\""));
      assertThat(c.push("news:feed").getJsonObject("push").getJsonObject("pub").getString("data")).isEqualTo("\"x\"");
    }
  }

  @Test
  void joinAndLeavePushesGoToSubscribersThatAskForThem() {
    try (WsClient a = server.client(); WsClient b = server.client()) {
      a.connect(Tokens.user("alice"));
      a.call(2, "subscribe", new JsonObject().put("channel", "chat:jl").put("join_leave", true));
      JsonObject ownJoin = a.push("chat:jl");
      assertThat(ownJoin.getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user"))
          .isEqualTo("alice");
      b.connect(Tokens.user("bob"));
      b.call(2, "subscribe", new JsonObject().put("channel", "chat:jl"));
      JsonObject join = a.push("chat:jl");
      assertThat(join.getJsonObject("push").getJsonObject("join").getJsonObject("info").getString("user")).isEqualTo("bob");
      b.call(3, "unsubscribe", new JsonObject().put("channel", "chat:jl"));
      JsonObject leave = a.push("chat:jl");
      assertThat(leave.getJsonObject("push").getJsonObject("leave").getJsonObject("info").getString("user"))
          .isEqualTo("bob");
    }
  }

  @Test
  void refreshExtendsTheConnection() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.sign(new JsonObject().put("sub", "alice").put("exp", Tokens.now() + 60)));
      JsonObject r = c.call(2, "refresh", new JsonObject().put("token", Tokens.user("alice")));
      assertThat(r.getJsonObject("refresh").getBoolean("expires")).isTrue();
      assertThat(r.getJsonObject("refresh").getInteger("ttl")).isGreaterThan(3000);
      c.send(new JsonObject().put("refresh", new JsonObject().put("token", Tokens.user("mallory"))).put("id", 3).encode());
      assertThat(c.awaitClose()).isEqualTo(3500);
    }
  }

  @Test
  void rpcIsNotAvailableAndSendDisconnects() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      assertThat(c.call(2, "rpc", new JsonObject().put("method", "x")).getJsonObject("error").getInteger("code"))
          .isEqualTo(108);
      c.send("{\"send\":{\"data\":{}}}");
      assertThat(c.awaitClose()).isEqualTo(3508);
      assertThat(c.closeReason()).isEqualTo("not available");
    }
  }
}
