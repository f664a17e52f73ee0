package dev.gyre.transport;

import dev.gyre.testkit.ApiClient;
import dev.gyre.testkit.StreamClient;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad requests to the streamed transports and the emulation endpoint get the spec's status
 * (spec/client-protocol.md §1.1, §1.4–1.7) and harm no one: an emulated bystander keeps
 * receiving publications after each test.
 */
class StreamBadInputTest {
  static final int LIMIT = 1024;
  static final String GOOD_ORIGIN = "https://app.good.example";
  static TestServer server;
  StreamClient bystander;
  int seq;

  @BeforeAll
  static void start() {
    JsonObject limit = new JsonObject().put("enabled", true).put("max_request_body_size", LIMIT);
    server = TestServer.start(new JsonObject()
        .put("client", new JsonObject().put("allowed_origins", new JsonArray().add("https://*.good.example")))
        .put("http_stream", limit.copy()).put("sse", limit.copy()).put("uni_http_stream", limit.copy())
        .put("uni_sse", limit.copy()).put("uni_websocket", new JsonObject().put("enabled", true).put("message_size_limit", LIMIT))
        .put("emulation", new JsonObject().put("max_request_body_size", LIMIT))
        .put("channel", new JsonObject().put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void subscribeBystander() {
    bystander = StreamClient.httpStream(server.port, EmulationTest.connectFrame("bystander"));
    bystander.connectReply();
    bystander.call(2, "subscribe", new JsonObject().put("channel", "room"));
  }

  @AfterEach
  void bystanderStillReceives() {
    String marker = "m" + (++seq);
    server.api().call("publish", new JsonObject().put("channel", "room").put("data", new JsonObject().put("k", marker)));
    assertThat(bystander.push("room").getJsonObject("push").getJsonObject("pub").getJsonObject("data").getString("k"))
        .isEqualTo(marker);
    bystander.close();
  }

  static ApiClient.Response request(String method, String path, String body, Map<String, String> headers) {
    return StreamClient.request(server.port, method, path, body, headers);
  }

  static int status(String method, String path, String body) {
    return request(method, path, body, Map.of()).status();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/connection/http_stream", "/connection/sse", "/emulation", "/connection/uni_http_stream",
      "/connection/uni_sse"})
  void oversizedBodiesAre413(String path) {
    String big = "{\"connect\":{\"data\":\"" + "x".repeat(LIMIT) + "\"},\"id\":1}";
    assertThat(status("POST", path, big)).isEqualTo(413);
  }

  @Test
  void oversizedConnectParametersAre413() {
    String big = StreamClient.encode("{\"connect\":{\"data\":\"" + "x".repeat(LIMIT) + "\"},\"id\":1}");
    assertThat(status("GET", "/connection/sse?cf_connect=" + big, null)).isEqualTo(413);
    assertThat(status("GET", "/connection/uni_sse?cf_connect=" + big, null)).isEqualTo(413);
  }

  @Test
  void wrongMethodsAre405() {
    assertThat(status("GET", "/connection/http_stream", null)).isEqualTo(405);
    assertThat(status("PUT", "/connection/http_stream", "{}")).isEqualTo(405);
    assertThat(status("DELETE", "/connection/sse", null)).isEqualTo(405);
    assertThat(status("GET", "/emulation", null)).isEqualTo(405);
    assertThat(status("PUT", "/emulation", "{}")).isEqualTo(405);
    assertThat(status("GET", "/connection/uni_http_stream", null)).isEqualTo(405);
    assertThat(status("PATCH", "/connection/uni_sse", "{}")).isEqualTo(405);
  }

  @Test
  void sseWithoutCfConnectIs400() {
    assertThat(status("GET", "/connection/sse", null)).isEqualTo(400);
    assertThat(status("GET", "/connection/sse?other=1", null)).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[]", "null", "\"x\"", "{\"session\":\"s\"}", "{\"data\":\"{}\"}",
      "{\"session\":1,\"data\":\"{}\"}", "{\"session\":\"s\",\"data\":{}}", "{\"session\":\"s\",\"data\":\"{}\"} x",
      "{\"session\":\"s\",\"node\":[],\"data\":\"{}\"}"})
  void malformedEmulationBodiesAre400(String body) {
    assertThat(status("POST", "/emulation", body)).isEqualTo(400);
  }

  @Test
  void unknownSessionIsDroppedWith204AndUnknownNodeIs404() {
    String node = server.server.node().id();
    assertThat(status("POST", "/emulation", new JsonObject().put("session", "no-such-session").put("node", node)
        .put("data", "{\"subscribe\":{\"channel\":\"room\"},\"id\":2}").encode())).isEqualTo(204);
    assertThat(status("POST", "/emulation", new JsonObject().put("session", bystander.session())
        .put("node", "another-node").put("data", "{}").encode())).isEqualTo(404);
  }

  @Test
  void malformedProtobufEmulationRequestsAre400() {
    // a session field declaring 2^31-1 bytes in a 7-byte body: refused before any allocation
    assertThat(binaryStatus("/emulation", new byte[] {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1}))
        .isEqualTo(400);
    // a truncated varint, a group wire type, a JSON body sent as octet-stream, and no data field
    assertThat(binaryStatus("/emulation", new byte[] {0x12, (byte) 0x80})).isEqualTo(400);
    assertThat(binaryStatus("/emulation", new byte[] {0x0b, 0x0c})).isEqualTo(400);
    assertThat(binaryStatus("/emulation", "{\"session\":\"s\",\"data\":\"{}\"}".getBytes())).isEqualTo(400);
    assertThat(binaryStatus("/emulation", dev.gyre.protocol.pb.EmulationRequest.newBuilder()
        .setSession(bystander.session()).build().toByteArray())).isEqualTo(400);
  }

  @Test
  void aProtobufEmulationRequestCarryingJsonCommandsDropsNoOtherSession() {
    // Protobuf envelope, but the command frame inside is for a JSON session: the session decodes
    // it as JSON (its own format), so it just works; the envelope format is per request.
    byte[] body = dev.gyre.protocol.pb.EmulationRequest.newBuilder().setSession(bystander.session())
        .setNode(bystander.node()).setData(com.google.protobuf.ByteString.copyFromUtf8(
            "{\"presence\":{\"channel\":\"room\"},\"id\":7}")).build().toByteArray();
    assertThat(binaryStatus("/emulation", body)).isEqualTo(204);
    assertThat(bystander.reply(7).containsKey("error")).isTrue();
  }

  @Test
  void protobufOnSseIs415BecauseSseIsJsonOnly() {
    assertThat(binaryStatus("/connection/sse", dev.gyre.testkit.PbStreamClient.delimited(
        dev.gyre.testkit.PbStreamClient.connectCommand("t")))).isEqualTo(415);
  }

  @Test
  void anOversizedProtobufBodyIs413() {
    assertThat(binaryStatus("/emulation", new byte[LIMIT + 1])).isEqualTo(413);
    assertThat(binaryStatus("/connection/http_stream", new byte[LIMIT + 1])).isEqualTo(413);
  }

  private static int binaryStatus(String path, byte[] body) {
    return dev.gyre.testkit.PbStreamClient.request(server.port, "POST", path, body,
        dev.gyre.testkit.PbStreamClient.OCTETS).statusCode();
  }

  @Test
  void malformedUnidirectionalConnectRequestsAre400() {
    assertThat(status("POST", "/connection/uni_http_stream", "")).isEqualTo(400);
    assertThat(status("POST", "/connection/uni_http_stream", "{\"token\":1}")).isEqualTo(400);
    assertThat(status("POST", "/connection/uni_sse", "[")).isEqualTo(400);
    assertThat(status("GET", "/connection/uni_sse?cf_connect=" + StreamClient.encode("{\"subs\":3}"), null))
        .isEqualTo(400);
  }

  @Test
  void oversizedUniWebSocketConnectMessageCloses1009() {
    try (WsClient c = WsClient.connect(server.vertx, server.port, "/connection/uni_websocket", null)) {
      c.send("{\"name\":\"" + "x".repeat(LIMIT) + "\"}");
      assertThat(c.awaitClose()).isEqualTo(1009);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/connection/http_stream", "/connection/sse?cf_connect=%7B%7D", "/emulation",
      "/connection/uni_http_stream", "/connection/uni_sse", "/connection/uni_websocket"})
  void refusedOriginsAre403(String path) {
    String method = path.contains("sse") || path.contains("websocket") ? "GET" : "POST";
    ApiClient.Response r = request(method, path, method.equals("POST") ? "{}" : null,
        Map.of("Origin", "https://evil.example"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(request("OPTIONS", path, null, Map.of("Origin", "https://evil.example")).status()).isEqualTo(403);
  }

  @Test
  void allowedOriginsGetCorsHeadersAndPreflight() {
    ApiClient.Response pre = request("OPTIONS", "/emulation", null, Map.of("Origin", GOOD_ORIGIN,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
    assertThat(pre.status()).isEqualTo(204);
    assertThat(pre.headers().get("access-control-max-age")).containsExactly("300");
    assertThat(pre.headers().get("access-control-allow-methods")).containsExactly("POST, OPTIONS");
    assertThat(pre.headers().get("access-control-allow-origin")).containsExactly(GOOD_ORIGIN);
    assertThat(pre.headers().get("access-control-allow-credentials")).containsExactly("true");
    assertThat(pre.headers().get("access-control-allow-headers")).containsExactly("content-type");
    assertThat(request("OPTIONS", "/connection/http_stream", null, Map.of()).headers()
        .get("access-control-allow-methods")).containsExactly("POST, OPTIONS");

    try (StreamClient c = StreamClient.open(server.port, "POST", "/connection/http_stream",
        EmulationTest.connectFrame("gina"), Map.of("Origin", GOOD_ORIGIN), StreamClient.Framing.LINES)) {
      assertThat(c.header("Access-Control-Allow-Origin")).isEqualTo(GOOD_ORIGIN);
      assertThat(c.header("Access-Control-Allow-Credentials")).isEqualTo("true");
      c.connectReply();
      ApiClient.Response emu = request("POST", "/emulation", new JsonObject().put("session", c.session())
          .put("node", c.node()).put("data", "{\"subscribe\":{\"channel\":\"cors\"},\"id\":2}").encode(),
          Map.of("Origin", GOOD_ORIGIN));
      assertThat(emu.status()).isEqualTo(204);
      assertThat(emu.headers().get("access-control-allow-origin")).containsExactly(GOOD_ORIGIN);
      assertThat(c.reply(2).containsKey("subscribe")).isTrue();
    }
  }

  @Test
  void aBadCommandThroughEmulationDisconnectsOnlyItsOwnSession() {
    try (StreamClient c = StreamClient.httpStream(server.port, EmulationTest.connectFrame("hank"))) {
      c.connectReply();
      assertThat(c.send("not json")).isEqualTo(204);
      assertThat(c.next().getJsonObject("push").getJsonObject("disconnect").getInteger("code")).isEqualTo(3501);
      c.awaitEnd();
    }
  }

  @Test
  void tokenlessConnectWithoutAnonymousAccessIsABadRequestDisconnect() {
    try (StreamClient c = StreamClient.httpStream(server.port, "{\"connect\":{},\"id\":1}")) {
      assertThat(c.next().getJsonObject("push").getJsonObject("disconnect").getInteger("code")).isEqualTo(3501);
      c.awaitEnd();
    }
  }
}
