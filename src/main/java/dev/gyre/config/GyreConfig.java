package dev.gyre.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole, validated configuration of a node, built once at start-up from the merged v6 tree
 * (see {@link ConfigLoader}). Immutable. Defaults are Centrifugo's (spec/config.md §2).
 */
public record GyreConfig(
    String nodeName,
    String address,
    int port,
    String logLevel,
    Duration shutdownTimeout,
    boolean cluster,
    boolean dev,
    Client client,
    Channels channel,
    HttpApi httpApi,
    GrpcApi grpcApi,
    WebSocket websocket,
    String healthPath,
    boolean prometheus,
    String prometheusPath,
    JsonObject source,
    StreamTransports streams) {

  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_CHANNEL_LIMIT = 128;
  public static final int DEFAULT_QUEUE_MAX_SIZE = 1024 * 1024;
  public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 65536;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(8);
  public static final Duration DEFAULT_STALE_CLOSE_DELAY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_EXPIRED_CLOSE_DELAY = Duration.ofSeconds(25);
  public static final Duration DEFAULT_HISTORY_META_TTL = Duration.ofHours(720);
  public static final int DEFAULT_GRPC_API_PORT = 10000;
  /** The gRPC default receive limit, used when grpc_api.max_receive_message_size is 0. */
  public static final int DEFAULT_GRPC_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Client connection settings (the v6 {@code client.*} group). */
  public record Client(TokenConfig token, TokenConfig subscriptionToken, boolean insecure,
                       boolean insecureSkipTokenSignatureVerify, boolean allowAnonymousConnectWithoutToken,
                       boolean disallowAnonymousConnectionTokens, List<String> allowedOrigins, int channelLimit,
                       int queueMaxSize, int userConnectionLimit, int connectionLimit, Duration staleCloseDelay,
                       Duration expiredCloseDelay, Duration expiredSubCloseDelay, Duration pingInterval,
                       Duration pongTimeout, int historyMaxPublicationLimit, int recoveryMaxPublicationLimit,
                       boolean connectIncludeServerTime, boolean subscribeToUserPersonalChannel,
                       String personalChannelNamespace, Duration channelPositionCheckDelay) {
    /** Whether pings are sent (a negative interval disables them). */
    public boolean pingEnabled() { return !pingInterval.isNegative() && !pingInterval.isZero(); }
  }

  /** Channel naming rules and namespaces (the v6 {@code channel.*} group). */
  public record Channels(int maxLength, String privatePrefix, String namespaceBoundary, String userBoundary,
                         String userSeparator, Duration historyMetaTtl, ChannelOptions withoutNamespace,
                         Map<String, ChannelOptions> namespaces) {}

  /** The server HTTP API (the v6 {@code http_api.*} group). */
  public record HttpApi(String key, boolean insecure, boolean disabled, String handlerPrefix, String errorMode) {}

  /**
   * The gRPC server API (the v6 {@code grpc_api.*} group): off by default, on its own port.
   * {@code maxReceiveMessageSize} is already resolved (the gRPC default when 0 was configured).
   */
  public record GrpcApi(boolean enabled, String address, int port, String key, String errorMode,
                        int maxReceiveMessageSize) {}

  /** The bidirectional WebSocket transport (the v6 {@code websocket.*} group). */
  public record WebSocket(boolean disabled, String handlerPrefix, boolean compression, int messageSizeLimit,
                          Duration writeTimeout) {}

  /** Builds and validates the typed configuration from a merged v6 tree. */
  public static GyreConfig from(JsonObject tree) {
    ConfigValues v = new ConfigValues(tree, "");
    int port = v.integer("http_server.port", DEFAULT_PORT);
    if (port < 0 || port > 65535) throw new ConfigException("http_server.port", "must be between 0 and 65535");

    TokenConfig token = TokenConfig.parse(v, "client.token.");
    TokenConfig subToken = v.bool("client.subscription_token.enabled", false)
        ? TokenConfig.parse(v, "client.subscription_token.") : token;
    Duration ping = v.duration("client.ping_interval", DEFAULT_PING_INTERVAL);
    Duration pong = v.duration("client.pong_timeout", DEFAULT_PONG_TIMEOUT);
    if (!ping.isNegative() && !pong.isNegative() && ping.compareTo(pong) <= 0) {
      throw new ConfigException("client.ping_interval", "must be greater than client.pong_timeout");
    }
    Client client = new Client(token, subToken, v.bool("client.insecure", false),
        v.bool("client.insecure_skip_token_signature_verify", false),
        v.bool("client.allow_anonymous_connect_without_token", false),
        v.bool("client.disallow_anonymous_connection_tokens", false),
        v.strings("client.allowed_origins"),
        positive(v, "client.channel_limit", DEFAULT_CHANNEL_LIMIT),
        positive(v, "client.queue_max_size", DEFAULT_QUEUE_MAX_SIZE),
        positive(v, "client.user_connection_limit", 0), positive(v, "client.connection_limit", 0),
        v.duration("client.stale_close_delay", DEFAULT_STALE_CLOSE_DELAY),
        v.duration("client.expired_close_delay", DEFAULT_EXPIRED_CLOSE_DELAY),
        v.duration("client.expired_sub_close_delay", DEFAULT_EXPIRED_CLOSE_DELAY),
        ping, pong,
        positive(v, "client.history_max_publication_limit", 300),
        positive(v, "client.recovery_max_publication_limit", 300),
        v.bool("client.connect_include_server_time", false),
        v.bool("client.subscribe_to_user_personal_channel.enabled", false),
        v.string("client.subscribe_to_user_personal_channel.personal_channel_namespace", ""),
        v.duration("client.channel_position_check_delay", Duration.ofSeconds(40)));

    Channels channels = channels(tree, v);
    if (!client.personalChannelNamespace().isEmpty()
        && !channels.namespaces().containsKey(client.personalChannelNamespace())) {
      throw new ConfigException("client.subscribe_to_user_personal_channel.personal_channel_namespace",
          "namespace \"" + client.personalChannelNamespace() + "\" is not configured");
    }

    String errorMode = v.string("http_api.error_mode", "");
    if (!errorMode.isEmpty() && !errorMode.equals("transport")) {
      throw new ConfigException("http_api.error_mode", "must be \"\" or \"transport\"");
    }
    HttpApi api = new HttpApi(v.string("http_api.key", ""), v.bool("http_api.insecure", false),
        v.bool("http_api.disabled", false), prefix(v, "http_api.handler_prefix", "/api"), errorMode);

    String grpcErrorMode = v.string("grpc_api.error_mode", "");
    if (!grpcErrorMode.isEmpty() && !grpcErrorMode.equals("transport")) {
      throw new ConfigException("grpc_api.error_mode", "must be \"\" or \"transport\"");
    }
    int grpcPort = v.integer("grpc_api.port", DEFAULT_GRPC_API_PORT);
    if (grpcPort < 0 || grpcPort > 65535) throw new ConfigException("grpc_api.port", "must be between 0 and 65535");
    int grpcMaxReceive = positive(v, "grpc_api.max_receive_message_size", 0);
    GrpcApi grpcApi = new GrpcApi(v.bool("grpc_api.enabled", false), v.string("grpc_api.address", ""), grpcPort,
        v.string("grpc_api.key", ""), grpcErrorMode,
        grpcMaxReceive > 0 ? grpcMaxReceive : DEFAULT_GRPC_MAX_RECEIVE_MESSAGE_SIZE);

    int sizeLimit = positive(v, "websocket.message_size_limit", DEFAULT_MESSAGE_SIZE_LIMIT);
    WebSocket ws = new WebSocket(v.bool("websocket.disabled", false),
        prefix(v, "websocket.handler_prefix", "/connection/websocket"), v.bool("websocket.compression", false),
        sizeLimit, v.duration("websocket.write_timeout", Duration.ofSeconds(1)));

    String engine = v.string("engine.type", "memory");
    if (!engine.equals("memory") && !engine.equals("redis")) {
      throw new ConfigException("engine.type", "must be memory or redis");
    }
    if (engine.equals("redis")) RedisConfig.from(v); // validated here, read again by redis()
    String logLevel = v.string("log.level", "info");
    if (!List.of("none", "trace", "debug", "info", "warn", "error", "fatal").contains(logLevel)) {
      throw new ConfigException("log.level", "must be one of none, trace, debug, info, warn, error");
    }
    String name = v.string("node.name", defaultNodeName(port));
    return new GyreConfig(name, v.string("http_server.address", ""), port, logLevel,
        v.duration("shutdown.timeout", Duration.ofSeconds(30)), v.bool("cluster.enabled", false), v.bool("dev", false),
        client, channels, api, grpcApi, ws, prefix(v, "health.handler_prefix", "/health"),
        v.bool("prometheus.enabled", false), prefix(v, "prometheus.handler_prefix", "/metrics"), tree.copy(),
        StreamTransports.from(v));
  }

  /** {@code engine.type}: "memory" (default) or "redis" (history in Redis). */
  public String engineType() {
    return new ConfigValues(source, "").string("engine.type", "memory");
  }

  /** The Redis engine's settings ({@code engine.redis.*}), defaults when absent. */
  public RedisConfig redis() {
    return RedisConfig.from(new ConfigValues(source, ""));
  }

  /** Resolves the options of a namespace name; empty name means channels without namespace. */
  public ChannelOptions namespace(String name) {
    return name.isEmpty() ? channel.withoutNamespace() : channel.namespaces().get(name);
  }

  private static Channels channels(JsonObject tree, ConfigValues v) {
    Duration metaTtl = v.duration("channel.history_meta_ttl", DEFAULT_HISTORY_META_TTL);
    if (metaTtl.getNano() != 0) throw new ConfigException("channel.history_meta_ttl", "must be a whole number of seconds");
    String dataFormat = v.string("channel.publication_data_format", "");
    Object top = v.raw("channel.without_namespace");
    if (top != null && !(top instanceof JsonObject)) throw new ConfigException("channel.without_namespace", "must be an object");
    ChannelOptions without = ChannelOptions.parse(top == null ? new JsonObject() : (JsonObject) top,
        "channel.without_namespace", null, metaTtl, dataFormat);
    Map<String, ChannelOptions> namespaces = new LinkedHashMap<>();
    Object list = v.raw("channel.namespaces");
    if (list != null) {
      if (!(list instanceof JsonArray arr)) throw new ConfigException("channel.namespaces", "must be a list of objects");
      for (int i = 0; i < arr.size(); i++) {
        String key = "channel.namespaces[" + i + "]";
        if (!(arr.getValue(i) instanceof JsonObject ns)) throw new ConfigException(key, "must be an object");
        Object n = ns.getValue("name");
        if (!(n instanceof String nsName)) throw new ConfigException(key + ".name", "is required");
        if (namespaces.containsKey(nsName)) throw new ConfigException(key + ".name", "namespace \"" + nsName + "\" is defined twice");
        namespaces.put(nsName, ChannelOptions.parse(ns, key, nsName, metaTtl, dataFormat));
      }
    }
    return new Channels(positive(v, "channel.max_length", 255), v.string("channel.private_prefix", "$"),
        v.string("channel.namespace_boundary", ":"), v.string("channel.user_boundary", "#"),
        v.string("channel.user_separator", ","), metaTtl, without, Collections.unmodifiableMap(namespaces));
  }

  static int positive(ConfigValues v, String key, int def) {
    int n = v.integer(key, def);
    if (n < 0) throw new ConfigException(key, "must not be negative");
    return n;
  }

  static String prefix(ConfigValues v, String key, String def) {
    Object raw = v.raw(key);
    if (raw instanceof String s && s.isEmpty()) return def;
    String p = v.string(key, def);
    if (!p.startsWith("/")) throw new ConfigException(key, "must start with /");
    return p;
  }

  private static String defaultNodeName(int port) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return host + "_" + port;
  }
}
