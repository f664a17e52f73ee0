package dev.gyre.transport;

import com.google.protobuf.ByteString;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectResult;
import dev.gyre.protocol.pb.Publication;
import dev.gyre.protocol.pb.PublishRequest;
import dev.gyre.protocol.pb.Reply;
import dev.gyre.protocol.pb.SubscribeRequest;
import dev.gyre.protocol.pb.UnsubscribeRequest;
import dev.gyre.testkit.PbStreamClient;
import dev.gyre.testkit.StreamClient;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protobuf over HTTP-streaming and the emulation endpoint, against a real node with two transport
 * instances (spec/client-protocol.md §1.4, §1.6): octet-stream selects Protobuf, the stream is
 * delimited replies with no newline, later commands come as Protobuf EmulationRequests, and pushes
 * reach Protobuf sessions in Protobuf.
 */
class ProtobufEmulationTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
        .put("http_stream", new JsonObject().put("enabled", true))
        .put("sse", new JsonObject().put("enabled", true))
        .put("channel", new JsonObject().put("namespaces", new JsonArray()
            .add(new JsonObject().put("name", "chat").put("allow_subscribe_for_client", true)
                .put("allow_publish_for_client", true).put("presence", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Command subscribe(int id, String channel) {
    return Command.newBuilder().setId(id).setSubscribe(SubscribeRequest.newBuilder().setChannel(channel)).build();
  }

  @Test
  void connectsSubscribesThroughProtobufEmulationAndReceivesProtobufPushes() {
    try (PbStreamClient c = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("alice")))) {
      assertThat(c.header("Content-Type")).isNull();
      assertThat(c.header("X-Accel-Buffering")).isEqualTo("no");
      ConnectResult connect = c.connectReply();
      assertThat(connect.getClient()).matches("[0-9a-f-]{36}");
      assertThat(connect.getSession()).matches("[0-9a-f-]{36}");
      assertThat(connect.getNode()).isEqualTo(server.server.node().id());
      assertThat(connect.getPing()).isEqualTo(25);
      assertThat(connect.getPong()).isTrue();

      assertThat(c.call(subscribe(2, "chat:pb")).hasSubscribe()).isTrue();
      server.api().call("publish", new JsonObject().put("channel", "chat:pb").put("data", new JsonObject().put("t", 1)));
      Publication pub = c.push("chat:pb").getPush().getPub();
      assertThat(new JsonObject(pub.getData().toString(UTF_8))).isEqualTo(new JsonObject().put("t", 1));

      // Binary data, which no JSON client could carry, reaches the Protobuf session byte for byte.
      byte[] binary = {0, (byte) 0xff, 10, 13};
      server.api().call("publish", new JsonObject().put("channel", "chat:pb")
          .put("b64data", Base64.getEncoder().encodeToString(binary)));
      assertThat(c.push("chat:pb").getPush().getPub().getData().toByteArray()).isEqualTo(binary);
      assertThat(c.sawMalformed()).isFalse();
    }
  }

  @Test
  void severalCommandsInOneEmulationRequestAreAnsweredInOrderAcrossInstances() {
    try (PbStreamClient c = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("bob")))) {
      c.connectReply();
      // New connection per request: the two instances take turns, so some requests land on the
      // instance that does not own the session.
      for (int i = 0; i < 4; i++) {
        int id = 10 + 3 * i;
        assertThat(c.send(subscribe(id, "chat:multi" + i),
            Command.newBuilder().setId(id + 1).setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel("chat:none")).build(),
            Command.newBuilder().setId(id + 2).setPublish(PublishRequest.newBuilder().setChannel("chat:multi" + i)
                .setData(ByteString.copyFromUtf8("{\"n\":" + i + "}"))).build())).isEqualTo(204);
        // replies in command order (pushes of the client's own publications may come in between)
        assertThat(c.next(r -> r.getId() > 0).getId()).isEqualTo(id);
        assertThat(c.next(r -> r.getId() > 0).getId()).isEqualTo(id + 1);
        assertThat(c.next(r -> r.getId() > 0).hasPublish()).isTrue();
        assertThat(c.push("chat:multi" + i).getPush().getPub().getData().toStringUtf8()).isEqualTo("{\"n\":" + i + "}");
      }
    }
  }

  @Test
  void aJsonSubscriberAndAProtobufSubscriberEachGetTheirOwnFormat() {
    try (PbStreamClient pb = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("carol")));
         StreamClient json = StreamClient.httpStream(server.port, EmulationTest.connectFrame("carol"))) {
      pb.connectReply();
      json.connectReply();
      pb.call(subscribe(2, "chat:both"));
      json.call(2, "subscribe", new JsonObject().put("channel", "chat:both"));
      server.api().call("publish", new JsonObject().put("channel", "chat:both").put("data", new JsonObject().put("x", "y")));
      assertThat(pb.push("chat:both").getPush().getPub().getData().toStringUtf8()).isEqualTo("{\"x\":\"y\"}");
      assertThat(json.push("chat:both").getJsonObject("push").getJsonObject("pub").getJsonObject("data"))
          .isEqualTo(new JsonObject().put("x", "y"));
    }
  }

  @Test
  void serverDisconnectIsAProtobufDisconnectPushThenTheEnd() {
    try (PbStreamClient c = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("dave")))) {
      c.connectReply();
      server.api().call("disconnect", new JsonObject().put("user", "dave"));
      Reply r = c.next(Reply::hasPush);
      assertThat(r.getPush().getDisconnect().getCode()).isEqualTo(3503);
      assertThat(r.getPush().getDisconnect().getReason()).isEqualTo("force disconnect");
      c.awaitEnd();
      assertThat(c.sawMalformed()).isFalse();
    }
  }

  @Test
  void aMalformedCommandFrameInsideAValidEmulationRequestDisconnectsOnlyThatSession() {
    try (PbStreamClient victim = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("erin")));
         PbStreamClient other = PbStreamClient.open(server.port, PbStreamClient.connectCommand(Tokens.user("erin")))) {
      victim.connectReply();
      other.connectReply();
      other.call(subscribe(2, "chat:ok"));
      // a command declaring 100 bytes while the frame holds 2
      assertThat(victim.sendFrame(new byte[] {100, 8, 1})).isEqualTo(204);
      assertThat(victim.next(Reply::hasPush).getPush().getDisconnect().getCode()).isEqualTo(3501);
      victim.awaitEnd();
      server.api().call("publish", new JsonObject().put("channel", "chat:ok").put("data", new JsonObject()));
      assertThat(other.push("chat:ok").getPush().getPub().getData().toStringUtf8()).isEqualTo("{}");
    }
  }

  @Test
  void aMalformedProtobufConnectBodyIsABadRequestDisconnectOnTheStream() {
    try (PbStreamClient c = PbStreamClient.openRaw(server.port, new byte[] {(byte) 0xff, (byte) 0xff, 1})) {
      Reply r = c.next();
      assertThat(r.getPush().getDisconnect().getCode()).isEqualTo(3501);
      c.awaitEnd();
    }
  }
}
