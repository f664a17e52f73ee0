package dev.gyre.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key Gyre knows, in Centrifugo v6's nested form, with its type and its
 * Centrifugo v5 flat name (spec/config.md §2). Keys Gyre accepts but does not act on yet are
 * listed too, so that they are not reported as unknown.
 */
public final class ConfigSchema {

  /** A known key: its v6 path, its type, and the v5 flat key that means the same (or null). */
  public record Key(String path, KeyType type, String v5) {}

  private static final Map<String, Key> BY_PATH = new LinkedHashMap<>();
  private static final Map<String, Key> BY_V5 = new LinkedHashMap<>();

  /** Channel options, valid at channel.without_namespace and in every namespace. */
  public static final Map<String, KeyType> CHANNEL_OPTIONS;
  /** v5 option names that v6 renamed (spec/config.md §3). */
  public static final Map<String, String> V5_CHANNEL_OPTION_RENAMES = Map.of(
      "proxy_subscribe", "subscribe_proxy_enabled",
      "proxy_publish", "publish_proxy_enabled",
      "proxy_sub_refresh", "sub_refresh_proxy_enabled",
      "proxy_subscribe_stream", "subscribe_stream_proxy_enabled",
      "proxy_subscribe_stream_bidirectional", "subscribe_stream_proxy_bidirectional");

