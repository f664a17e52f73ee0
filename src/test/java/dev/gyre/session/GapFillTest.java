package dev.gyre.session;

import dev.gyre.config.ChannelOptions;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.StreamOptions;
import dev.gyre.protocol.Publication;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A positioned subscriber that sees a publication ahead of the next offset (as happens when
 * nodes of a cluster publish into one channel at once) gets the missing ones from history, in
 * order, or — when history no longer has them — is told to resubscribe (2500).
 */
class GapFillTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("channel_position_check_delay", "500ms"))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
        .add(new JsonObject().put("name", "gap").put("history_size", 3).put("history_ttl", "300s")
            .put("force_recovery", true).put("allow_subscribe_for_client", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Stores a publication in history without delivering it, as a lagging node would. */
  private static void appendSilently(String channel, String data) throws Exception {
    ChannelOptions o = server.server.config().namespace("gap");
    server.server.services().history().append(channel, AppendRequest.of(
        new Publication(data.getBytes(StandardCharsets.UTF_8), null, 0, Map.of()),
        new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl())))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static void publish(String channel, int data) {
    server.api().call("publish", new JsonObject().put("channel", channel).put("data", data));
  }

  @Test
  void missingPublicationsAreFilledFromHistoryInOrder() throws Exception {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      c.call(2, "subscribe", new JsonObject().put("channel", "gap:a"));
      publish("gap:a", 1);
      appendSilently("gap:a", "2");
      publish("gap:a", 3);
      for (int i = 1; i <= 3; i++) {
        JsonObject pub = c.push("gap:a").getJsonObject("push").getJsonObject("pub");
        assertThat(pub.getLong("offset")).isEqualTo(i);
        assertThat(pub.getInteger("data")).isEqualTo(i);
      }
      publish("gap:a", 4);
      assertThat(c.push("gap:a").getJsonObject("push").getJsonObject("pub").getLong("offset")).isEqualTo(4);
    }
  }

  @Test
  void aGapHistoryCannotFillMeansInsufficientState() throws Exception {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      c.call(2, "subscribe", new JsonObject().put("channel", "gap:b"));
      for (int i = 0; i < 4; i++) appendSilently("gap:b", "0"); // history keeps only 3
      publish("gap:b", 5);
      JsonObject push = c.push("gap:b").getJsonObject("push");
      assertThat(push.getJsonObject("unsubscribe"))
          .isEqualTo(new JsonObject().put("code", 2500).put("reason", "insufficient state"));
    }
  }

  @Test
  void aLossNoLaterPublicationRevealsIsFoundByThePositionCheck() throws Exception {
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      c.call(2, "subscribe", new JsonObject().put("channel", "gap:c"));
      publish("gap:c", 1);
      assertThat(c.push("gap:c").getJsonObject("push").getJsonObject("pub").getLong("offset")).isEqualTo(1);
      appendSilently("gap:c", "2"); // lost on the way, and the channel goes quiet
      JsonObject push = c.next(m -> {
        if (m.isEmpty()) c.send("{}");
        return m.containsKey("push");
      }).getJsonObject("push");
      assertThat(push.getJsonObject("unsubscribe"))
          .isEqualTo(new JsonObject().put("code", 2500).put("reason", "insufficient state"));
    }
  }
}
