package dev.gyre.transport.websocket;

import dev.gyre.testkit.RawWebSocket;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * websocket.write_timeout: a client that stops reading is dropped once its socket has stayed
 * unwritable that long, long before its (large) client queue fills; a reading client is not.
 */
class WebSocketWriteTimeoutTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("websocket", new JsonObject().put("write_timeout", "300ms"))
        .put("client", new JsonObject().put("queue_max_size", 256 * 1024 * 1024))
        .put("channel", new JsonObject().put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientThatStopsReadingIsDroppedAfterTheWriteTimeout() throws IOException {
    try (WsClient reader = server.client(); RawWebSocket stalled = RawWebSocket.open(server.port, 4096)) {
      reader.connect(Tokens.user("reader"));
      reader.call(2, "subscribe", new JsonObject().put("channel", "firehose"));
      stalled.write(RawWebSocket.upgradeRequest("/connection/websocket", ""));
      assertThat(stalled.readResponse().status()).isEqualTo(101);
      stalled.write(RawWebSocket.text(new JsonObject().put("id", 1)
          .put("connect", new JsonObject().put("token", Tokens.user("stalled"))).encode()));
      stalled.readFrame();
      stalled.write(RawWebSocket.text(new JsonObject().put("id", 2)
          .put("subscribe", new JsonObject().put("channel", "firehose")).encode()));
      stalled.readFrame();

      // 24 MiB published while the stalled client reads nothing: far more than the kernel
      // buffers hold, far less than its 256 MiB client queue.
      String big = "x".repeat(48 * 1024);
      for (int i = 0; i < 512; i++) {
        server.api().call("publish", new JsonObject().put("channel", "firehose").put("data", new JsonObject().put("b", big)));
        reader.push("firehose");
      }
      // Reading now drains what the kernel buffered, then meets the end of the stream.
      stalled.timeout(10_000);
      assertThat(stalled.awaitEof()).as("dropped after the write timeout").isTrue();
      server.api().call("publish", new JsonObject().put("channel", "firehose").put("data", new JsonObject().put("b", "after")));
      assertThat(reader.push("firehose").getJsonObject("push").getJsonObject("pub").getJsonObject("data").getString("b"))
          .isEqualTo("after");
    }
  }
}
