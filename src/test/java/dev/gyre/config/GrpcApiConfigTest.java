package dev.gyre.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed {@code grpc_api} group (spec/server-api.md §9). */
class GrpcApiConfigTest {

  @Test
  void defaultsAreOffOnPort10000WithTheGrpcReceiveLimit() {
    GyreConfig.GrpcApi g = GyreConfig.from(new JsonObject()).grpcApi();
    assertThat(g).isEqualTo(new GyreConfig.GrpcApi(false, "", 10000, "", "", 4 * 1024 * 1024));
  }

  @Test
  void v6AndV5KeysAreRead(@TempDir Path dir) throws Exception {
    GyreConfig.GrpcApi v6 = GyreConfig.from(new JsonObject("""
        {"grpc_api": {"enabled": true, "address": "127.0.0.1", "port": 10001, "key": "k",
                      "error_mode": "transport", "max_receive_message_size": 1024}}""")).grpcApi();
    assertThat(v6).isEqualTo(new GyreConfig.GrpcApi(true, "127.0.0.1", 10001, "k", "transport", 1024));
    Path file = Files.writeString(dir.resolve("v5.json"),
        "{\"grpc_api\": true, \"grpc_api_port\": 10002, \"grpc_api_key\": \"k5\", \"grpc_api_error_mode\": \"transport\"}");
    GyreConfig.GrpcApi g5 = ConfigLoader.load(file, Map.of(), Map.of()).config().grpcApi();
    assertThat(g5.enabled()).isTrue();
    assertThat(g5.port()).isEqualTo(10002);
    assertThat(g5.key()).isEqualTo("k5");
    assertThat(g5.errorMode()).isEqualTo("transport");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("grpc_api", new JsonObject().put("error_mode", "body"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("grpc_api.error_mode");
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("grpc_api", new JsonObject().put("port", 70000))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("grpc_api.port");
    assertThatThrownBy(() -> GyreConfig.from(new JsonObject().put("grpc_api",
        new JsonObject().put("max_receive_message_size", -1))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("grpc_api.max_receive_message_size");
  }
}