  static {
    Map<String, KeyType> o = new LinkedHashMap<>();
    for (String b : new String[] {"presence", "join_leave", "force_push_join_leave", "force_positioning",
        "allow_positioning", "force_recovery", "allow_recovery", "delta_publish", "allow_subscribe_for_client",
        "allow_subscribe_for_anonymous", "allow_publish_for_subscriber", "allow_publish_for_client",
        "allow_publish_for_anonymous", "allow_presence_for_subscriber", "allow_presence_for_client",
        "allow_presence_for_anonymous", "allow_history_for_subscriber", "allow_history_for_client",
        "allow_history_for_anonymous", "allow_user_limited_channels", "subscribe_proxy_enabled",
        "publish_proxy_enabled", "sub_refresh_proxy_enabled", "subscribe_stream_proxy_enabled",
        "subscribe_stream_proxy_bidirectional", "auto_cache_recover", "allow_tags_filter"}) {
      o.put(b, KeyType.BOOL);
    }
    o.put("history_size", KeyType.INT);
    o.put("history_ttl", KeyType.DURATION);
    o.put("history_meta_ttl", KeyType.DURATION);
    o.put("force_recovery_mode", KeyType.STRING);
    o.put("allowed_delta_types", KeyType.STRINGS);
    o.put("channel_regex", KeyType.STRING);
    o.put("publication_data_format", KeyType.STRING);
    o.put("subscription_type", KeyType.STRING);
    for (String s : new String[] {"subscribe_proxy_name", "publish_proxy_name", "sub_refresh_proxy_name",
        "subscribe_stream_proxy_name", "map_clients_presence_channel_prefix", "map_users_presence_channel_prefix"}) {
      o.put(s, KeyType.STRING);
    }
    o.put("map", KeyType.OBJECT);
    o.put("shared_poll", KeyType.OBJECT);
    CHANNEL_OPTIONS = Collections.unmodifiableMap(o);

    // node, server, process
    key("node.name", KeyType.STRING, "name");
    key("node.info_metrics_aggregate_interval", KeyType.DURATION, "node_info_metrics_aggregate_interval");
    key("http_server.address", KeyType.STRING, "address");
    key("http_server.port", KeyType.INT, "port");
    key("http_server.internal_address", KeyType.STRING, "internal_address");
    key("http_server.internal_port", KeyType.INT, "internal_port");
    key("http_server.tls", KeyType.OBJECT, null);
    key("http_server.internal_tls", KeyType.OBJECT, null);
    key("http_server.tls_external", KeyType.BOOL, "tls_external");
    key("http_server.tls_autocert", KeyType.OBJECT, null);
    key("http_server.http3", KeyType.OBJECT, null);
    key("http_server.h2c_external", KeyType.BOOL, null);
    key("engine.type", KeyType.STRING, "engine");
    // engine.redis: the Redis engine (used for history; see RedisConfig for what is supported)
    key("engine.redis.address", KeyType.STRINGS, "redis_address");
    key("engine.redis.prefix", KeyType.STRING, "redis_prefix");
    key("engine.redis.connect_timeout", KeyType.DURATION, "redis_connect_timeout");
    key("engine.redis.io_timeout", KeyType.DURATION, "redis_io_timeout");
    key("engine.redis.db", KeyType.INT, "redis_db");
    key("engine.redis.user", KeyType.STRING, "redis_user");
    key("engine.redis.password", KeyType.STRING, "redis_password");
    key("engine.redis.client_name", KeyType.STRING, "redis_client_name");
    key("engine.redis.force_resp2", KeyType.BOOL, "redis_force_resp2");
    key("engine.redis.history_use_lists", KeyType.BOOL, "redis_use_lists");
    key("engine.redis.cluster_address", KeyType.STRINGS, "redis_cluster_address");
    key("engine.redis.sentinel_address", KeyType.STRINGS, "redis_sentinel_address");
    for (String s : new String[] {"user", "password", "master_name", "client_name"}) {
      key("engine.redis.sentinel_" + s, KeyType.STRING, "redis_sentinel_" + s);
    }
    key("engine.redis.tls.enabled", KeyType.BOOL, "redis_tls");
    key("engine.redis.tls.insecure_skip_verify", KeyType.BOOL, "redis_tls_insecure_skip_verify");
    key("engine.redis.tls.server_ca_pem", KeyType.STRING, "redis_tls_root_ca_pem");
    key("engine.redis.tls.server_name", KeyType.STRING, "redis_tls_server_name");
    key("engine.redis.tls.cert_pem", KeyType.STRING, "redis_tls_cert_pem");
    key("engine.redis.tls.key_pem", KeyType.STRING, "redis_tls_key_pem");
    key("engine.redis.tls.client_ca_pem", KeyType.STRING, "redis_tls_client_ca_pem");
    key("engine.redis.sentinel_tls", KeyType.OBJECT, null);
    key("engine.redis.presence_ttl", KeyType.DURATION, "global_presence_ttl");
    key("engine.redis.presence_user_mapping", KeyType.BOOL, "global_redis_presence_user_mapping");
    key("engine.redis.presence_hash_field_ttl", KeyType.BOOL, "redis_presence_hash_field_ttl");
    key("broker", KeyType.OBJECT, null);
    key("presence_manager", KeyType.OBJECT, null);
    key("map_broker", KeyType.OBJECT, null);
    key("pid_file", KeyType.STRING, "pid_file");
    key("log.level", KeyType.STRING, "log_level");
    key("log.file", KeyType.STRING, "log_file");
    key("shutdown.timeout", KeyType.DURATION, "shutdown_timeout");
    key("usage_stats.disabled", KeyType.BOOL, "usage_stats_disable");
    key("enable_unreleased_features", KeyType.BOOL, "enable_unreleased_features");

    // client
    key("client.token.hmac_secret_key", KeyType.STRING, "token_hmac_secret_key");
    key("client.token.rsa_public_key", KeyType.STRING, "token_rsa_public_key");
    key("client.token.ecdsa_public_key", KeyType.STRING, "token_ecdsa_public_key");
    key("client.token.jwks_public_endpoint", KeyType.STRING, "token_jwks_public_endpoint");
    key("client.token.audience", KeyType.STRING, "token_audience");
    key("client.token.audience_regex", KeyType.STRING, "token_audience_regex");
    key("client.token.issuer", KeyType.STRING, "token_issuer");
    key("client.token.issuer_regex", KeyType.STRING, "token_issuer_regex");
    key("client.token.user_id_claim", KeyType.STRING, "token_user_id_claim");
    key("client.token.hmac_previous_secret_key", KeyType.STRING, null);
    key("client.token.hmac_previous_secret_key_valid_until", KeyType.INT, null);
    key("client.token.insecure_skip_jwks_endpoint_safety_check", KeyType.BOOL, null);
    key("client.subscription_token.enabled", KeyType.BOOL, "separate_subscription_token_config");
    for (String s : new String[] {"hmac_secret_key", "rsa_public_key", "ecdsa_public_key", "jwks_public_endpoint",
        "audience", "audience_regex", "issuer", "issuer_regex", "user_id_claim"}) {
      key("client.subscription_token." + s, KeyType.STRING, "subscription_token_" + s);
    }
    key("client.insecure", KeyType.BOOL, "client_insecure");
    key("client.insecure_skip_token_signature_verify", KeyType.BOOL, "client_insecure_skip_token_signature_verify");
    key("client.allow_anonymous_connect_without_token", KeyType.BOOL, "allow_anonymous_connect_without_token");
    key("client.disallow_anonymous_connection_tokens", KeyType.BOOL, "disallow_anonymous_connection_tokens");
    key("client.user_id_http_header", KeyType.STRING, "client_user_id_http_header");
    key("client.allowed_origins", KeyType.STRINGS, "allowed_origins");
    key("client.channel_limit", KeyType.INT, "client_channel_limit");
    key("client.queue_max_size", KeyType.INT, "client_queue_max_size");
    key("client.presence_update_interval", KeyType.DURATION, "client_presence_update_interval");
    key("client.user_connection_limit", KeyType.INT, "client_user_connection_limit");
    key("client.connection_limit", KeyType.INT, "client_connection_limit");
    key("client.connection_rate_limit", KeyType.INT, "client_connection_rate_limit");
    key("client.concurrency", KeyType.INT, "client_concurrency");
    key("client.channel_position_check_delay", KeyType.DURATION, "client_channel_position_check_delay");
    key("client.channel_position_max_time_lag", KeyType.DURATION, "client_channel_position_max_time_lag");
    key("client.connect_include_server_time", KeyType.BOOL, "client_connect_include_server_time");
    key("client.expired_close_delay", KeyType.DURATION, "client_expired_close_delay");
    key("client.expired_sub_close_delay", KeyType.DURATION, "client_expired_sub_close_delay");
    key("client.stale_close_delay", KeyType.DURATION, "client_stale_close_delay");
    key("client.history_max_publication_limit", KeyType.INT, "client_history_max_publication_limit");
    key("client.recovery_max_publication_limit", KeyType.INT, "client_recovery_max_publication_limit");
    key("client.ping_interval", KeyType.DURATION, "ping_interval");
    key("client.pong_timeout", KeyType.DURATION, "pong_timeout");
    key("client.subscribe_to_user_personal_channel.enabled", KeyType.BOOL, "user_subscribe_to_personal");
    key("client.subscribe_to_user_personal_channel.personal_channel_namespace", KeyType.STRING,
        "user_personal_channel_namespace");
    key("client.subscribe_to_user_personal_channel.single_connection", KeyType.BOOL, "user_personal_single_connection");
    key("client.connect_code_to_unidirectional_disconnect", KeyType.OBJECT, "client_connect_code_to_unidirectional_disconnect");
    key("client.proxy", KeyType.OBJECT, null);

    // channels
    key("channel.max_length", KeyType.INT, "channel_max_length");
    key("channel.private_prefix", KeyType.STRING, "channel_private_prefix");
    key("channel.namespace_boundary", KeyType.STRING, "channel_namespace_boundary");
    key("channel.user_boundary", KeyType.STRING, "channel_user_boundary");
    key("channel.user_separator", KeyType.STRING, "channel_user_separator");
    key("channel.history_meta_ttl", KeyType.DURATION, "global_history_meta_ttl");
    key("channel.publication_data_format", KeyType.STRING, null);
    key("channel.namespaces", KeyType.LIST, "namespaces");
    key("channel.without_namespace", KeyType.OBJECT, null);
    key("channel.proxy", KeyType.OBJECT, null);

    // rpc
    key("rpc.namespace_boundary", KeyType.STRING, "rpc_namespace_boundary");
    key("rpc.ping.enabled", KeyType.BOOL, "rpc_ping");
    key("rpc.ping.method", KeyType.STRING, "rpc_ping_method");
    key("rpc.namespaces", KeyType.LIST, "rpc_namespaces");
    key("rpc.without_namespace", KeyType.OBJECT, null);
    key("rpc.proxy", KeyType.OBJECT, null);

    // server APIs and admin
    key("http_api.key", KeyType.STRING, "api_key");
    key("http_api.insecure", KeyType.BOOL, "api_insecure");
    key("http_api.disabled", KeyType.BOOL, "api_disable");
    key("http_api.external", KeyType.BOOL, "api_external");
    key("http_api.handler_prefix", KeyType.STRING, "api_handler_prefix");
    key("http_api.error_mode", KeyType.STRING, "api_error_mode");
    key("grpc_api.enabled", KeyType.BOOL, "grpc_api");
    key("grpc_api.address", KeyType.STRING, "grpc_api_address");
    key("grpc_api.port", KeyType.INT, "grpc_api_port");
    key("grpc_api.key", KeyType.STRING, "grpc_api_key");
    key("grpc_api.error_mode", KeyType.STRING, "grpc_api_error_mode");
    key("grpc_api.reflection", KeyType.BOOL, "grpc_api_reflection");
    key("grpc_api.max_receive_message_size", KeyType.INT, "grpc_api_max_receive_message_size");
    key("grpc_api.tls", KeyType.OBJECT, null);
    key("admin.enabled", KeyType.BOOL, "admin");
    key("admin.password", KeyType.STRING, "admin_password");
    key("admin.secret", KeyType.STRING, "admin_secret");
    key("admin.insecure", KeyType.BOOL, "admin_insecure");
    key("admin.web_path", KeyType.STRING, "admin_web_path");
    key("admin.web_proxy_address", KeyType.STRING, "admin_web_proxy_address");
    key("admin.handler_prefix", KeyType.STRING, "admin_handler_prefix");
    key("admin.external", KeyType.BOOL, "admin_external");

    // observability
    key("debug.enabled", KeyType.BOOL, "debug");
    key("debug.handler_prefix", KeyType.STRING, null);
    key("prometheus.enabled", KeyType.BOOL, "prometheus");
    key("prometheus.handler_prefix", KeyType.STRING, "prometheus_handler_prefix");
    key("prometheus.instrument_http_handlers", KeyType.BOOL, null);
    key("health.enabled", KeyType.BOOL, "health");
    key("health.handler_prefix", KeyType.STRING, "health_handler_prefix");
    key("swagger.enabled", KeyType.BOOL, "swagger");
    key("swagger.handler_prefix", KeyType.STRING, "swagger_handler_prefix");
    key("graphite", KeyType.OBJECT, null);
    key("opentelemetry", KeyType.OBJECT, null);
    key("init.enabled", KeyType.BOOL, null);

    // transports
    key("websocket.disabled", KeyType.BOOL, "websocket_disable");
    key("websocket.handler_prefix", KeyType.STRING, "websocket_handler_prefix");
    key("websocket.compression", KeyType.BOOL, "websocket_compression");
    key("websocket.compression_min_size", KeyType.INT, "websocket_compression_min_size");
    key("websocket.compression_level", KeyType.INT, "websocket_compression_level");
    key("websocket.read_buffer_size", KeyType.INT, "websocket_read_buffer_size");
    key("websocket.write_buffer_size", KeyType.INT, "websocket_write_buffer_size");
    key("websocket.use_write_buffer_pool", KeyType.BOOL, "websocket_use_write_buffer_pool");
    key("websocket.write_timeout", KeyType.DURATION, "websocket_write_timeout");
    key("websocket.message_size_limit", KeyType.INT, "websocket_message_size_limit");
    for (String t : new String[] {"sse", "http_stream", "uni_sse", "uni_http_stream"}) {
      key(t + ".enabled", KeyType.BOOL, t);
      key(t + ".handler_prefix", KeyType.STRING, t + "_handler_prefix");
      key(t + ".max_request_body_size", KeyType.INT, t + "_max_request_body_size");
    }
    key("uni_sse.connect_code_to_http_response", KeyType.OBJECT, null);
    key("uni_http_stream.connect_code_to_http_response", KeyType.OBJECT, null);
    key("emulation.handler_prefix", KeyType.STRING, "emulation_handler_prefix");
    key("emulation.max_request_body_size", KeyType.INT, "emulation_max_request_body_size");
    key("uni_websocket.enabled", KeyType.BOOL, "uni_websocket");
    key("uni_websocket.handler_prefix", KeyType.STRING, "uni_websocket_handler_prefix");
    key("uni_websocket.message_size_limit", KeyType.INT, "uni_websocket_message_size_limit");
    key("uni_websocket.write_timeout", KeyType.DURATION, "uni_websocket_write_timeout");
    key("uni_websocket.compression", KeyType.BOOL, "uni_websocket_compression");
    key("uni_websocket.join_push_messages", KeyType.BOOL, null);
    key("uni_grpc.enabled", KeyType.BOOL, "uni_grpc");
    key("uni_grpc.address", KeyType.STRING, "uni_grpc_address");
    key("uni_grpc.port", KeyType.INT, "uni_grpc_port");
    key("uni_grpc.max_receive_message_size", KeyType.INT, "uni_grpc_max_receive_message_size");
    key("uni_grpc.tls", KeyType.OBJECT, null);
    key("webtransport", KeyType.OBJECT, null);
    key("proxies", KeyType.LIST, "proxies");
    key("consumers", KeyType.LIST, "consumers");

    // Gyre's own keys (no Centrifugo equivalent).
    key("cluster.enabled", KeyType.BOOL, null);
    key("dev", KeyType.BOOL, null);
  }

  private static void key(String path, KeyType type, String v5) {
    Key k = new Key(path, type, v5);
    BY_PATH.put(path, k);
    if (v5 != null) BY_V5.put(v5, k);
  }

  private ConfigSchema() {}

  public static Map<String, Key> keys() { return Collections.unmodifiableMap(BY_PATH); }

  public static Key byPath(String path) { return BY_PATH.get(path); }

  public static Key byV5(String v5) { return BY_V5.get(v5); }

  /** Whether the path names a known key or a group that contains known keys. */
  public static boolean isGroup(String path) {
    String prefix = path + ".";
    for (String p : BY_PATH.keySet()) if (p.startsWith(prefix)) return true;
    return false;
  }

  /** The environment variable of a v6 path: CENTRIFUGO_ + the path upper-cased, dots as underscores. */
  public static String envName(String prefix, String path) {
    return prefix + path.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }
}
