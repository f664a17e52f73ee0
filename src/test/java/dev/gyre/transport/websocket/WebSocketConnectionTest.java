package dev.gyre.transport.websocket;

import dev.gyre.testkit.RawWebSocket;
import dev.gyre.testkit.RawWebSocket.Frame;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.gyre.testkit.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket layer at the byte level (RFC 6455), against a real node: the handshake and its
 * refusals, messages pipelined behind the upgrade request, fragments, the size limit, pings,
 * and both directions of the closing handshake.
 */
class WebSocketConnectionTest {
  private static final int LIMIT = 4096;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("websocket", new JsonObject().put("message_size_limit", LIMIT)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String connectCommand() {
    return new JsonObject().put("id", 1).put("connect", new JsonObject().put("token", Tokens.user("raw"))).encode();
  }

  private static RawWebSocket upgraded(String extraHeaders) throws IOException {
    RawWebSocket ws = RawWebSocket.open(server.port);
    ws.write(RawWebSocket.upgradeRequest("/connection/websocket", extraHeaders));
    assertThat(ws.readResponse().status()).isEqualTo(101);
    return ws;
  }

  private static void assertConnectReply(Frame f) {
    assertThat(f.opcode()).isEqualTo(RawWebSocket.TEXT);
    JsonObject reply = new JsonObject(f.text());
    assertThat(reply.getInteger("id")).isEqualTo(1);
    assertThat(reply.getJsonObject("connect").getString("client")).isNotEmpty();
  }

  @Test
  void aCommandPipelinedBehindTheUpgradeRequestIsServed() throws IOException {
    try (RawWebSocket ws = RawWebSocket.open(server.port)) {
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.writeBytes(RawWebSocket.upgradeRequest("/connection/websocket", "").getBytes(StandardCharsets.US_ASCII));
      both.writeBytes(RawWebSocket.text(connectCommand()));
      ws.write(both.toByteArray());
      RawWebSocket.Response response = ws.readResponse();
      assertThat(response.status()).isEqualTo(101);
      assertThat(response.headers()).containsKey("sec-websocket-accept");
      assertConnectReply(ws.readFrame());
    }
  }

  @Test
  void compressionOfferedByTheClientIsDeclined() throws IOException {
    try (RawWebSocket ws = RawWebSocket.open(server.port)) {
      ws.write(RawWebSocket.upgradeRequest("/connection/websocket",
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
      RawWebSocket.Response response = ws.readResponse();
      assertThat(response.status()).isEqualTo(101);
      assertThat(response.headers()).doesNotContainKey("sec-websocket-extensions");
      ws.write(RawWebSocket.text(connectCommand()));
      assertConnectReply(ws.readFrame());
    }
  }

  @Test
  void fragmentsAreJoinedIntoOneMessage() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      byte[] command = connectCommand().getBytes(StandardCharsets.UTF_8);
      int a = command.length / 3, b = 2 * command.length / 3;
      ws.write(frame(false, RawWebSocket.TEXT, Arrays.copyOfRange(command, 0, a), true));
      // A ping may come between fragments; it is answered at once.
      ws.write(frame(true, RawWebSocket.PING, "between".getBytes(StandardCharsets.UTF_8), true));
      ws.write(frame(false, RawWebSocket.CONTINUATION, Arrays.copyOfRange(command, a, b), true));
      ws.write(frame(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(command, b, command.length), true));
      Frame pong = ws.readFrame();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(pong.text()).isEqualTo("between");
      assertConnectReply(ws.readFrame());
    }
  }

  @Test
  void fragmentsPastTheLimitClose1009() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      byte[] half = new byte[LIMIT / 2 + 1];
      Arrays.fill(half, (byte) 'x');
      ws.write(frame(false, RawWebSocket.TEXT, half, true));
      ws.write(frame(true, RawWebSocket.CONTINUATION, half, true));
      Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      assertThat(close.closeReason()).isEqualTo("message size limit exceeded");
    }
  }

  @Test
  void aFrameFarPastTheLimitClose1009WithoutBeingRead() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      // Only the header of a 16 MiB frame is sent: the server must judge it by its length.
      byte[] header = {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4};
      ws.write(header);
      Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      assertThat(ws.awaitEof()).as("TCP closed after the close frame").isTrue();
    }
  }

  @Test
  void aPingIsAnsweredWithItsPayload() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      ws.write(frame(true, RawWebSocket.PING, new byte[] {1, 2, 3}, true));
      Frame pong = ws.readFrame();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(pong.payload()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aClientCloseIsEchoedAndTheServerClosesTcp() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      ws.write(RawWebSocket.text(connectCommand()));
      assertConnectReply(ws.readFrame());
      ws.write(RawWebSocket.close(1000));
      Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1000);
      assertThat(ws.awaitEof()).isTrue();
    }
  }

  @Test
  void aServerCloseLeftUnansweredEndsTcpAfterTheClosingTimeout() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      ws.write(RawWebSocket.text("{not json"));
      Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(3501);
      ws.timeout(8000);   // the closing timeout is 5 s
      assertThat(ws.awaitEof()).isTrue();
    }
  }

  @Test
  void aServerCloseAnsweredEndsTcpAtOnce() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      ws.write(RawWebSocket.text("{not json"));
      Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(3501);
      ws.write(RawWebSocket.close(3501));
      ws.timeout(2000);   // well under the 5 s closing timeout
      assertThat(ws.awaitEof()).isTrue();
    }
  }

  @Test
  void protocolViolationsClose1002() throws IOException {
    try (RawWebSocket ws = upgraded("")) {
      ws.write(frame(true, RawWebSocket.CONTINUATION, new byte[] {'x'}, true));
      assertThat(ws.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(1002);
    }
    try (RawWebSocket ws = upgraded("")) {
      ws.write(frame(true, RawWebSocket.TEXT, connectCommand().getBytes(StandardCharsets.UTF_8), false));
      assertThat(ws.readUntil(RawWebSocket.CLOSE).closeCode()).isEqualTo(1002);
      assertThat(ws.awaitEof()).isTrue();
    }
  }

  @Test
  void theFirstOfferedSubprotocolTheServerSpeaksIsEchoed() throws IOException {
    try (RawWebSocket ws = RawWebSocket.open(server.port)) {
      ws.write(RawWebSocket.upgradeRequest("/connection/websocket",
          "Sec-WebSocket-Protocol: chat, centrifuge-protobuf, centrifuge-json\r\n"));
      RawWebSocket.Response response = ws.readResponse();
      assertThat(response.status()).isEqualTo(101);
      assertThat(response.headers()).containsEntry("sec-websocket-protocol", "centrifuge-protobuf");
    }
  }

  @Test
  void invalidUpgradeRequestsGetTheirHttpStatus() throws IOException {
    String valid = RawWebSocket.upgradeRequest("/connection/websocket", "");
    assertThat(statusOf(valid.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"))).isEqualTo(426);
    assertThat(statusOf(valid.replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", ""))).isEqualTo(400);
    assertThat(statusOf(valid.replace("Upgrade: websocket\r\n", ""))).isEqualTo(400);
    assertThat(statusOf(valid.replace("GET ", "POST ").replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n")))
        .isEqualTo(405);
    assertThat(statusOf(valid.replace("HTTP/1.1", "HTTP/1.0"))).isEqualTo(400);
  }

  private static int statusOf(String request) throws IOException {
    try (RawWebSocket ws = RawWebSocket.open(server.port)) {
      ws.write(request);
      return ws.readResponse().status();
    }
  }

  @Test
  void aRefusedUpgradeLeavesTheNodeServing() throws IOException {
    statusOf(RawWebSocket.upgradeRequest("/connection/websocket", "").replace("Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Version: 7"));
    try (WsClient c = server.client()) {
      assertThat(c.connect(Tokens.user("after")).getJsonObject("connect").getString("client")).isNotEmpty();
    }
  }
}
