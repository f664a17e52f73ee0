package dev.gyre.transport;

import dev.gyre.testkit.StreamClient;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-streaming and SSE with the emulation endpoint against a real node with two transport
 * instances (spec/client-protocol.md §1.4–1.6, §3.5, §8.10).
 */
class EmulationTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("http_stream", new JsonObject().put("enabled", true))
        .put("sse", new JsonObject().put("enabled", true))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "chat").put("allow_subscribe_for_client", true).put("presence", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String connectFrame(String user) {
    return new JsonObject().put("connect", new JsonObject().put("token", Tokens.user(user)).put("name", "js"))
        .put("id", 1).encode();
  }

  static JsonObject publish(String channel, JsonObject data) {
    return server.api().call("publish", new JsonObject().put("channel", channel).put("data", data));
  }

  @Test
  void httpStreamConnectsSubscribesThroughEmulationAndReceivesPublications() {
    try (StreamClient c = StreamClient.httpStream(server.port, connectFrame("alice"))) {
      assertThat(c.header("Cache-Control")).isEqualTo("private, no-cache, no-store, must-revalidate, max-age=0");
      assertThat(c.header("X-Accel-Buffering")).isEqualTo("no");
      assertThat(c.header("Pragma")).isEqualTo("no-cache");
      assertThat(c.header("Content-Type")).isNull();
      JsonObject connect = c.connectReply();
      assertThat(connect.getString("session")).matches("[0-9a-f-]{36}");
      assertThat(connect.getString("node")).isEqualTo(server.server.node().id());
      assertThat(connect.getInteger("ping")).isEqualTo(25);
      assertThat(connect.getBoolean("pong")).isTrue();

      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "chat:hs")))
          .isEqualTo(new JsonObject().put("id", 2).put("subscribe", new JsonObject()));
      publish("chat:hs", new JsonObject().put("text", "hi"));
      assertThat(c.push("chat:hs").getJsonObject("push").getJsonObject("pub").getJsonObject("data"))
          .isEqualTo(new JsonObject().put("text", "hi"));
    }
  }

  @Test
  void sseStartsWithCrLfAndSendsEveryReplyAsItsOwnEvent() {
    // connect and subscribe in one frame: their replies may share one write, but never one event.
    String frame = connectFrame("bob") + "\n" + new JsonObject()
        .put("subscribe", new JsonObject().put("channel", "chat:sse")).put("id", 2).encode();
    try (StreamClient c = StreamClient.sse(server.port, frame)) {
      assertThat(c.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
      assertThat(c.header("Cache-Control")).isEqualTo("private, no-cache, no-store, must-revalidate, max-age=0");
      assertThat(c.connectReply().getString("node")).isEqualTo(server.server.node().id());
      assertThat(c.reply(2)).isEqualTo(new JsonObject().put("id", 2).put("subscribe", new JsonObject()));
      assertThat(c.preamble()).isEqualTo("\r\n");
      // Synchronous commands of one frame are answered in one coalesced write: still one event each.
      assertThat(c.send("{\"unsubscribe\":{\"channel\":\"x\"},\"id\":3}\n"
          + "{\"unsubscribe\":{\"channel\":\"y\"},\"id\":4}")).isEqualTo(204);
      assertThat(c.next()).isEqualTo(new JsonObject().put("id", 3).put("unsubscribe", new JsonObject()));
      assertThat(c.next()).isEqualTo(new JsonObject().put("id", 4).put("unsubscribe", new JsonObject()));
      publish("chat:sse", new JsonObject().put("n", 1));
      publish("chat:sse", new JsonObject().put("n", 2));
      assertThat(c.push("chat:sse").getJsonObject("push").getJsonObject("pub").getJsonObject("data").getInteger("n"))
          .isEqualTo(1);
      assertThat(c.push("chat:sse").getJsonObject("push").getJsonObject("pub").getJsonObject("data").getInteger("n"))
          .isEqualTo(2);
      for (String event : c.rawEvents()) {
        assertThat(event).startsWith("data: {").doesNotContain("\n");
      }
    }
  }

  @Test
  void sseAcceptsTheConnectFrameAsPostBody() {
    try (StreamClient c = StreamClient.open(server.port, "POST", "/connection/sse", connectFrame("carol"),
        Map.of("Content-Type", "application/json"), StreamClient.Framing.SSE)) {
      assertThat(c.connectReply().getString("session")).matches("[0-9a-f-]{36}");
      assertThat(c.call(2, "subscribe", new JsonObject().put("channel", "chat:post")).containsKey("subscribe"))
          .isTrue();
    }
  }

  @Test
  void emulationRequestsReachTheSessionWhicheverInstanceTakesThem() {
    // Every emulation request goes on a new connection, which the server hands to its two
    // transport instances in turn: some of them land on the instance that does not own the session.
    try (StreamClient c = StreamClient.httpStream(server.port, connectFrame("dave"))) {
      c.connectReply();
      for (int i = 0; i < 6; i++) {
        assertThat(c.call(10 + i, "subscribe", new JsonObject().put("channel", "chat:spread" + i))
            .containsKey("subscribe")).isTrue();
      }
    }
  }

  @Test
  void serverDisconnectArrivesAsDisconnectPushThenTheStreamEnds() {
    try (StreamClient hs = StreamClient.httpStream(server.port, connectFrame("erin"));
         StreamClient sse = StreamClient.sse(server.port, connectFrame("erin"))) {
      hs.connectReply();
      sse.connectReply();
      server.api().call("disconnect", new JsonObject().put("user", "erin"));
      JsonObject expected = new JsonObject().put("push", new JsonObject().put("disconnect",
          new JsonObject().put("code", 3503).put("reason", "force disconnect")));
      assertThat(hs.next(m -> m.containsKey("push"))).isEqualTo(expected);
      assertThat(sse.next(m -> m.containsKey("push"))).isEqualTo(expected);
      hs.awaitEnd();
      sse.awaitEnd();
    }
  }

  @Test
  void aMalformedConnectFrameIsABadRequestDisconnect() {
    try (StreamClient c = StreamClient.httpStream(server.port, "{\"connect\":")) {
      assertThat(c.next()).isEqualTo(new JsonObject().put("push", new JsonObject().put("disconnect",
          new JsonObject().put("code", 3501).put("reason", "bad request"))));
      c.awaitEnd();
    }
  }

  @Test
  void clientAbortingTheRequestClosesTheSession() throws Exception {
    StreamClient c = StreamClient.httpStream(server.port, connectFrame("frank"));
    c.connectReply();
    c.call(2, "subscribe", new JsonObject().put("channel", "chat:abort"));
    awaitPresence("chat:abort", 1);
    c.close();
    awaitPresence("chat:abort", 0);
    // Its session id is now unknown: commands for it are dropped with 204.
    assertThat(c.send("{\"presence\":{\"channel\":\"chat:abort\"},\"id\":3}")).isEqualTo(204);
  }

  private static void awaitPresence(String channel, int clients) throws InterruptedException {
    long deadline = System.currentTimeMillis() + StreamClient.WAIT_MS;
    while (presence(channel).size() != clients) {
      assertThat(System.currentTimeMillis()).as("presence of " + channel + " never reached " + clients)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<String> presence(String channel) {
    JsonObject r = server.api().call("presence", new JsonObject().put("channel", channel));
    return List.copyOf(r.getJsonObject("result").getJsonObject("presence").fieldNames());
  }
}
