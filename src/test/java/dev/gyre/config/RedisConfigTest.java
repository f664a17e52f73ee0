package dev.gyre.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** engine.redis.* (v5 redis_*): address forms, defaults, v5 → v6 mapping, errors naming the key. */
class RedisConfigTest {
  @TempDir
  Path dir;

  private GyreConfig load(String json) throws IOException {
    return load(json, Map.of());
  }

  private GyreConfig load(String json, Map<String, String> env) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, json);
    return ConfigLoader.load(f, env, Map.of()).config();
  }

  private String error(String json) {
    return assertThatThrownBy(() -> load(json)).isInstanceOf(ConfigException.class).actual().getMessage();
  }

  @Test
  void defaultsAreCentrifugos() throws IOException {
    GyreConfig c = load("{\"engine\": {\"type\": \"redis\"}}");
    assertThat(c.engineType()).isEqualTo("redis");
    RedisConfig r = c.redis();
    assertThat(r.address()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(r.prefix()).isEqualTo("centrifugo");
    assertThat(r.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.ioTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(r.tls()).isFalse();
    assertThat(load("{}").engineType()).isEqualTo("memory");
  }

  @Test
  void v6NestedKeys() throws IOException {
    RedisConfig r = load("""
        {"engine": {"type": "redis", "redis": {"address": ["10.0.0.5:6380"], "prefix": "app", "db": 3,
          "user": "u", "password": "p", "connect_timeout": "250ms", "io_timeout": "2s",
          "tls": {"enabled": true, "insecure_skip_verify": true}}}}""").redis();
    assertThat(r.address()).isEqualTo("rediss://10.0.0.5:6380/3");
    assertThat(r.prefix()).isEqualTo("app");
    assertThat(r.user()).isEqualTo("u");
    assertThat(r.password()).isEqualTo("p");
    assertThat(r.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(r.ioTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.tls()).isTrue();
    assertThat(r.tlsInsecureSkipVerify()).isTrue();
  }

  @Test
  void v5FlatKeysMapToEngineRedis() throws IOException {
    GyreConfig c = load("""
        {"engine": "redis", "redis_address": "redis://user:secret@db.local:6390/2", "redis_prefix": "v5",
         "redis_password": "pw", "redis_db": 5, "redis_io_timeout": "3s", "redis_tls": true}""");
    assertThat(c.engineType()).isEqualTo("redis");
    RedisConfig r = c.redis();
    assertThat(r.address()).isEqualTo("rediss://user:secret@db.local:6390/2"); // the URL's db wins
    assertThat(r.redactedAddress()).isEqualTo("rediss://***@db.local:6390/2");
    assertThat(r.prefix()).isEqualTo("v5");
    assertThat(r.password()).isEqualTo("pw");
    assertThat(r.db()).isEqualTo(5);
    assertThat(r.ioTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void environmentVariablesInBothNamings() throws IOException {
    assertThat(load("{}", Map.of("CENTRIFUGO_ENGINE_TYPE", "redis", "CENTRIFUGO_ENGINE_REDIS_ADDRESS", "h:1")).redis().address())
        .isEqualTo("redis://h:1");
    assertThat(load("{}", Map.of("CENTRIFUGO_ENGINE", "redis", "CENTRIFUGO_REDIS_ADDRESS", "redis://h:2",
        "CENTRIFUGO_REDIS_PREFIX", "e")).redis().prefix()).isEqualTo("e");
  }

  @Test
  void invalidValuesNameTheKey() {
    assertThat(error("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": \"nohostport\"}}}"))
        .contains("engine.redis.address");
    assertThat(error("{\"engine\": \"redis\", \"redis_address\": \"redis+sentinel://h:26379?sentinel_master_name=m\"}"))
        .contains("engine.redis.address").contains("not supported");
    assertThat(error("{\"engine\": \"redis\", \"redis_address\": [\"a:1\", \"b:2\"]}"))
        .contains("engine.redis.address").contains("sharding");
    assertThat(error("{\"engine\": \"redis\", \"redis_cluster_address\": [\"a:1\"]}")).contains("engine.redis.cluster_address");
    assertThat(error("{\"engine\": \"redis\", \"redis_db\": -1}")).contains("engine.redis.db");
    assertThat(error("{\"engine\": \"redis\", \"redis_io_timeout\": 5}")).contains("engine.redis.io_timeout");
    assertThat(error("{\"engine\": {\"type\": \"redis\", \"redis\": {\"tls\": {\"cert_pem\": \"x\"}}}}"))
        .contains("engine.redis.tls.cert_pem");
    assertThat(error("{\"engine\": {\"type\": \"redis\", \"redis\": {\"tls\": true}}}")).contains("engine.redis.tls");
    assertThat(error("{\"engine\": \"redis\", \"redis_address\": \"redis://h:1/notadb\"}")).contains("engine.redis.address");
  }

  @Test
  void redisKeysAreNotValidatedWithTheMemoryEngine() throws IOException {
    assertThat(load("{\"redis_address\": \"nohostport\"}").engineType()).isEqualTo("memory");
  }
}
