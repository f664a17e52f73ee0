package dev.gyre.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The Redis engine's connection settings ({@code engine.redis.*}; v5 {@code redis_*}),
 * validated. {@code address} is normalised to one {@code redis://} or {@code rediss://} URL with
 * the database in its path. What Gyre does not implement (several addresses = sharding, Redis
 * Cluster, Sentinel, client certificates) is refused with an error naming the key, rather than
 * silently ignored.
 */
public record RedisConfig(String address, String prefix, String user, String password, int db,
                          Duration connectTimeout, Duration ioTimeout, boolean tls, boolean tlsInsecureSkipVerify,
                          String tlsServerCaPem) {
  public static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";
  public static final String DEFAULT_PREFIX = "centrifugo";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(4);
  private static final String K = "engine.redis.";

  static RedisConfig from(ConfigValues v) {
    List<String> addresses = v.strings(K + "address");
    if (addresses.size() > 1) {
      throw new ConfigException(K + "address", "several addresses (sharding) are not supported yet; give one address");
    }
    refuseList(v, "cluster_address", "Redis Cluster is not supported yet; give one address in engine.redis.address");
    refuseList(v, "sentinel_address", "Redis Sentinel is not supported yet; give one address in engine.redis.address");
    for (String k : new String[] {"cert_pem", "key_pem", "client_ca_pem", "server_name"}) {
      if (!v.string(K + "tls." + k, "").isEmpty()) {
        throw new ConfigException(K + "tls." + k, "is not supported yet (supported: enabled, insecure_skip_verify, server_ca_pem)");
      }
    }
    int db = v.integer(K + "db", 0);
    if (db < 0) throw new ConfigException(K + "db", "must not be negative");
    boolean tls = v.bool(K + "tls.enabled", false);
    String address = normalise(addresses.isEmpty() ? DEFAULT_ADDRESS : addresses.get(0), db, tls);
    String prefix = v.string(K + "prefix", DEFAULT_PREFIX);
    Duration connect = positive(v, "connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    Duration io = positive(v, "io_timeout", DEFAULT_IO_TIMEOUT);
    return new RedisConfig(address, prefix, v.string(K + "user", ""), v.string(K + "password", ""), db, connect, io,
        address.startsWith("rediss://"), v.bool(K + "tls.insecure_skip_verify", false),
        pem(v.string(K + "tls.server_ca_pem", "")));
  }

  /** The address without credentials, for logs and errors. */
  public String redactedAddress() {
    return address.replaceFirst("//[^@/]*@", "//***@");
  }

  static String normalise(String address, int db, boolean tls) {
    String a = address.trim();
    if (!a.contains("://")) {
      if (!a.matches("[^:/@\\s]+:\\d{1,5}")) {
        throw new ConfigException(K + "address", "must be host:port, redis://[user:password@]host:port[/db] or rediss://…, got \"" + a + "\"");
      }
      a = "redis://" + a;
    }
    URI uri;
    try {
      uri = new URI(a);
    } catch (URISyntaxException e) {
      throw new ConfigException(K + "address", "is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new ConfigException(K + "address", "scheme " + scheme + ":// is not supported (use redis:// or rediss://)");
    }
    if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
      throw new ConfigException(K + "address", "must name a host and a port");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.matches("/\\d*")) {
      throw new ConfigException(K + "address", "the path must be a database number, got \"" + path + "\"");
    }
    if (tls && scheme.equals("redis")) a = "rediss" + a.substring("redis".length());
    if ((path.isEmpty() || path.equals("/")) && db > 0) a = (path.isEmpty() ? a : a.substring(0, a.length() - 1)) + "/" + db;
    return a;
  }

  private static void refuseList(ConfigValues v, String key, String why) {
    if (!v.strings(K + key).isEmpty()) throw new ConfigException(K + key, why);
  }

  private static Duration positive(ConfigValues v, String key, Duration def) {
    Duration d = v.duration(K + key, def);
    if (d.isNegative()) throw new ConfigException(K + key, "must not be negative");
    return d;
  }

  /** PEM text, base64 of PEM text, or a file path (as Centrifugo's *_pem keys). */
  private static String pem(String value) {
    if (value.isEmpty() || value.contains("-----BEGIN")) return value;
    try {
      String decoded = new String(Base64.getDecoder().decode(value.trim()), StandardCharsets.UTF_8);
      if (decoded.contains("-----BEGIN")) return decoded;
    } catch (IllegalArgumentException notBase64) {
      // a path, then
    }
    try {
      return Files.readString(Path.of(value), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(K + "tls.server_ca_pem", "is neither PEM, base64 PEM, nor a readable file");
    }
  }
}
