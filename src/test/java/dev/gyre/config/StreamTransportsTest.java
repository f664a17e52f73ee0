package dev.gyre.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transport keys of spec/config.md §2.9 for HTTP-streaming, SSE, emulation and the uni transports. */
class StreamTransportsTest {

  @Test
  void everythingIsOffByDefaultWithCentrifugoPathsAndLimits() {
    StreamTransports s = GyreConfig.from(new JsonObject()).streams();
    assertThat(s.httpStream()).isEqualTo(new StreamTransports.Endpoint(false, "/connection/http_stream", 65536));
    assertThat(s.sse()).isEqualTo(new StreamTransports.Endpoint(false, "/connection/sse", 65536));
    assertThat(s.emulation()).isEqualTo(new StreamTransports.Endpoint(false, "/emulation", 65536));
    assertThat(s.uniHttpStream()).isEqualTo(new StreamTransports.Endpoint(false, "/connection/uni_http_stream", 65536));
    assertThat(s.uniSse()).isEqualTo(new StreamTransports.Endpoint(false, "/connection/uni_sse", 65536));
    assertThat(s.uniWebSocket()).isEqualTo(new StreamTransports.Endpoint(false, "/connection/uni_websocket", 65536));
    assertThat(s.uniWebSocketWriteTimeout()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(s.emulationEnabled()).isFalse();
  }

  @Test
  void emulationIsOnWithEitherEmulatedTransport() {
    StreamTransports s = GyreConfig.from(new JsonObject().put("sse", new JsonObject().put("enabled", true))
        .put("emulation", new JsonObject().put("handler_prefix", "/emu").put("max_request_body_size", 100)))
        .streams();
    assertThat(s.emulationEnabled()).isTrue();
    assertThat(s.emulation()).isEqualTo(new StreamTransports.Endpoint(true, "/emu", 100));
  }

  @Test
  void v5FlatKeysMapToTheV6Groups(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, """
        {"http_stream": true, "http_stream_handler_prefix": "/hs", "http_stream_max_request_body_size": 10,
         "sse": true, "uni_websocket": true, "uni_websocket_message_size_limit": 20, "uni_websocket_write_timeout": "250ms",
         "uni_sse": true, "uni_http_stream_handler_prefix": "/uhs", "emulation_max_request_body_size": 30}
        """);
    StreamTransports s = GyreConfig.from(ConfigLoader.load(file, Map.of(), Map.of()).tree()).streams();
    assertThat(s.httpStream()).isEqualTo(new StreamTransports.Endpoint(true, "/hs", 10));
    assertThat(s.sse().enabled()).isTrue();
    assertThat(s.uniWebSocket()).isEqualTo(new StreamTransports.Endpoint(true, "/connection/uni_websocket", 20));
    assertThat(s.uniWebSocketWriteTimeout()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(s.uniSse().enabled()).isTrue();
    assertThat(s.uniHttpStream()).isEqualTo(new StreamTransports.Endpoint(false, "/uhs", 65536));
    assertThat(s.emulation().maxRequestBodySize()).isEqualTo(30);
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("sse", new JsonObject().put("handler_prefix", "sse"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sse.handler_prefix");
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject()
        .put("http_stream", new JsonObject().put("max_request_body_size", -1))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http_stream.max_request_body_size");
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("uni_sse", new JsonObject().put("enabled", "maybe"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uni_sse.enabled");
  }

  @Test
  void uniGrpcIsOffOnPort11000ByDefaultAndTakesItsKeys(@TempDir Path dir) throws Exception {
    assertThat(GyreConfig.from(new JsonObject()).streams().uniGrpc())
        .isEqualTo(new StreamTransports.UniGrpc(false, "", 11000, 4 * 1024 * 1024));
    Path file = dir.resolve("config.json");
    Files.writeString(file, """
        {"uni_grpc": true, "uni_grpc_address": "127.0.0.1", "uni_grpc_port": 11001,
         "uni_grpc_max_receive_message_size": 1000}
        """);
    assertThat(GyreConfig.from(ConfigLoader.load(file, Map.of(), Map.of()).tree()).streams().uniGrpc())
        .isEqualTo(new StreamTransports.UniGrpc(true, "127.0.0.1", 11001, 1000));
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("uni_grpc", new JsonObject().put("port", 70000))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uni_grpc.port");
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject()
        .put("uni_grpc", new JsonObject().put("max_receive_message_size", -1))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uni_grpc.max_receive_message_size");
  }
}
