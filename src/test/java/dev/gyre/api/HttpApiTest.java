package dev.gyre.api;

import dev.gyre.testkit.ApiClient;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP server API against a real node (spec/server-api.md). */
class HttpApiTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("channel", new JsonObject()
        .put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))
        .put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "chat").put("allow_subscribe_for_client", true).put("presence", true))
            .add(new JsonObject().put("name", "jsonly").put("publication_data_format", "json_object")))));
    api = server.api();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static MultiMap key() {
    return MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY);
  }

  private static ApiClient.Response post(String path, String body, MultiMap headers) {
    return api.request(HttpMethod.POST, path, body, headers);
  }

  @Test
  void statusRules() {
    assertThat(api.request(HttpMethod.GET, "/api/publish", null, key()).status()).isEqualTo(405);
    ApiClient.Response noKey = post("/api/info", "{}", null);
    assertThat(noKey.status()).isEqualTo(401);
    assertThat(noKey.body()).isEmpty();
    assertThat(post("/api/info", "{}", MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "wrong")).status())
        .isEqualTo(401);
    // A wrong X-API-Key is not rescued by a right Authorization header.
    assertThat(post("/api/info", "{}", MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "wrong")
        .add("Authorization", "apikey " + TestServer.API_KEY)).status()).isEqualTo(401);
    for (String scheme : new String[] {"apikey", "ApiKey", "APIKEY"}) {
      assertThat(post("/api/info", "{}", MultiMap.caseInsensitiveMultiMap()
          .add("Authorization", scheme + " " + TestServer.API_KEY)).status()).isEqualTo(200);
    }
    assertThat(post("/api/info", "{}?api_key=" + TestServer.API_KEY, null).status()).isEqualTo(401);
    ApiClient.Response empty = post("/api/info", "", key());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("Bad Request");
    assertThat(post("/api/publish", "{\"channel\":", key()).status()).isEqualTo(400);
    assertThat(post("/api/nonexistent", "{}", key()).status()).isEqualTo(404);
    assertThat(post("/api/publish/", "{}", key()).status()).isEqualTo(404);
  }

  @Test
  void errorsTravelInA200Body() {
    assertThat(api.call("publish", new JsonObject().put("data", 1)))
        .isEqualTo(new JsonObject().put("error", new JsonObject().put("code", 107).put("message", "bad request")));
    assertThat(api.call("publish", new JsonObject().put("channel", "nope:x").put("data", 1)))
        .isEqualTo(new JsonObject().put("error", new JsonObject().put("code", 102).put("message", "unknown channel")));
    assertThat(api.call("publish", new JsonObject().put("channel", "x")).getJsonObject("error").getInteger("code"))
        .isEqualTo(107);
    assertThat(api.call("publish", new JsonObject().put("channel", "jsonly:x").put("data", "[1]"))
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(api.call("publish", new JsonObject().put("channel", "x").put("b64data", "!!notbase64"))
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(api.call("publish", new JsonObject().put("channel", 5).put("data", 1))
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(api.call("presence", new JsonObject().put("channel", "x")).getJsonObject("error").getInteger("code"))
        .isEqualTo(108);
    assertThat(api.call("history", new JsonObject().put("channel", "chat:x")).getJsonObject("error").getInteger("code"))
        .isEqualTo(108);
    assertThat(api.call("rpc", new JsonObject().put("method", "m")).getJsonObject("error"))
        .isEqualTo(new JsonObject().put("code", 104).put("message", "not found"));
  }

  @Test
  void transportErrorModeUsesStatusCodes() {
    ApiClient.Response r = post("/api/publish", "{\"channel\":\"nope:x\",\"data\":1}",
        key().add("X-Centrifugo-Error-Mode", "transport"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json()).isEqualTo(new JsonObject().put("code", 102).put("message", "unknown channel"));
    ApiClient.Response ok = post("/api/publish", "{\"channel\":\"x\",\"data\":1}",
        key().add("X-Centrifugo-Error-Mode", "transport"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json()).isEqualTo(new JsonObject().put("result", new JsonObject()));
  }

  @Test
  void broadcastAnswersPerChannelInRequestOrder() {
    JsonObject r = api.call("broadcast", new JsonObject().put("channels", new JsonArray().add("a").add("nope:b").add(""))
        .put("data", new JsonObject()));
    JsonArray responses = r.getJsonObject("result").getJsonArray("responses");
    assertThat(responses.getJsonObject(0)).isEqualTo(new JsonObject().put("result", new JsonObject()));
    assertThat(responses.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(102);
    assertThat(responses.getJsonObject(2).getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(api.call("broadcast", new JsonObject().put("channels", new JsonArray()).put("data", 1))
        .getJsonObject("error").getInteger("code")).isEqualTo(107);
  }

  @Test
  void batchRepliesByMethodKey() {
    JsonObject r = api.call("batch", new JsonObject().put("commands", new JsonArray()
        .add(new JsonObject().put("publish", new JsonObject().put("channel", "a").put("data", 1)))
        .add(new JsonObject().put("publish", new JsonObject().put("channel", "nope:x").put("data", 1)))
        .add(new JsonObject().put("connections", new JsonObject()))
        .add(new JsonObject().put("info", new JsonObject()))));
    JsonArray replies = r.getJsonArray("replies");
    assertThat(replies.getJsonObject(0)).isEqualTo(new JsonObject().put("publish", new JsonObject()));
    assertThat(replies.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(102);
    assertThat(replies.getJsonObject(2).getJsonObject("error").getInteger("code")).isEqualTo(104);
    assertThat(replies.getJsonObject(3).getJsonObject("info").getJsonArray("nodes")).hasSize(1);
    assertThat(api.call("batch", new JsonObject().put("commands", new JsonArray()))).isEqualTo(new JsonObject());
  }

  @Test
  void legacyEndpointAnswersLineByLine() {
    ApiClient.Response r = post("/api", "{\"method\":\"publish\",\"params\":{\"channel\":\"a\",\"data\":{\"x\":1}}}\n"
        + "{\"method\":\"INFO\",\"id\":2}\n{\"params\":{\"channel\":\"nope:x\",\"data\":1},\"id\":3}\n"
        + "{\"method\":14,\"params\":{}}\n{\"method\":\"channels\"}", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "apikey " + TestServer.API_KEY));
    assertThat(r.status()).isEqualTo(200);
    String[] lines = r.body().split("\n");
    assertThat(lines).hasSize(5);
    assertThat(new JsonObject(lines[0])).isEqualTo(new JsonObject().put("result", new JsonObject()));
    assertThat(new JsonObject(lines[1]).getInteger("id")).isEqualTo(2);
    assertThat(new JsonObject(lines[1]).getJsonObject("result").getJsonArray("nodes")).hasSize(1);
    assertThat(new JsonObject(lines[2]).getJsonObject("error").getInteger("code")).isEqualTo(102);
    assertThat(new JsonObject(lines[3]).getJsonObject("error").getInteger("code")).isEqualTo(104);
    assertThat(new JsonObject(lines[4]).getJsonObject("error").getInteger("code")).isEqualTo(107);
    assertThat(post("/api", "{\"method\":\"bogus\"}", key()).status()).isEqualTo(400);
    assertThat(post("/api", "", key()).status()).isEqualTo(400);
  }

  @Test
  void serverSideActionsReachLiveConnections() {
    try (WsClient c = server.client()) {
      JsonObject connect = c.connect(Tokens.user("carol")).getJsonObject("connect");
      String client = connect.getString("client");

      assertThat(api.call("subscribe", new JsonObject().put("user", "carol").put("channel", "chat:srv")
          .put("data", new JsonObject().put("hello", true)))).isEqualTo(new JsonObject().put("result", new JsonObject()));
      JsonObject sub = c.push("chat:srv").getJsonObject("push").getJsonObject("subscribe");
      assertThat(sub.getJsonObject("data")).isEqualTo(new JsonObject().put("hello", true));
      api.call("publish", new JsonObject().put("channel", "chat:srv").put("data", 7));
      assertThat(c.push("chat:srv").getJsonObject("push").getJsonObject("pub").getInteger("data")).isEqualTo(7);

      JsonObject info = api.call("info", new JsonObject()).getJsonObject("result").getJsonArray("nodes").getJsonObject(0);
      assertThat(info.getInteger("num_clients")).isGreaterThanOrEqualTo(1);
      assertThat(info.getInteger("num_subs")).isGreaterThanOrEqualTo(1);
      JsonObject channels = api.call("channels", new JsonObject().put("pattern", "chat:*")).getJsonObject("result");
      assertThat(channels.getJsonObject("channels").getJsonObject("chat:srv"))
          .isEqualTo(new JsonObject().put("num_clients", 1));

      api.call("unsubscribe", new JsonObject().put("user", "carol").put("channel", "chat:srv"));
      JsonObject unsub = c.push("chat:srv").getJsonObject("push").getJsonObject("unsubscribe");
      assertThat(unsub).isEqualTo(new JsonObject().put("code", 2000).put("reason", "server unsubscribe"));

      api.call("disconnect", new JsonObject().put("user", "carol").put("whitelist", new JsonArray().add(client)));
      api.call("disconnect", new JsonObject().put("user", "carol")
          .put("disconnect", new JsonObject().put("code", 4001).put("reason", "bye")));
      assertThat(c.awaitClose()).isEqualTo(4001);
      assertThat(c.closeReason()).isEqualTo("bye");
    }
  }

  @Test
  void defaultDisconnectIsTerminalForceDisconnect() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("dave"));
      api.call("disconnect", new JsonObject().put("user", "dave"));
      assertThat(c.awaitClose()).isEqualTo(3503);
      assertThat(c.closeReason()).isEqualTo("force disconnect");
    }
  }

  @Test
  void refreshWithExpiredClosesWith3005() {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("erin"));
      api.call("refresh", new JsonObject().put("user", "erin").put("expired", true));
      assertThat(c.awaitClose()).isEqualTo(3005);
    }
  }
}
