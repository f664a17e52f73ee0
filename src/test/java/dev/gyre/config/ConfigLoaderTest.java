package dev.gyre.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  /** The MISSION example (conf/config.json), verbatim. */
  static final String MISSION_V5 = """
      {
        "token_hmac_secret_key": "your-secret-key",
        "api_key": "your-api-key",
        "allowed_origins": ["http://localhost:3000"],
        "namespaces": [
          {"name": "chat", "history_size": 100, "history_ttl": "300s", "presence": true},
          {"name": "notifications", "history_size": 50, "history_ttl": "3600s"}
        ]
      }
      """;

  static final String MISSION_V6 = """
      {
        "client": {
          "token": {"hmac_secret_key": "your-secret-key"},
          "allowed_origins": ["http://localhost:3000"]
        },
        "http_api": {"key": "your-api-key"},
        "channel": {
          "namespaces": [
            {"name": "chat", "history_size": 100, "history_ttl": "300s", "presence": true},
            {"name": "notifications", "history_size": 50, "history_ttl": "3600s"}
          ]
        }
      }
      """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static ConfigLoader.Loaded load(Path file) {
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  private static ConfigLoader.Loaded load(Path file, Map<String, String> env) {
    return ConfigLoader.load(file, env, Map.of());
  }

  private static Object at(JsonObject tree, String path) {
    Object cur = tree;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof JsonObject o)) return null;
      cur = o.getValue(part);
    }
    return cur;
  }

  private static void assertMissionConfig(ConfigLoader.Loaded loaded) {
    JsonObject tree = loaded.tree();
    assertThat(at(tree, "client.token.hmac_secret_key")).isEqualTo("your-secret-key");
    assertThat(at(tree, "http_api.key")).isEqualTo("your-api-key");
    assertThat(at(tree, "client.allowed_origins")).isEqualTo(new JsonArray().add("http://localhost:3000"));
    JsonArray ns = (JsonArray) at(tree, "channel.namespaces");
    assertThat(ns).hasSize(2);
    assertThat(ns.getJsonObject(0).getString("name")).isEqualTo("chat");
    assertThat(ns.getJsonObject(0).getInteger("history_size")).isEqualTo(100);
    assertThat(ns.getJsonObject(0).getString("history_ttl")).isEqualTo("300s");
    assertThat(ns.getJsonObject(0).getBoolean("presence")).isTrue();
    assertThat(ns.getJsonObject(1).getString("name")).isEqualTo("notifications");
    // Flat keys must not survive at the top level of the v6 tree.
    assertThat(tree.containsKey("token_hmac_secret_key")).isFalse();
    assertThat(tree.containsKey("api_key")).isFalse();
    assertThat(tree.containsKey("namespaces")).isFalse();
    assertThat(tree.containsKey("allowed_origins")).isFalse();

    GyreConfig c = loaded.config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("your-secret-key");
    assertThat(c.client().subscriptionToken().hmacSecretKey()).isEqualTo("your-secret-key");
    assertThat(c.httpApi().key()).isEqualTo("your-api-key");
    assertThat(c.client().allowedOrigins()).containsExactly("http://localhost:3000");
    assertThat(c.channel().namespaces()).containsOnlyKeys("chat", "notifications");
    ChannelOptions chat = c.namespace("chat");
    assertThat(chat.name()).isEqualTo("chat");
    assertThat(chat.historySize()).isEqualTo(100);
    assertThat(chat.historyTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(chat.presence()).isTrue();
    assertThat(chat.historyEnabled()).isTrue();
    ChannelOptions notifications = c.namespace("notifications");
    assertThat(notifications.historySize()).isEqualTo(50);
    assertThat(notifications.historyTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(notifications.presence()).isFalse();
    assertThat(c.namespace("")).isSameAs(c.channel().withoutNamespace());
    assertThat(c.namespace("missing")).isNull();
  }

  // ---------------------------------------------------------------- file layouts

  @Test
  void missionV5FlatExampleTranslatesToV6Tree() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", MISSION_V5));
    assertThat(loaded.fileFound()).isTrue();
    assertThat(loaded.warnings()).isEmpty();
    assertMissionConfig(loaded);
  }

  @Test
  void repositoryConfJsonIsTheMissionExample() {
    Path conf = Path.of("conf", "config.json");
    assertThat(conf).exists();
    ConfigLoader.Loaded loaded = load(conf);
    assertThat(loaded.warnings()).isEmpty();
    assertMissionConfig(loaded);
  }

  @Test
  void v6NestedLayoutLoads() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", MISSION_V6));
    assertThat(loaded.warnings()).isEmpty();
    assertMissionConfig(loaded);
  }

  @Test
  void v5AndV6TreesAreEqual() throws IOException {
    JsonObject v5 = load(write("a.json", MISSION_V5)).tree();
    JsonObject v6 = load(write("b.json", MISSION_V6)).tree();
    assertThat(v5).isEqualTo(v6);
  }

  @Test
  void mixedFileMergesBothLayoutsAndV6Wins() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {
          "token_hmac_secret_key": "old-secret",
          "api_key": "flat-api-key",
          "allowed_origins": ["https://flat.example"],
          "client": {"token": {"hmac_secret_key": "new-secret"}, "channel_limit": 7},
          "channel": {"namespaces": [{"name": "news"}]},
          "namespaces": [{"name": "flat"}]
        }
        """));
    GyreConfig c = loaded.config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("new-secret");
    assertThat(c.httpApi().key()).isEqualTo("flat-api-key");
    // v5 key in the same group as v6 keys survives the nested merge.
    assertThat(c.client().allowedOrigins()).containsExactly("https://flat.example");
    assertThat(c.client().channelLimit()).isEqualTo(7);
    assertThat(c.channel().namespaces()).containsOnlyKeys("news");
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void mixedFileKeepsV5TopLevelChannelOptionsBesideV6WithoutNamespace() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {"presence": true, "channel": {"without_namespace": {"join_leave": true}}}
        """));
    ChannelOptions top = loaded.config().channel().withoutNamespace();
    assertThat(top.joinLeave()).isTrue();
    assertThat(top.presence()).isTrue();
  }

  @Test
  void v5TopLevelChannelOptionsGoToWithoutNamespaceWithProxyRenames() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {"presence": true, "history_size": 10, "history_ttl": "60s", "allow_subscribe_for_client": true,
         "proxy_subscribe": true, "proxy_publish": true,
         "namespaces": [{"name": "ns", "proxy_publish": true, "proxy_subscribe": true}]}
        """));
    assertThat(at(loaded.tree(), "channel.without_namespace.presence")).isEqualTo(true);
    assertThat(at(loaded.tree(), "channel.without_namespace.subscribe_proxy_enabled")).isEqualTo(true);
    assertThat(at(loaded.tree(), "channel.without_namespace.proxy_subscribe")).isNull();
    ChannelOptions top = loaded.config().channel().withoutNamespace();
    assertThat(top.presence()).isTrue();
    assertThat(top.historySize()).isEqualTo(10);
    assertThat(top.historyTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(top.allowSubscribeForClient()).isTrue();
    assertThat(top.subscribeProxyEnabled()).isTrue();
    assertThat(top.publishProxyEnabled()).isTrue();
    ChannelOptions ns = loaded.config().namespace("ns");
    assertThat(ns.publishProxyEnabled()).isTrue();
    assertThat(ns.subscribeProxyEnabled()).isTrue();
    // No inheritance from the top level into namespaces.
    assertThat(ns.presence()).isFalse();
    assertThat(ns.historySize()).isZero();
    assertThat(ns.allowSubscribeForClient()).isFalse();
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void v5FlatKeysOfOtherGroups() throws IOException {
    GyreConfig c = load(write("config.json", """
        {"port": "9100", "name": "node-a", "log_level": "debug", "client_insecure": true,
         "client_channel_limit": 5, "ping_interval": "30s", "pong_timeout": "10s", "api_insecure": true,
         "api_handler_prefix": "/myapi", "websocket_message_size_limit": 1024, "channel_max_length": 100,
         "global_history_meta_ttl": "48h", "separate_subscription_token_config": true,
         "subscription_token_hmac_secret_key": "sub-secret", "token_user_id_claim": "user_id",
         "engine": "memory", "shutdown_timeout": "5s"}
        """)).config();
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.nodeName()).isEqualTo("node-a");
    assertThat(c.logLevel()).isEqualTo("debug");
    assertThat(c.client().insecure()).isTrue();
    assertThat(c.client().channelLimit()).isEqualTo(5);
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.client().pongTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.httpApi().insecure()).isTrue();
    assertThat(c.httpApi().handlerPrefix()).isEqualTo("/myapi");
    assertThat(c.websocket().messageSizeLimit()).isEqualTo(1024);
    assertThat(c.channel().maxLength()).isEqualTo(100);
    assertThat(c.channel().historyMetaTtl()).isEqualTo(Duration.ofHours(48));
    assertThat(c.client().subscriptionToken().hmacSecretKey()).isEqualTo("sub-secret");
    assertThat(c.client().token().userIdClaim()).isEqualTo("user_id");
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void v5FlatKeysNamedLikeV6GroupsKeepTheirV5Meaning() throws IOException {
    // "engine", "admin", "health", ... are v5 scalar keys and also v6 group names (engine.type, admin.enabled).
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {"engine": "redis", "admin": true, "admin_password": "pw", "admin_secret": "sec", "health": true,
         "prometheus": true, "debug": true, "grpc_api": true, "sse": true, "http_stream": true,
         "uni_websocket": true, "uni_sse": true, "uni_http_stream": true, "uni_grpc": true, "swagger": true}
        """));
    JsonObject tree = loaded.tree();
    assertThat(at(tree, "engine.type")).isEqualTo("redis");
    assertThat(at(tree, "admin.enabled")).isEqualTo(true);
    assertThat(at(tree, "admin.password")).isEqualTo("pw");
    assertThat(at(tree, "admin.secret")).isEqualTo("sec");
    for (String group : List.of("health", "prometheus", "debug", "grpc_api", "sse", "http_stream", "uni_websocket",
        "uni_sse", "uni_http_stream", "uni_grpc", "swagger")) {
      assertThat(at(tree, group + ".enabled")).as(group).isEqualTo(true);
    }
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().healthPath()).isEqualTo("/health");
  }

  @Test
  void v6GroupObjectStillWorksForThoseNames() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {"engine": {"type": "redis"}, "admin": {"enabled": true}, "health": {"enabled": true, "handler_prefix": "/hc"}}
        """));
    assertThat(at(loaded.tree(), "engine.type")).isEqualTo("redis");
    assertThat(at(loaded.tree(), "admin.enabled")).isEqualTo(true);
    assertThat(loaded.config().healthPath()).isEqualTo("/hc");
  }

  @Test
  void defaultsWithoutAnySource() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(loaded.fileFound()).isFalse();
    assertThat(loaded.warnings()).isEmpty();
    GyreConfig c = loaded.config();
    assertThat(c.port()).isEqualTo(8000);
    assertThat(c.address()).isEmpty();
    assertThat(c.nodeName()).endsWith("_8000");
    assertThat(c.logLevel()).isEqualTo("info");
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.client().pongTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.client().pingEnabled()).isTrue();
    assertThat(c.client().channelLimit()).isEqualTo(128);
    assertThat(c.client().queueMaxSize()).isEqualTo(1048576);
    assertThat(c.client().expiredCloseDelay()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.client().staleCloseDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.client().historyMaxPublicationLimit()).isEqualTo(300);
    assertThat(c.client().allowedOrigins()).isEmpty();
    assertThat(c.client().insecure()).isFalse();
    assertThat(c.client().token().hasKey()).isFalse();
    assertThat(c.client().token().userIdClaim()).isEqualTo("sub");
    assertThat(c.httpApi().handlerPrefix()).isEqualTo("/api");
    assertThat(c.httpApi().key()).isEmpty();
    assertThat(c.websocket().handlerPrefix()).isEqualTo("/connection/websocket");
    assertThat(c.websocket().messageSizeLimit()).isEqualTo(65536);
    assertThat(c.healthPath()).isEqualTo("/health");
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.channel().maxLength()).isEqualTo(255);
    assertThat(c.channel().privatePrefix()).isEqualTo("$");
    assertThat(c.channel().namespaceBoundary()).isEqualTo(":");
    assertThat(c.channel().userBoundary()).isEqualTo("#");
    assertThat(c.channel().userSeparator()).isEqualTo(",");
    assertThat(c.channel().historyMetaTtl()).isEqualTo(Duration.ofHours(720));
    assertThat(c.channel().namespaces()).isEmpty();
    ChannelOptions top = c.channel().withoutNamespace();
    assertThat(top.presence()).isFalse();
    assertThat(top.historyEnabled()).isFalse();
    assertThat(top.allowSubscribeForClient()).isFalse();
    assertThat(top.historyMetaTtl()).isEqualTo(Duration.ofHours(720));
  }

  @Test
  void explicitZeroOrEmptyMeansDefault() throws IOException {
    GyreConfig c = load(write("config.json", """
        {"client": {"channel_limit": 0, "ping_interval": "0", "pong_timeout": ""},
         "http_api": {"handler_prefix": ""}, "http_server": {"port": 0}}
        """)).config();
    assertThat(c.client().channelLimit()).isEqualTo(128);
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.client().pongTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.httpApi().handlerPrefix()).isEqualTo("/api");
    assertThat(c.port()).isEqualTo(8000);
  }

  @Test
  void negativePingIntervalDisablesPings() throws IOException {
    GyreConfig c = load(write("config.json", """
        {"client": {"ping_interval": "-1s"}}
        """)).config();
    assertThat(c.client().pingEnabled()).isFalse();
  }

  @Test
  void subscriptionTokenSectionOnlyWhenEnabled() throws IOException {
    GyreConfig off = load(write("a.json", """
        {"client": {"token": {"hmac_secret_key": "conn"}, "subscription_token": {"hmac_secret_key": "sub"}}}
        """)).config();
    assertThat(off.client().subscriptionToken().hmacSecretKey()).isEqualTo("conn");
    GyreConfig on = load(write("b.json", """
        {"client": {"token": {"hmac_secret_key": "conn"},
                    "subscription_token": {"enabled": true, "hmac_secret_key": "sub", "audience": "aud"}}}
        """)).config();
    assertThat(on.client().token().hmacSecretKey()).isEqualTo("conn");
    assertThat(on.client().subscriptionToken().hmacSecretKey()).isEqualTo("sub");
    assertThat(on.client().subscriptionToken().audience()).isEqualTo("aud");
  }

  @Test
  void namespaceOptionsAreParsed() throws IOException {
    GyreConfig c = load(write("config.json", """
        {"channel": {"namespaces": [{"name": "full", "presence": true, "join_leave": true,
          "force_push_join_leave": true, "history_size": 10, "history_ttl": "1h", "history_meta_ttl": "2h",
          "force_positioning": true, "allow_positioning": true, "force_recovery": true, "allow_recovery": true,
          "force_recovery_mode": "cache", "allowed_delta_types": ["fossil"], "delta_publish": true,
          "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true,
          "allow_publish_for_subscriber": true, "allow_publish_for_client": true, "allow_publish_for_anonymous": true,
          "allow_presence_for_subscriber": true, "allow_presence_for_client": true,
          "allow_presence_for_anonymous": true, "allow_history_for_subscriber": true,
          "allow_history_for_client": true, "allow_history_for_anonymous": true,
          "allow_user_limited_channels": true, "channel_regex": "^[a-z]+$", "publication_data_format": "json",
          "subscription_type": "stream", "subscribe_proxy_enabled": true, "publish_proxy_enabled": true}]}}
        """)).config();
    ChannelOptions o = c.namespace("full");
    assertThat(o.presence()).isTrue();
    assertThat(o.joinLeave()).isTrue();
    assertThat(o.forcePushJoinLeave()).isTrue();
    assertThat(o.historySize()).isEqualTo(10);
    assertThat(o.historyTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(o.historyMetaTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(o.forcePositioning()).isTrue();
    assertThat(o.allowPositioning()).isTrue();
    assertThat(o.forceRecovery()).isTrue();
    assertThat(o.allowRecovery()).isTrue();
    assertThat(o.forceRecoveryMode()).isEqualTo("cache");
    assertThat(o.allowedDeltaTypes()).containsExactly("fossil");
    assertThat(o.deltaPublish()).isTrue();
    assertThat(o.allowSubscribeForClient()).isTrue();
    assertThat(o.allowSubscribeForAnonymous()).isTrue();
    assertThat(o.allowPublishForSubscriber()).isTrue();
    assertThat(o.allowPublishForClient()).isTrue();
    assertThat(o.allowPublishForAnonymous()).isTrue();
    assertThat(o.allowPresenceForSubscriber()).isTrue();
    assertThat(o.allowPresenceForClient()).isTrue();
    assertThat(o.allowPresenceForAnonymous()).isTrue();
    assertThat(o.allowHistoryForSubscriber()).isTrue();
    assertThat(o.allowHistoryForClient()).isTrue();
    assertThat(o.allowHistoryForAnonymous()).isTrue();
    assertThat(o.allowUserLimitedChannels()).isTrue();
    assertThat(o.channelRegex().pattern()).isEqualTo("^[a-z]+$");
    assertThat(o.publicationDataFormat()).isEqualTo("json");
    assertThat(o.subscriptionType()).isEqualTo("stream");
    assertThat(o.subscribeProxyEnabled()).isTrue();
    assertThat(o.publishProxyEnabled()).isTrue();
  }

  @Test
  void globalPublicationDataFormatIsNamespaceDefault() throws IOException {
    GyreConfig c = load(write("config.json", """
        {"channel": {"publication_data_format": "json_object",
                     "namespaces": [{"name": "aa"}, {"name": "bb", "publication_data_format": "binary"}]}}
        """)).config();
    assertThat(c.namespace("aa").publicationDataFormat()).isEqualTo("json_object");
    assertThat(c.namespace("bb").publicationDataFormat()).isEqualTo("binary");
    assertThat(c.channel().withoutNamespace().publicationDataFormat()).isEqualTo("json_object");
  }

  // ---------------------------------------------------------------- TOML

  @Test
  void tomlFileLoadsNestedTablesArraysOfTablesAndV5FlatKeys() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.toml", """
        api_key = "toml-api-key"

        [client]
        allowed_origins = ["https://app.example.com"]
        ping_interval = "30s"

        [client.token]
        hmac_secret_key = "toml-secret"

        [[channel.namespaces]]
        name = "chat"
        history_size = 100
        history_ttl = "300s"
        presence = true

        [[channel.namespaces]]
        name = "news"
        """));
    assertThat(loaded.warnings()).isEmpty();
    GyreConfig c = loaded.config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("toml-secret");
    assertThat(c.client().allowedOrigins()).containsExactly("https://app.example.com");
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.httpApi().key()).isEqualTo("toml-api-key");
    assertThat(c.namespace("chat").historySize()).isEqualTo(100);
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.namespace("chat").presence()).isTrue();
    assertThat(c.namespace("news")).isNotNull();
  }

  @Test
  void malformedTomlNamesTheFile() throws IOException {
    Path file = write("broken.toml", "[client\nping_interval = 30s\n");
    assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("broken.toml").hasMessageContaining("cannot be parsed");
  }

  // ---------------------------------------------------------------- YAML

  @Test
  void yamlFileLoads() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.yaml", """
        client:
          token:
            hmac_secret_key: yaml-secret
          allowed_origins:
            - https://app.example.com
          ping_interval: 30s
        api_key: yaml-api-key
        channel:
          namespaces:
            - name: chat
              history_size: 100
              history_ttl: 300s
              presence: true
        """));
    assertThat(loaded.warnings()).isEmpty();
    GyreConfig c = loaded.config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("yaml-secret");
    assertThat(c.client().allowedOrigins()).containsExactly("https://app.example.com");
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.httpApi().key()).isEqualTo("yaml-api-key");
    assertThat(c.namespace("chat").historySize()).isEqualTo(100);
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.namespace("chat").presence()).isTrue();
  }

  @Test
  void ymlExtensionAndV5FlatYamlLoad() throws IOException {
    GyreConfig c = load(write("config.yml", """
        token_hmac_secret_key: s
        namespaces:
          - name: chat
            presence: true
        """)).config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("s");
    assertThat(c.namespace("chat").presence()).isTrue();
  }

  @Test
  void emptyYamlIsAnEmptyConfig() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.yaml", ""));
    assertThat(loaded.fileFound()).isTrue();
    assertThat(loaded.tree().isEmpty()).isTrue();
  }

  @Test
  void invalidYamlNamesTheFile() throws IOException {
    Path p = write("broken.yaml", "client: [unclosed\n  - x: : :\n");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class).hasMessageContaining("broken.yaml");
  }

  @Test
  void yamlTopLevelListIsRejected() throws IOException {
    Path p = write("list.yaml", "- a\n- b\n");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class).hasMessageContaining("list.yaml");
  }

  // ---------------------------------------------------------------- file errors

  @Test
  void invalidJsonNamesTheFile() throws IOException {
    Path p = write("bad-config.json", "{\"api_key\": \"x\",, }");
    assertThatThrownBy(() -> load(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad-config.json")
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void jsonTopLevelArrayIsRejected() throws IOException {
    Path p = write("array.json", "[1, 2]");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class).hasMessageContaining("array.json");
  }

  @Test
  void missingFileIsAWarningAndEnvStillApplies() {
    Path missing = dir.resolve("nope.json");
    ConfigLoader.Loaded loaded = ConfigLoader.load(missing, Map.of("CENTRIFUGO_HTTP_API_KEY", "k"), Map.of());
    assertThat(loaded.fileFound()).isFalse();
    assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("not found").contains("nope.json"));
    assertThat(loaded.config().httpApi().key()).isEqualTo("k");
  }

  // ---------------------------------------------------------------- unknown keys

  @Test
  void unknownKeysAreWarningsNotErrors() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", """
        {"api_key": "k", "totally_unknown": 1, "client": {"bogus_option": true, "token": {"hmac_secret_key": "s"}},
         "namespaces": [{"name": "chat", "not_an_option": 1}],
         "channel": {"without_namespace": {"weird": 2}}}
        """));
    assertThat(loaded.warnings()).contains(
        "unknown key in configuration file: totally_unknown",
        "unknown key in configuration file: client.bogus_option",
        "unknown key in configuration file: namespaces[0].not_an_option",
        "unknown key in configuration file: channel.without_namespace.weird");
    assertThat(loaded.warnings()).noneMatch(w -> w.contains("api_key") || w.contains("hmac_secret_key"));
    GyreConfig c = loaded.config();
    assertThat(c.httpApi().key()).isEqualTo("k");
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("s");
    assertThat(c.namespace("chat")).isNotNull();
  }

  // ---------------------------------------------------------------- environment

  @Test
  void v6EnvNameOverridesFile() throws IOException {
    Path p = write("config.json", MISSION_V5);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY", "env-secret",
        "CENTRIFUGO_HTTP_API_KEY", "env-api")).config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("env-secret");
    assertThat(c.httpApi().key()).isEqualTo("env-api");
  }

  @Test
  void v5EnvNameOverridesFile() throws IOException {
    Path p = write("config.json", MISSION_V6);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_TOKEN_HMAC_SECRET_KEY", "env5-secret",
        "CENTRIFUGO_API_KEY", "env5-api")).config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("env5-secret");
    assertThat(c.httpApi().key()).isEqualTo("env5-api");
  }

  @Test
  void v6EnvNameWinsOverV5EnvName() {
    GyreConfig c = load(null, Map.of("CENTRIFUGO_API_KEY", "v5", "CENTRIFUGO_HTTP_API_KEY", "v6")).config();
    assertThat(c.httpApi().key()).isEqualTo("v6");
  }

  @Test
  void gyrePrefixedEnvOverridesFile() throws IOException {
    Path p = write("config.json", MISSION_V5);
    GyreConfig c = load(p, Map.of("GYRE_CLIENT_TOKEN_HMAC_SECRET_KEY", "gyre-secret", "GYRE_API_KEY", "gyre-api",
        "GYRE_CHANNEL_NAMESPACES_CHAT_HISTORY_TTL", "900s")).config();
    assertThat(c.client().token().hmacSecretKey()).isEqualTo("gyre-secret");
    assertThat(c.httpApi().key()).isEqualTo("gyre-api");
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(900));
  }

  @Test
  void envTypesAreConverted() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CENTRIFUGO_CLIENT_INSECURE", "true");
    env.put("CENTRIFUGO_CLIENT_CHANNEL_LIMIT", "0x10");
    env.put("CENTRIFUGO_CLIENT_ALLOWED_ORIGINS", "https://a.example  https://b.example");
    env.put("CENTRIFUGO_CLIENT_PING_INTERVAL", "40s");
    env.put("CENTRIFUGO_HTTP_SERVER_PORT", "9000");
    env.put("CENTRIFUGO_WEBSOCKET_MESSAGE_SIZE_LIMIT", "0o20");
    env.put("CENTRIFUGO_HTTP_API_INSECURE", "T");
    GyreConfig c = load(null, env).config();
    assertThat(c.client().insecure()).isTrue();
    assertThat(c.client().channelLimit()).isEqualTo(16);
    assertThat(c.client().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(40));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.websocket().messageSizeLimit()).isEqualTo(16);
    assertThat(c.httpApi().insecure()).isTrue();
  }

  @Test
  void v5AllowedOriginsEnvAsJsonList() {
    GyreConfig c = load(null, Map.of("CENTRIFUGO_ALLOWED_ORIGINS", "[\"https://x.example\"]")).config();
    assertThat(c.client().allowedOrigins()).containsExactly("https://x.example");
  }

  @Test
  void emptyEnvValueIsUnset() throws IOException {
    Path p = write("config.json", MISSION_V5);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_HTTP_API_KEY", "", "CENTRIFUGO_API_KEY", "")).config();
    assertThat(c.httpApi().key()).isEqualTo("your-api-key");
  }

  @Test
  void kubernetesCentrifugoPortIsIgnored() {
    ConfigLoader.Loaded loaded = load(null, Map.of("CENTRIFUGO_PORT", "tcp://10.0.0.1:8000",
        "CENTRIFUGO_PORT_8000_TCP_ADDR", "10.0.0.1", "CENTRIFUGO_SERVICE_HOST", "10.0.0.1",
        "CENTRIFUGO_VAR_ANYTHING", "x"));
    assertThat(loaded.config().port()).isEqualTo(8000);
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void unknownEnvVarIsAWarning() {
    ConfigLoader.Loaded loaded = load(null, Map.of("CENTRIFUGO_NOT_A_KEY", "1", "GYRE_ALSO_NOT", "2",
        "PATH", "/usr/bin", "HOME", "/root"));
    assertThat(loaded.warnings()).containsExactlyInAnyOrder(
        "unknown environment variable: CENTRIFUGO_NOT_A_KEY", "unknown environment variable: GYRE_ALSO_NOT");
  }

  @Test
  void invalidEnvBoolNamesTheVariable() {
    assertThatThrownBy(() -> load(null, Map.of("CENTRIFUGO_CLIENT_INSECURE", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CENTRIFUGO_CLIENT_INSECURE");
  }

  @Test
  void invalidEnvIntNamesTheVariable() {
    assertThatThrownBy(() -> load(null, Map.of("CENTRIFUGO_CLIENT_CHANNEL_LIMIT", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CENTRIFUGO_CLIENT_CHANNEL_LIMIT");
  }

  @Test
  void invalidEnvJsonNamesTheVariable() {
    assertThatThrownBy(() -> load(null, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES", "[{\"name\":")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CENTRIFUGO_CHANNEL_NAMESPACES");
  }

  @Test
  void invalidEnvDurationNamesTheKey() {
    assertThatThrownBy(() -> load(null, Map.of("CENTRIFUGO_CLIENT_PING_INTERVAL", "1d")).config())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("client.ping_interval");
  }

  @Test
  void perNamespaceEnvOverridesFile() throws IOException {
    Path p = write("config.json", MISSION_V5);
    ConfigLoader.Loaded loaded = load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_TTL", "600s",
        "CENTRIFUGO_CHANNEL_NAMESPACES_NOTIFICATIONS_PRESENCE", "true",
        "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_SIZE", "7"));
    assertThat(loaded.warnings()).isEmpty();
    GyreConfig c = loaded.config();
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.namespace("chat").historySize()).isEqualTo(7);
    assertThat(c.namespace("notifications").presence()).isTrue();
    assertThat(c.namespace("notifications").historyTtl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void perNamespaceEnvForUnknownNamespaceIsAWarning() throws IOException {
    Path p = write("config.json", MISSION_V5);
    ConfigLoader.Loaded loaded = load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_GHOST_PRESENCE", "true"));
    assertThat(loaded.warnings()).contains("unknown environment variable: CENTRIFUGO_CHANNEL_NAMESPACES_GHOST_PRESENCE");
  }

  @Test
  void perNamespaceEnvNameReplacesDotsAndDashes() throws IOException {
    Path p = write("config.json", """
        {"channel": {"namespaces": [{"name": "my-ns.v2"}]}}
        """);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_MY_NS_V2_PRESENCE", "true")).config();
    assertThat(c.namespace("my-ns.v2").presence()).isTrue();
  }

  @Test
  void perNamespaceEnvInvalidValueNamesTheVariable() throws IOException {
    Path p = write("config.json", MISSION_V5);
    assertThatThrownBy(() -> load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_PRESENCE", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_PRESENCE");
  }

  @Test
  void spaceSeparatedNamespacesEnvCreatesNamespaces() {
    ConfigLoader.Loaded loaded = load(null, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES", "chat  news",
        "CENTRIFUGO_CHANNEL_NAMESPACES_NEWS_PRESENCE", "true",
        "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_SIZE", "10",
        "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_TTL", "300s"));
    assertThat(loaded.warnings()).isEmpty();
    GyreConfig c = loaded.config();
    assertThat(c.channel().namespaces()).containsOnlyKeys("chat", "news");
    assertThat(c.namespace("news").presence()).isTrue();
    assertThat(c.namespace("chat").historySize()).isEqualTo(10);
    assertThat(c.namespace("chat").historyTtl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.namespace("chat").presence()).isFalse();
  }

  @Test
  void spaceSeparatedNamespacesAreAppendedToFileNamespaces() throws IOException {
    Path p = write("config.json", MISSION_V5);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES", "extra")).config();
    assertThat(c.channel().namespaces()).containsOnlyKeys("chat", "notifications", "extra");
    assertThat(c.namespace("chat").historySize()).isEqualTo(100);
  }

  @Test
  void jsonNamespacesEnvReplacesFileNamespaces() throws IOException {
    Path p = write("config.json", MISSION_V5);
    GyreConfig c = load(p, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES",
        "[{\"name\":\"ns1\",\"presence\":true}]")).config();
    assertThat(c.channel().namespaces()).containsOnlyKeys("ns1");
    assertThat(c.namespace("ns1").presence()).isTrue();
  }

  @Test
  void v5JsonNamespacesEnv() {
    GyreConfig c = load(null, Map.of("CENTRIFUGO_NAMESPACES", "[{\"name\":\"ns5\",\"join_leave\":true}]")).config();
    assertThat(c.namespace("ns5").joinLeave()).isTrue();
  }

  @Test
  void withoutNamespaceOptionEnv() {
    ConfigLoader.Loaded loaded = load(null, Map.of("CENTRIFUGO_CHANNEL_WITHOUT_NAMESPACE_PRESENCE", "true",
        "CENTRIFUGO_CHANNEL_WITHOUT_NAMESPACE_ALLOW_SUBSCRIBE_FOR_CLIENT", "1"));
    assertThat(loaded.warnings()).isEmpty();
    ChannelOptions top = loaded.config().channel().withoutNamespace();
    assertThat(top.presence()).isTrue();
    assertThat(top.allowSubscribeForClient()).isTrue();
  }

  // ---------------------------------------------------------------- flags

  @Test
  void flagsOverrideEnvAndFile() throws IOException {
    Path p = write("config.json", """
        {"http_server": {"port": 7000}, "client": {"insecure": false}, "api_key": "file-key"}
        """);
    Map<String, String> env = Map.of("CENTRIFUGO_HTTP_SERVER_PORT", "9000", "CENTRIFUGO_HTTP_API_KEY", "env-key");
    Map<String, String> flags = Map.of("http_server.port", "9001", "client.insecure", "true",
        "log.level", "debug");
    GyreConfig c = ConfigLoader.load(p, env, flags).config();
    assertThat(c.port()).isEqualTo(9001);
    assertThat(c.client().insecure()).isTrue();
    assertThat(c.logLevel()).isEqualTo("debug");
    assertThat(c.httpApi().key()).isEqualTo("env-key");
  }

  @Test
  void envOverridesFileWhenNoFlag() throws IOException {
    Path p = write("config.json", """
        {"http_server": {"port": 7000}}
        """);
    GyreConfig c = ConfigLoader.load(p, Map.of("CENTRIFUGO_HTTP_SERVER_PORT", "9000"), Map.of()).config();
    assertThat(c.port()).isEqualTo(9000);
  }

  @Test
  void unknownFlagIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("no.such.flag", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no.such.flag");
  }

  @Test
  void invalidFlagValueNamesTheFlag() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http_server.port", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http_server.port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("client.insecure", "sure")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("client.insecure");
  }

  // ---------------------------------------------------------------- validation

  private ConfigException invalid(String json) throws IOException {
    Path p = write("invalid-" + System.nanoTime() + ".json", json);
    try {
      load(p).config();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for " + json);
  }

  @Test
  void invalidPingIntervalNamesTheKey() throws IOException {
    assertThat(invalid("{\"client\": {\"ping_interval\": \"soon\"}}").getMessage()).contains("client.ping_interval");
  }

  @Test
  void oneDayDurationIsRejected() throws IOException {
    ConfigException e = invalid("{\"client\": {\"ping_interval\": \"1d\"}}");
    assertThat(e.getMessage()).contains("client.ping_interval").contains("1d");
    ConfigException e2 = invalid("{\"namespaces\": [{\"name\": \"chat\", \"history_size\": 1, \"history_ttl\": \"1d\"}]}");
    assertThat(e2.getMessage()).contains("channel.namespaces[0].history_ttl");
  }

  @Test
  void v5PingIntervalErrorNamesV6Key() throws IOException {
    assertThat(invalid("{\"ping_interval\": \"1d\"}").getMessage()).contains("client.ping_interval");
  }

  @Test
  void invalidNamespaceHistoryTtlNamesTheIndexedKey() throws IOException {
    ConfigException e = invalid("""
        {"channel": {"namespaces": [{"name": "ok"}, {"name": "bad", "history_size": 5, "history_ttl": "forever"}]}}
        """);
    assertThat(e.getMessage()).contains("channel.namespaces[1].history_ttl");
  }

  @Test
  void bareNumberDurationIsRejected() throws IOException {
    ConfigException e = invalid("{\"namespaces\": [{\"name\": \"chat\", \"history_size\": 1, \"history_ttl\": 300}]}");
    assertThat(e.getMessage()).contains("channel.namespaces[0].history_ttl");
  }

  @Test
  void historySizeWithoutTtlIsRejected() throws IOException {
    ConfigException e = invalid("{\"namespaces\": [{\"name\": \"chat\", \"history_size\": 100}]}");
    assertThat(e.getMessage()).contains("channel.namespaces[0]").contains("both history size and history ttl");
  }

  @Test
  void historyTtlWithoutSizeIsRejected() throws IOException {
    ConfigException e = invalid("{\"channel\": {\"without_namespace\": {\"history_ttl\": \"60s\"}}}");
    assertThat(e.getMessage()).contains("channel.without_namespace").contains("both history size and history ttl");
  }

  @Test
  void nonWholeSecondHistoryTtlIsRejected() throws IOException {
    ConfigException e = invalid(
        "{\"namespaces\": [{\"name\": \"chat\", \"history_size\": 1, \"history_ttl\": \"1500ms\"}]}");
    assertThat(e.getMessage()).contains("channel.namespaces[0].history_ttl").contains("whole");
  }

  @Test
  void nonWholeSecondMetaTtlIsRejected() throws IOException {
    assertThat(invalid("{\"channel\": {\"history_meta_ttl\": \"1.5s\"}}").getMessage())
        .contains("channel.history_meta_ttl");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"chat\", \"history_meta_ttl\": \"2500ms\"}]}").getMessage())
        .contains("channel.namespaces[0].history_meta_ttl");
  }

  @Test
  void metaTtlShorterThanHistoryTtlIsRejected() throws IOException {
    ConfigException e = invalid("""
        {"namespaces": [{"name": "chat", "history_size": 1, "history_ttl": "2h", "history_meta_ttl": "1h"}]}
        """);
    assertThat(e.getMessage()).contains("channel.namespaces[0].history_meta_ttl");
    ConfigException global = invalid("""
        {"channel": {"history_meta_ttl": "1h", "namespaces": [{"name": "chat", "history_size": 1, "history_ttl": "2h"}]}}
        """);
    assertThat(global.getMessage()).contains("channel.namespaces[0].history_meta_ttl");
  }

  @Test
  void pingIntervalNotAbovePongTimeoutIsRejected() throws IOException {
    assertThat(invalid("{\"client\": {\"ping_interval\": \"8s\", \"pong_timeout\": \"8s\"}}").getMessage())
        .contains("client.ping_interval");
    assertThat(invalid("{\"client\": {\"ping_interval\": \"5s\"}}").getMessage()).contains("client.ping_interval");
    assertThat(invalid("{\"ping_interval\": \"5s\", \"pong_timeout\": \"10s\"}").getMessage())
        .contains("client.ping_interval");
  }

  @Test
  void pingIntervalAbovePongTimeoutIsAccepted() throws IOException {
    GyreConfig c = load(write("config.json", "{\"client\": {\"ping_interval\": \"10s\", \"pong_timeout\": \"9s\"}}"))
        .config();
    assertThat(c.client().pingInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.client().pongTimeout()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void invalidNamespaceNamesAreRejected() throws IOException {
    assertThat(invalid("{\"namespaces\": [{\"name\": \"x\"}]}").getMessage()).contains("channel.namespaces[0].name");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"has space\"}]}").getMessage())
        .contains("channel.namespaces[0].name");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"a:b\"}]}").getMessage()).contains("channel.namespaces[0].name");
    assertThat(invalid("{\"namespaces\": [{\"presence\": true}]}").getMessage()).contains("channel.namespaces[0].name");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"dup\"}, {\"name\": \"dup\"}]}").getMessage())
        .contains("channel.namespaces[1].name");
  }

  @Test
  void namespacesMustBeAListOfObjects() throws IOException {
    assertThat(invalid("{\"channel\": {\"namespaces\": {\"name\": \"chat\"}}}").getMessage())
        .contains("channel.namespaces");
    assertThat(invalid("{\"namespaces\": [\"chat\"]}").getMessage()).contains("channel.namespaces[0]");
  }

  @Test
  void otherValidationRulesNameTheirKey() throws IOException {
    assertThat(invalid("{\"client\": {\"token\": {\"user_id_claim\": \"user-id\"}}}").getMessage())
        .contains("client.token.user_id_claim");
    assertThat(invalid("{\"http_server\": {\"port\": 70000}}").getMessage()).contains("http_server.port");
    assertThat(invalid("{\"engine\": \"tarantool\"}").getMessage()).contains("engine.type");
    assertThat(invalid("{\"log_level\": \"verbose\"}").getMessage()).contains("log.level");
    assertThat(invalid("{\"http_api\": {\"error_mode\": \"json\"}}").getMessage()).contains("http_api.error_mode");
    assertThat(invalid("{\"client\": {\"channel_limit\": -1}}").getMessage()).contains("client.channel_limit");
    assertThat(invalid("{\"client\": {\"insecure\": \"yes\"}}").getMessage()).contains("client.insecure");
    assertThat(invalid("{\"client\": {\"insecure\": 1}}").getMessage()).contains("client.insecure");
    assertThat(invalid("{\"client\": {\"channel_limit\": 1.5}}").getMessage()).contains("client.channel_limit");
    assertThat(invalid("{\"client\": {\"allowed_origins\": [1]}}").getMessage()).contains("client.allowed_origins");
    assertThat(invalid("{\"http_api\": {\"handler_prefix\": \"api\"}}").getMessage())
        .contains("http_api.handler_prefix");
    assertThat(invalid("{\"user_personal_channel_namespace\": \"personal\"}").getMessage())
        .contains("client.subscribe_to_user_personal_channel.personal_channel_namespace");
    assertThat(invalid("{\"channel\": {\"without_namespace\": true}}").getMessage())
        .contains("channel.without_namespace");
    assertThat(invalid("{\"client\": \"nope\"}").getMessage()).contains("client");
  }

  @Test
  void namespaceOptionValidationNamesTheOption() throws IOException {
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"force_recovery\": true}]}").getMessage())
        .contains("channel.namespaces[0].force_recovery");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"force_recovery_mode\": \"fast\"}]}").getMessage())
        .contains("channel.namespaces[0].force_recovery_mode");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"allowed_delta_types\": [\"xdelta\"]}]}").getMessage())
        .contains("channel.namespaces[0].allowed_delta_types");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"publication_data_format\": \"xml\"}]}").getMessage())
        .contains("channel.namespaces[0].publication_data_format");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"subscription_type\": \"bogus\"}]}").getMessage())
        .contains("channel.namespaces[0].subscription_type");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"channel_regex\": \"([a-z\"}]}").getMessage())
        .contains("channel.namespaces[0].channel_regex");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"history_size\": -1}]}").getMessage())
        .contains("channel.namespaces[0]");
    assertThat(invalid("{\"namespaces\": [{\"name\": \"ns\", \"presence\": \"on\"}]}").getMessage())
        .contains("channel.namespaces[0].presence");
  }

  @Test
  void personalChannelNamespaceMustExist() throws IOException {
    GyreConfig c = load(write("ok.json", """
        {"client": {"subscribe_to_user_personal_channel": {"enabled": true, "personal_channel_namespace": "personal"}},
         "channel": {"namespaces": [{"name": "personal", "presence": true}]}}
        """)).config();
    assertThat(c.client().subscribeToUserPersonalChannel()).isTrue();
    assertThat(c.client().personalChannelNamespace()).isEqualTo("personal");
  }

  @Test
  void loadedTreeIsIndependentOfConfigSource() throws IOException {
    ConfigLoader.Loaded loaded = load(write("config.json", MISSION_V5));
    GyreConfig c = loaded.config();
    loaded.tree().put("mutated", true);
    assertThat(c.source().containsKey("mutated")).isFalse();
  }

  @Test
  void schemaEnvNamesAndLookups() {
    assertThat(ConfigSchema.envName("CENTRIFUGO_", "client.token.hmac_secret_key"))
        .isEqualTo("CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY");
    assertThat(ConfigSchema.byV5("token_hmac_secret_key").path()).isEqualTo("client.token.hmac_secret_key");
    assertThat(ConfigSchema.byV5("api_key").path()).isEqualTo("http_api.key");
    assertThat(ConfigSchema.byV5("allowed_origins").path()).isEqualTo("client.allowed_origins");
    assertThat(ConfigSchema.byV5("namespaces").path()).isEqualTo("channel.namespaces");
    assertThat(ConfigSchema.byV5("port").path()).isEqualTo("http_server.port");
    assertThat(ConfigSchema.byV5("global_history_meta_ttl").path()).isEqualTo("channel.history_meta_ttl");
    assertThat(ConfigSchema.byPath("client.ping_interval").type()).isEqualTo(KeyType.DURATION);
    assertThat(ConfigSchema.byPath("client")).isNull();
    assertThat(ConfigSchema.isGroup("client")).isTrue();
    assertThat(ConfigSchema.isGroup("client.token")).isTrue();
    assertThat(ConfigSchema.isGroup("nonsense")).isFalse();
    assertThat(ConfigSchema.CHANNEL_OPTIONS).containsKeys("presence", "history_size", "history_ttl",
        "allow_user_limited_channels", "channel_regex");
    assertThat(ConfigSchema.V5_CHANNEL_OPTION_RENAMES).containsEntry("proxy_subscribe", "subscribe_proxy_enabled");
  }

  @Test
  void v5EnvNamesDoNotCollideWithOtherKeysV6EnvNames() {
    Map<String, String> v6Env = new LinkedHashMap<>();
    for (ConfigSchema.Key k : ConfigSchema.keys().values()) {
      v6Env.put(ConfigSchema.envName("CENTRIFUGO_", k.path()), k.path());
    }
    for (ConfigSchema.Key k : ConfigSchema.keys().values()) {
      if (k.v5() == null) continue;
      String other = v6Env.get(ConfigSchema.envName("CENTRIFUGO_", k.v5()));
      if (other != null) assertThat(other).as("env name of v5 key " + k.v5()).isEqualTo(k.path());
    }
  }

  @Test
  void everyV5NameMapsToADistinctV6Path() {
    List<ConfigSchema.Key> withV5 = ConfigSchema.keys().values().stream().filter(k -> k.v5() != null).toList();
    assertThat(withV5).isNotEmpty();
    for (ConfigSchema.Key k : withV5) {
      assertThat(ConfigSchema.byV5(k.v5())).isSameAs(k);
    }
  }
}
