package dev.gyre.transport;

import com.google.protobuf.ByteString;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.PublishRequest;
import dev.gyre.protocol.pb.Reply;
import dev.gyre.protocol.pb.SubscribeRequest;
import dev.gyre.testkit.PbWsClient;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The Protobuf client protocol on /connection/websocket against a real node (spec/client-protocol.md §1.2). */
class ProtobufWebSocketTest {
  static final String PATH = "/connection/websocket";
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("channel", new JsonObject()
        .put("namespaces", new JsonArray().add(new JsonObject().put("name", "chat")
            .put("allow_subscribe_for_client", true).put("allow_publish_for_subscriber", true)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  PbWsClient pb(String query, String... subProtocols) {
    return PbWsClient.connect(server.vertx, server.port, PATH + query, List.of(subProtocols));
  }

  static void assertConnected(PbWsClient c) {
    Reply r = c.connect(Tokens.user("alice"));
    assertThat(r.hasError()).isFalse();
    assertThat(r.getConnect().getClient()).matches("[0-9a-f-]{36}");
    assertThat(r.getConnect().getVersion()).endsWith(" OSS");
    assertThat(r.getConnect().getPing()).isEqualTo(25);
    assertThat(r.getConnect().getPong()).isTrue();
    assertThat(c.textFramesReceived()).isZero();
  }

  @Test
  void formatQuerySelectsProtobuf() {
    try (PbWsClient c = pb("?format=protobuf")) {
      assertConnected(c);
      assertThat(c.subProtocol()).isNullOrEmpty();
    }
  }

  @Test
  void cfProtocolQuerySelectsProtobuf() {
    try (PbWsClient c = pb("?cf_protocol=protobuf")) {
      assertConnected(c);
    }
  }

  @Test
  void subprotocolSelectsProtobufAndIsEchoed() {
    try (PbWsClient c = pb("", "centrifuge-protobuf")) {
      assertThat(c.subProtocol()).isEqualTo("centrifuge-protobuf");
      assertConnected(c);
    }
  }

  @Test
  void jsonSubprotocolIsEchoedAndKeepsJson() throws Exception {
    WebSocketClient client = server.vertx.createWebSocketClient();
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port)
          .setURI(PATH).setAllowOriginHeader(false).addSubProtocol("centrifuge-json")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(ws.subProtocol()).isEqualTo("centrifuge-json");
      CompletableFuture<String> text = new CompletableFuture<>();
      ws.textMessageHandler(text::complete);
      ws.writeTextMessage("{\"connect\":{\"token\":\"" + Tokens.user("alice") + "\"},\"id\":1}");
      assertThat(new JsonObject(text.get(5, TimeUnit.SECONDS)).getJsonObject("connect").getString("client")).isNotEmpty();
    } finally {
      client.close();
    }
  }

  @Test
  void withoutSelectionTheConnectionStaysJson() {
    try (WsClient c = server.client()) {
      assertThat(c.connect(Tokens.user("alice")).getJsonObject("connect").getString("client")).isNotEmpty();
    }
  }

  @Test
  void apiPublicationReachesProtobufAndJsonSubscribersEachInItsFormat() {
    try (PbWsClient p = pb("", "centrifuge-protobuf"); WsClient j = server.client()) {
      p.connect(Tokens.user("alice"));
      p.send(Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:both").setFlag(1)).build());
      assertThat(p.reply(2).hasSubscribe()).isTrue();
      j.connect(Tokens.user("bob"));
      assertThat(j.call(2, "subscribe", new JsonObject().put("channel", "chat:both")).containsKey("subscribe")).isTrue();

      JsonObject res = server.api().call("publish", new JsonObject().put("channel", "chat:both")
          .put("data", new JsonObject().put("text", "hi")).put("tags", new JsonObject().put("k", "v")));
      assertThat(res).isEqualTo(new JsonObject().put("result", new JsonObject()));

      Reply push = p.push("chat:both");
      assertThat(push.getPush().getPub().getData().toStringUtf8()).isEqualTo("{\"text\":\"hi\"}");
      assertThat(push.getPush().getPub().getTagsMap()).containsEntry("k", "v");
      JsonObject jsonPush = j.push("chat:both");
      assertThat(jsonPush.getJsonObject("push").getJsonObject("pub").getJsonObject("data"))
          .isEqualTo(new JsonObject().put("text", "hi"));
      assertThat(p.textFramesReceived()).isZero();
    }
  }

  @Test
  void binaryPublicationReachesProtobufWhileJsonSubscriberGets3506() {
    byte[] binary = {0, 1, 2, (byte) 0xFF, '\n'};
    try (PbWsClient p = pb("?format=protobuf"); WsClient j = server.client()) {
      p.connect(Tokens.user("alice"));
      p.send(Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:bin")).build());
      assertThat(p.reply(2).hasSubscribe()).isTrue();
      j.connect(Tokens.user("bob"));
      j.call(2, "subscribe", new JsonObject().put("channel", "chat:bin"));

      JsonObject res = server.api().call("publish", new JsonObject().put("channel", "chat:bin")
          .put("b64data", Base64.getEncoder().encodeToString(binary)));
      assertThat(res.containsKey("result")).isTrue();

      assertThat(p.push("chat:bin").getPush().getPub().getData().toByteArray()).isEqualTo(binary);
      assertThat(j.awaitClose()).isEqualTo(3506);
      assertThat(j.closeReason()).isEqualTo("inappropriate protocol");
    }
  }

  @Test
  void protobufClientPublishesBinaryDataToAnotherProtobufClient() {
    byte[] binary = {(byte) 0xC3, 0x28, 0};
    try (PbWsClient a = pb("?format=protobuf"); PbWsClient b = pb("", "centrifuge-protobuf")) {
      b.connect(Tokens.user("bob"));
      b.send(Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:pb")).build());
      assertThat(b.reply(2).hasSubscribe()).isTrue();
      // connect, subscribe and publish in one frame: processed in order
      a.send(Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(Tokens.user("alice"))).build(),
          Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:pb")).build(),
          Command.newBuilder().setId(3).setPublish(PublishRequest.newBuilder().setChannel("chat:pb")
              .setData(ByteString.copyFrom(binary))).build());
      assertThat(a.reply(1).hasConnect()).isTrue();
      assertThat(a.reply(2).hasSubscribe()).isTrue();
      assertThat(a.reply(3).hasPublish()).isTrue();
      var pub = b.push("chat:pb").getPush().getPub();
      assertThat(pub.getData().toByteArray()).isEqualTo(binary);
      assertThat(pub.getInfo().getUser()).isEqualTo("alice");
    }
  }

  @Test
  void errorRepliesAreProtobuf() {
    try (PbWsClient c = pb("?format=protobuf")) {
      c.connect(Tokens.user("alice"));
      c.send(Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("nope:x")).build());
      Reply r = c.reply(2);
      assertThat(r.getError().getCode()).isEqualTo(102);
      assertThat(r.getError().getMessage()).isEqualTo("unknown channel");
    }
  }

  @Test
  void malformedFrameIsDisconnected3501() {
    try (PbWsClient c = pb("?format=protobuf")) {
      c.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2});
      assertThat(c.awaitClose()).isEqualTo(3501);
      assertThat(c.closeReason()).isEqualTo("bad request");
    }
  }

  @Test
  void emptyFrameIsDisconnected3501() {
    try (PbWsClient c = pb("?format=protobuf")) {
      c.sendRaw(new byte[0]);
      assertThat(c.awaitClose()).isEqualTo(3501);
    }
  }

  @Test
  void commandWithIdAndNoRequestIsDisconnected3501() {
    try (PbWsClient c = pb("?format=protobuf")) {
      c.connect(Tokens.user("alice"));
      c.send(Command.newBuilder().setId(7).build());
      assertThat(c.awaitClose()).isEqualTo(3501);
    }
  }

  @Test
  void jsonTextOnAProtobufConnectionIsBadRequest() {
    try (PbWsClient c = pb("?format=protobuf")) {
      c.sendRaw("{\"connect\":{},\"id\":1}".getBytes(UTF_8));
      assertThat(c.awaitClose()).isEqualTo(3501);
    }
  }
}
