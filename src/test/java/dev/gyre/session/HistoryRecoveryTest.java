package dev.gyre.session;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** History, positioning and recovery over a real WebSocket (spec/client-protocol.md §5.6, §7.3). */
class HistoryRecoveryTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("recovery_max_publication_limit", 20_000))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
        // presence makes the subscribe asynchronous after the history read: publications that
        // arrive in that window must be buffered and replayed after the reply
        .add(new JsonObject().put("name", "race").put("history_size", 20_000).put("history_ttl", "300s")
            .put("allow_subscribe_for_client", true).put("force_recovery", true).put("presence", true))
        .add(new JsonObject().put("name", "hist").put("history_size", 100).put("history_ttl", "300s")
            .put("allow_subscribe_for_client", true).put("allow_recovery", true).put("allow_positioning", true)
            .put("allow_history_for_subscriber", true))
        .add(new JsonObject().put("name", "small").put("history_size", 2).put("history_ttl", "300s")
            .put("allow_subscribe_for_client", true).put("force_recovery", true))
        .add(new JsonObject().put("name", "cache").put("history_size", 10).put("history_ttl", "300s")
            .put("allow_subscribe_for_client", true).put("force_recovery", true).put("force_recovery_mode", "cache"))
        .add(new JsonObject().put("name", "nohist").put("allow_subscribe_for_client", true)
            .put("allow_history_for_client", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject publish(String channel, Object data) {
    return server.api().call("publish", new JsonObject().put("channel", channel).put("data", data)).getJsonObject("result");
  }

  @Test
  void publishIntoHistoryReturnsOffsetAndEpoch() {
    JsonObject a = publish("hist:pos", 1);
    JsonObject b = publish("hist:pos", 2);
    assertThat(a.getLong("offset")).isEqualTo(1);
    assertThat(b.getLong("offset")).isEqualTo(2);
    assertThat(b.getString("epoch")).isEqualTo(a.getString("epoch")).hasSize(8);
    assertThat(publish("nohist:x", 1)).isEqualTo(new JsonObject());
    JsonObject skipped = server.api().call("publish", new JsonObject().put("channel", "hist:pos").put("data", 3)
        .put("skip_history", true)).getJsonObject("result");
    assertThat(skipped).isEqualTo(new JsonObject());
  }

  @Test
  void recoverableSubscribeIsPositionedAndLivePublicationsCarryOffsets() {
    publish("hist:live", 1);
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "hist:live").put("recoverable", true)
          .put("flag", 1)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recoverable")).isTrue();
      assertThat(r.getBoolean("positioned")).isTrue();
      assertThat(r.getLong("offset")).isEqualTo(1);
      assertThat(r.getString("epoch")).hasSize(8);
      publish("hist:live", 2);
      assertThat(c.push("hist:live").getJsonObject("push").getJsonObject("pub").getLong("offset")).isEqualTo(2);
    }
  }

  @Test
  void reconnectRecoversExactlyWhatWasMissedInOrder() {
    String epoch;
    long offset;
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "hist:rec").put("recoverable", true))
          .getJsonObject("subscribe");
      epoch = r.getString("epoch");
      offset = r.getLong("offset", 0L);
    }
    for (int i = 1; i <= 5; i++) publish("hist:rec", new JsonObject().put("n", i));
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "hist:rec").put("recoverable", true)
          .put("recover", true).put("offset", offset).put("epoch", epoch)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recovered")).isTrue();
      assertThat(r.getBoolean("was_recovering")).isTrue();
      assertThat(r.getLong("offset", 0L)).isEqualTo(offset);
      JsonArray pubs = r.getJsonArray("publications");
      assertThat(pubs).hasSize(5);
      for (int i = 0; i < 5; i++) {
        assertThat(pubs.getJsonObject(i).getJsonObject("data").getInteger("n")).isEqualTo(i + 1);
        assertThat(pubs.getJsonObject(i).getLong("offset")).isEqualTo(offset + i + 1);
      }
      JsonObject nothingMissed = c.call(3, "subscribe", new JsonObject().put("channel", "hist:rec2").put("recoverable", true)
          .put("recover", true)).getJsonObject("subscribe");
      assertThat(nothingMissed.getBoolean("recovered")).isTrue();
      assertThat(nothingMissed.containsKey("publications")).isFalse();
    }
  }

  @Test
  void tooManyMissedOrAnotherEpochIsNotRecovered() {
    for (int i = 1; i <= 5; i++) publish("small:x", i);
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "small:x")
          .put("recover", true).put("offset", 0)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recovered", false)).isFalse();
      assertThat(r.getBoolean("was_recovering")).isTrue();
      assertThat(r.containsKey("publications")).isFalse();
      assertThat(r.getLong("offset")).isEqualTo(5);
      String epoch = r.getString("epoch");

      JsonObject rejected = c.call(3, "subscribe", new JsonObject().put("channel", "small:y").put("flag", 3)
          .put("recover", true).put("offset", 7).put("epoch", "otherEpc"));
      assertThat(rejected.getJsonObject("error")).isEqualTo(new JsonObject().put("code", 112)
          .put("message", "unrecoverable position"));

      JsonObject wrongEpoch = c.call(4, "subscribe", new JsonObject().put("channel", "hist:e").put("recoverable", true)
          .put("recover", true).put("offset", 0).put("epoch", "otherEpc")).getJsonObject("subscribe");
      assertThat(wrongEpoch.getBoolean("recovered", false)).isFalse();
      assertThat(epoch).isNotEqualTo("otherEpc");
    }
  }

  @Test
  void historyCommandFollowsTheSpec() {
    for (int i = 1; i <= 4; i++) publish("hist:hist", i);
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject denied = c.call(2, "history", new JsonObject().put("channel", "hist:hist").put("limit", 10));
      assertThat(denied.getJsonObject("error").getInteger("code")).isEqualTo(103);
      c.call(3, "subscribe", new JsonObject().put("channel", "hist:hist"));
      JsonObject all = c.call(4, "history", new JsonObject().put("channel", "hist:hist").put("limit", -1))
          .getJsonObject("history");
      assertThat(all.getJsonArray("publications")).hasSize(4);
      assertThat(all.getLong("offset")).isEqualTo(4);
      String epoch = all.getString("epoch");
      JsonObject position = c.call(5, "history", new JsonObject().put("channel", "hist:hist")).getJsonObject("history");
      assertThat(position).isEqualTo(new JsonObject().put("publications", new JsonArray()).put("epoch", epoch)
          .put("offset", 4));
      JsonObject since = c.call(6, "history", new JsonObject().put("channel", "hist:hist").put("limit", 10)
          .put("since", new JsonObject().put("offset", 3).put("epoch", epoch)).put("reverse", true)).getJsonObject("history");
      assertThat(since.getJsonArray("publications").getJsonObject(0).getLong("offset")).isEqualTo(2);
      assertThat(since.getJsonArray("publications").getJsonObject(1).getLong("offset")).isEqualTo(1);
      JsonObject other = c.call(7, "history", new JsonObject().put("channel", "hist:hist").put("limit", 1)
          .put("since", new JsonObject().put("offset", 1).put("epoch", "otherEpc")));
      assertThat(other.getJsonObject("error").getInteger("code")).isEqualTo(112);
      JsonObject reverseZero = c.call(8, "history", new JsonObject().put("channel", "hist:hist").put("limit", 1)
          .put("since", new JsonObject().put("offset", 0)).put("reverse", true));
      assertThat(reverseZero.getJsonObject("error").getInteger("code")).isEqualTo(107);
      JsonObject notAvailable = c.call(9, "history", new JsonObject().put("channel", "nohist:x").put("limit", 1));
      assertThat(notAvailable.getJsonObject("error").getInteger("code")).isEqualTo(108);
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void apiHistoryRemoveIdempotencyAndVersion() {
    publish("hist:api", "\"a\"");
    publish("hist:api", "\"b\"");
    JsonObject h = server.api().call("history", new JsonObject().put("channel", "hist:api").put("limit", -1))
        .getJsonObject("result");
    assertThat(h.getJsonArray("publications")).hasSize(2);
    String epoch = h.getString("epoch");
    JsonObject none = server.api().call("history", new JsonObject().put("channel", "hist:api")).getJsonObject("result");
    assertThat(none.getJsonArray("publications")).isEmpty();
    assertThat(server.api().call("history", new JsonObject().put("channel", "hist:api").put("limit", 1)
        .put("since", new JsonObject().put("offset", 0).put("epoch", "zzz"))).getJsonObject("error").getInteger("code"))
        .isEqualTo(112);

    assertThat(server.api().call("history_remove", new JsonObject().put("channel", "hist:api")))
        .isEqualTo(new JsonObject().put("result", new JsonObject()));
    JsonObject after = server.api().call("history", new JsonObject().put("channel", "hist:api").put("limit", -1))
        .getJsonObject("result");
    assertThat(after).isEqualTo(new JsonObject().put("publications", new JsonArray()).put("epoch", epoch).put("offset", 2));

    JsonObject first = server.api().call("publish", new JsonObject().put("channel", "hist:api").put("data", 1)
        .put("idempotency_key", "k1")).getJsonObject("result");
    JsonObject again = server.api().call("publish", new JsonObject().put("channel", "hist:api").put("data", 1)
        .put("idempotency_key", "k1")).getJsonObject("result");
    assertThat(again).isEqualTo(first);
    assertThat(first.getLong("offset")).isEqualTo(3);

    JsonObject v5 = server.api().call("publish", new JsonObject().put("channel", "hist:api").put("data", 5)
        .put("version", 5)).getJsonObject("result");
    JsonObject v4 = server.api().call("publish", new JsonObject().put("channel", "hist:api").put("data", 4)
        .put("version", 4)).getJsonObject("result");
    assertThat(v4).isEqualTo(v5);
    assertThat(server.api().call("history", new JsonObject().put("channel", "hist:api").put("limit", -1))
        .getJsonObject("result").getLong("offset")).isEqualTo(4);
    assertThat(server.api().call("history", new JsonObject().put("channel", "nohist:x"))
        .getJsonObject("error").getInteger("code")).isEqualTo(108);
    // a binary publication cannot be written into a JSON answer: error 100, not malformed JSON
    server.api().call("publish", new JsonObject().put("channel", "hist:bin").put("b64data", "AAEC/w=="));
    assertThat(server.api().call("history", new JsonObject().put("channel", "hist:bin").put("limit", -1))
        .getJsonObject("error").getInteger("code")).isEqualTo(100);
  }

  /** Publications race with clients that keep resubscribing with recovery: no gap, no duplicate. */
  @Test
  void concurrentPublishingAndRecoveringSubscribersSeeContiguousOffsets() throws Exception {
    int total = 10_000;
    List<WsClient> clients = new ArrayList<>();
    List<long[]> positions = new ArrayList<>(); // {offset}
    List<String> epochs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WsClient c = server.client();
      c.connect(Tokens.user("r" + i));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "race:x").put("recoverable", true))
          .getJsonObject("subscribe");
      clients.add(c);
      positions.add(new long[] {r.getLong("offset", 0L)});
      epochs.add(r.getString("epoch"));
    }
    Thread publisher = new Thread(() -> {
      for (int b = 0; b < total / 100; b++) {
        JsonArray cmds = new JsonArray();
        for (int i = 0; i < 100; i++) {
          cmds.add(new JsonObject().put("publish", new JsonObject().put("channel", "race:x").put("data", b * 100 + i)));
        }
        server.api().call("batch", new JsonObject().put("commands", cmds));
      }
    });
    publisher.start();
    int id = 10;
    int round = 0;
    while (publisher.isAlive() || round < 2) {
      round++;
      for (int i = 0; i < clients.size(); i++) {
        WsClient c = clients.get(i);
        long[] pos = positions.get(i);
        // consume what arrived, checking contiguity
        for (JsonObject m : c.drain()) pos[0] = check(m, pos[0]);
        // resubscribe with recovery from the last seen offset
        int unsub = ++id;
        c.send(new JsonObject().put("unsubscribe", new JsonObject().put("channel", "race:x")).put("id", unsub).encode());
        JsonObject reply = c.next(m -> m.getInteger("id", 0) == unsub || m.containsKey("push"));
        while (!reply.containsKey("unsubscribe")) {
          pos[0] = check(reply, pos[0]);
          reply = c.next(m -> m.getInteger("id", 0) == unsub || m.containsKey("push"));
        }
        int sid = ++id;
        c.send(new JsonObject().put("subscribe", new JsonObject().put("channel", "race:x").put("recoverable", true)
            .put("recover", true).put("offset", pos[0]).put("epoch", epochs.get(i))).put("id", sid).encode());
        JsonObject sr = c.reply(sid).getJsonObject("subscribe");
        assertThat(sr.getBoolean("recovered")).as("recovered from %d", pos[0]).isTrue();
        for (Object p : sr.getJsonArray("publications", new JsonArray())) {
          long off = ((JsonObject) p).getLong("offset");
          assertThat(off).as("recovered offset").isEqualTo(pos[0] + 1);
          pos[0] = off;
        }
      }
    }
    publisher.join(60_000);
    for (int i = 0; i < clients.size(); i++) {
      WsClient c = clients.get(i);
      long[] pos = positions.get(i);
      while (pos[0] < total) pos[0] = check(c.push("race:x"), pos[0]);
      assertThat(pos[0]).isEqualTo(total);
      c.close();
    }
  }

  private static long check(JsonObject m, long last) {
    if (!m.containsKey("push")) return last;
    // On one node offsets never skip, so the server must never declare insufficient state.
    assertThat(m.getJsonObject("push").containsKey("unsubscribe")).as("unexpected %s", m).isFalse();
    JsonObject pub = m.getJsonObject("push").getJsonObject("pub");
    if (pub == null) return last;
    long off = pub.getLong("offset");
    assertThat(off).as("offset after %d", last).isEqualTo(last + 1);
    return off;
  }

  @Test
  void cacheModeRecoversOnlyTheLatestPublication() {
    String epoch;
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      epoch = c.call(2, "subscribe", new JsonObject().put("channel", "cache:x")).getJsonObject("subscribe")
          .getString("epoch");
    }
    for (int i = 1; i <= 4; i++) publish("cache:x", i);
    try (WsClient c = server.client()) {
      c.connect(Tokens.user("alice"));
      JsonObject r = c.call(2, "subscribe", new JsonObject().put("channel", "cache:x").put("recover", true)
          .put("offset", 0).put("epoch", epoch)).getJsonObject("subscribe");
      assertThat(r.getBoolean("recovered")).isTrue();
      assertThat(r.getJsonArray("publications")).hasSize(1);
      assertThat(r.getJsonArray("publications").getJsonObject(0).getLong("offset")).isEqualTo(4);
      assertThat(r.getJsonArray("publications").getJsonObject(0).getInteger("data")).isEqualTo(4);
      JsonObject atTop = c.call(3, "subscribe", new JsonObject().put("channel", "cache:y").put("recover", true)
          .put("offset", 0)).getJsonObject("subscribe");
      assertThat(atTop.getBoolean("recovered")).isTrue();
      assertThat(atTop.containsKey("publications")).isFalse();
    }
  }
}
