package dev.gyre.transport;

import dev.gyre.testkit.StreamClient;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unidirectional transports (spec/client-protocol.md §1.7): one bare connect request in, bare
 * pushes out — first the connect push, then publications of the server-side subscriptions.
 */
class UnidirectionalTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("uni_http_stream", new JsonObject().put("enabled", true))
        .put("uni_sse", new JsonObject().put("enabled", true))
        .put("uni_websocket", new JsonObject().put("enabled", true))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "news")))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A connect request whose token subscribes the client to the channel. */
  static String connectRequest(String user, String channel) {
    String token = Tokens.sign(new JsonObject().put("sub", user).put("exp", Tokens.now() + 3600)
        .put("channels", new JsonArray().add(channel)));
    return new JsonObject().put("token", token).put("name", "uni").encode();
  }

  static void publish(String channel, int n) {
    server.api().call("publish", new JsonObject().put("channel", channel).put("data", new JsonObject().put("n", n)));
  }

  static void assertConnectPush(JsonObject push, String channel) {
    JsonObject connect = push.getJsonObject("connect");
    assertThat(connect).as("connect push: " + push).isNotNull();
    assertThat(push.fieldNames()).containsExactly("connect");
    assertThat(connect.getString("client")).matches("[0-9a-f-]{36}");
    assertThat(connect.getString("version")).endsWith(" OSS");
    assertThat(connect.getString("session")).matches("[0-9a-f-]{36}");
    assertThat(connect.containsKey("node")).isFalse();
    assertThat(connect.containsKey("pong")).isFalse();
    assertThat(connect.getInteger("ping")).isEqualTo(25);
    assertThat(connect.getJsonObject("subs").containsKey(channel)).isTrue();
  }

  static void assertPublication(JsonObject push, String channel, int n) {
    assertThat(push).isEqualTo(new JsonObject().put("channel", channel)
        .put("pub", new JsonObject().put("data", new JsonObject().put("n", n))));
  }

  @Test
  void uniHttpStreamReceivesConnectPushThenBarePublications() {
    try (StreamClient c = StreamClient.open(server.port, "POST", "/connection/uni_http_stream",
        connectRequest("u1", "news:a"), Map.of(), StreamClient.Framing.LINES)) {
      assertConnectPush(c.next(), "news:a");
      publish("news:a", 1);
      publish("news:a", 2);
      assertPublication(c.next(), "news:a", 1);
      assertPublication(c.next(), "news:a", 2);
    }
  }

  @Test
  void uniSseByGetAndByPost() {
    try (StreamClient get = StreamClient.open(server.port, "GET", "/connection/uni_sse?cf_connect="
        + StreamClient.encode(connectRequest("u2", "news:b")), null, Map.of(), StreamClient.Framing.SSE);
         StreamClient post = StreamClient.open(server.port, "POST", "/connection/uni_sse",
             connectRequest("u3", "news:b"), Map.of(), StreamClient.Framing.SSE)) {
      assertThat(get.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
      assertConnectPush(get.next(), "news:b");
      assertConnectPush(post.next(), "news:b");
      assertThat(get.preamble()).isEqualTo("\r\n");
      publish("news:b", 7);
      assertPublication(get.next(), "news:b", 7);
      assertPublication(post.next(), "news:b", 7);
    }
  }

  @Test
  void uniSseWithoutConnectRequestIsAnEmptyRequest() {
    // No token and no anonymous access: the connect fails with a disconnect, delivered as a push.
    try (StreamClient c = StreamClient.open(server.port, "GET", "/connection/uni_sse", null, Map.of(),
        StreamClient.Framing.SSE)) {
      assertThat(c.next()).isEqualTo(new JsonObject().put("disconnect",
          new JsonObject().put("code", 3501).put("reason", "bad request")));
      c.awaitEnd();
    }
  }

  @Test
  void uniWebSocketWithCfConnectOrFirstMessage() {
    try (WsClient byParam = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket?cf_connect="
        + StreamClient.encode(connectRequest("u4", "news:c")), null);
         WsClient byMessage = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket", null)) {
      byMessage.send(connectRequest("u5", "news:c"));
      assertConnectPush(byParam.next(), "news:c");
      assertConnectPush(byMessage.next(), "news:c");
      byMessage.send("{\"subscribe\":{\"channel\":\"news:c\"},\"id\":2}"); // ignored: uni clients send nothing more
      publish("news:c", 3);
      assertPublication(byParam.next(), "news:c", 3);
      assertPublication(byMessage.next(), "news:c", 3);
    }
  }

  @Test
  void uniWebSocketDisconnectIsAPushThenTheCloseCode() {
    try (WsClient c = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket", null)) {
      c.send(connectRequest("u6", "news:d"));
      assertConnectPush(c.next(), "news:d");
      server.api().call("disconnect", new JsonObject().put("user", "u6"));
      assertThat(c.next()).isEqualTo(new JsonObject().put("disconnect",
          new JsonObject().put("code", 3503).put("reason", "force disconnect")));
      assertThat(c.awaitClose()).isEqualTo(3503);
      assertThat(c.closeReason()).isEqualTo("force disconnect");
    }
  }

  @Test
  void malformedUniWebSocketConnectClosesWith3501() {
    try (WsClient c = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket", null)) {
      c.send("{\"token\":");
      assertThat(c.awaitClose()).isEqualTo(3501);
    }
  }

  @Test
  void connectErrorsBecomeDisconnects() {
    // An expired token is error 109 on bidirectional transports: 3005 here.
    String expired = Tokens.sign(new JsonObject().put("sub", "u7").put("exp", Tokens.now() - 60));
    String request = new JsonObject().put("token", expired).encode();
    try (StreamClient c = StreamClient.open(server.port, "POST", "/connection/uni_http_stream", request, Map.of(),
        StreamClient.Framing.LINES)) {
      assertThat(c.next()).isEqualTo(new JsonObject().put("disconnect",
          new JsonObject().put("code", 3005).put("reason", "connection expired")));
      c.awaitEnd();
    }
    try (WsClient c = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket?cf_connect="
        + StreamClient.encode(request), null)) {
      assertThat(c.awaitClose()).isEqualTo(3005);
    }
  }
}
