package dev.gyre.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GyreConfigTest {

  @Test
  void fromEmptyTreeGivesDefaults() {
    GyreConfig c = GyreConfig.from(new JsonObject());
    assertThat(c.port()).isEqualTo(GyreConfig.DEFAULT_PORT);
    assertThat(c.client().pingInterval()).isEqualTo(GyreConfig.DEFAULT_PING_INTERVAL);
    assertThat(c.client().pongTimeout()).isEqualTo(GyreConfig.DEFAULT_PONG_TIMEOUT);
    assertThat(c.channel().namespaces()).isEmpty();
    assertThat(c.cluster()).isFalse();
  }

  @Test
  void fromNestedTree() {
    GyreConfig c = GyreConfig.from(new JsonObject("""
        {"http_server": {"address": "127.0.0.1", "port": 8123}, "node": {"name": "n1"},
         "client": {"token": {"hmac_secret_key": "s", "audience": "a", "issuer": "i"}},
         "cluster": {"enabled": true},
         "channel": {"namespaces": [{"name": "chat", "history_size": 5, "history_ttl": "30s"}]}}
        """));
    assertThat(c.address()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8123);
    assertThat(c.nodeName()).isEqualTo("n1");
    assertThat(c.cluster()).isTrue();
    TokenConfig t = c.client().token();
    assertThat(t).isEqualTo(new TokenConfig("s", "", "", "", "a", "", "i", "", "sub"));
    assertThat(t.hasKey()).isTrue();
    assertThat(c.namespace("chat").historyEnabled()).isTrue();
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void sourceIsACopy() {
    JsonObject tree = new JsonObject().put("http_api", new JsonObject().put("key", "k"));
    GyreConfig c = GyreConfig.from(tree);
    tree.getJsonObject("http_api").put("key", "changed");
    assertThat(c.source().getJsonObject("http_api").getString("key")).isEqualTo("k");
    assertThat(c.httpApi().key()).isEqualTo("k");
  }

  @Test
  void namespacesMapIsUnmodifiable() {
    GyreConfig c = GyreConfig.from(new JsonObject("{\"channel\": {\"namespaces\": [{\"name\": \"chat\"}]}}"));
    assertThatThrownBy(() -> c.channel().namespaces().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void historyEnabledNeedsSizeAndTtl() {
    GyreConfig c = GyreConfig.from(new JsonObject("""
        {"channel": {"without_namespace": {"presence": true},
                     "namespaces": [{"name": "off"}, {"name": "on", "history_size": 1, "history_ttl": "1s"}]}}
        """));
    assertThat(c.namespace("off").historyEnabled()).isFalse();
    assertThat(c.namespace("on").historyEnabled()).isTrue();
    assertThat(c.channel().withoutNamespace().historyEnabled()).isFalse();
    assertThat(c.channel().withoutNamespace().name()).isEmpty();
  }

  @Test
  void tokenWithoutKeys() {
    assertThat(new TokenConfig("", "", "", "", "", "", "", "", "sub").hasKey()).isFalse();
    assertThat(new TokenConfig("", "", "", "https://jwks", "", "", "", "", "sub").hasKey()).isTrue();
  }
}
