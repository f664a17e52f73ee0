package dev.gyre.transport;

import dev.gyre.testkit.StreamClient;
import dev.gyre.testkit.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pings on the streamed transports with a short interval (spec/client-protocol.md §4.4): an
 * emulated client answers through the emulation endpoint, a unidirectional one never answers.
 */
class StreamPingTest {
  static final JsonObject PING = new JsonObject();
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("allow_anonymous_connect_without_token", true)
            .put("ping_interval", "1s").put("pong_timeout", "400ms"))
        .put("http_stream", new JsonObject().put("enabled", true))
        .put("uni_http_stream", new JsonObject().put("enabled", true)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final String CONNECT = "{\"connect\":{},\"id\":1}";

  @Test
  void pongThroughEmulationKeepsTheConnection() {
    try (StreamClient c = StreamClient.httpStream(server.port, CONNECT)) {
      c.connectReply();
      for (int i = 0; i < 2; i++) {
        assertThat(c.next()).isEqualTo(PING);
        assertThat(c.send("{}")).isEqualTo(204);
      }
      assertThat(c.next()).isEqualTo(PING); // still connected well past two pong timeouts
      assertThat(c.isEnded()).isFalse();
    }
  }

  @Test
  void withoutPongTheEmulatedClientIsDisconnected() {
    try (StreamClient c = StreamClient.httpStream(server.port, CONNECT)) {
      c.connectReply();
      assertThat(c.next()).isEqualTo(PING);
      assertThat(c.next()).isEqualTo(new JsonObject().put("push", new JsonObject().put("disconnect",
          new JsonObject().put("code", 3012).put("reason", "no pong"))));
      c.awaitEnd();
    }
  }

  @Test
  void unidirectionalClientsGetEmptyPushPingsAndNeedNoPong() {
    try (StreamClient c = StreamClient.open(server.port, "POST", "/connection/uni_http_stream", "{}", Map.of(),
        StreamClient.Framing.LINES)) {
      JsonObject connect = c.next().getJsonObject("connect");
      assertThat(connect.getInteger("ping")).isEqualTo(1);
      assertThat(connect.containsKey("pong")).isFalse();
      for (int i = 0; i < 2; i++) assertThat(c.next()).isEqualTo(PING); // past the pong timeout each time
      assertThat(c.isEnded()).isFalse();
    }
  }
}
