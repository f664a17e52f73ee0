package dev.gyre.cli;

import ch.qos.logback.classic.Level;
import dev.gyre.auth.TokenException;
import dev.gyre.auth.TokenSigner;
import dev.gyre.auth.TokenVerifier;
import dev.gyre.config.ConfigException;
import dev.gyre.config.ConfigLoader;
import dev.gyre.config.GoDuration;
import dev.gyre.config.GyreConfig;
import dev.gyre.node.Version;
import dev.gyre.server.GyreServer;
import dev.gyre.cluster.HazelcastSetup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.impl.jose.JWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The implementation of each CLI command. */
final class Commands {
  private static final Logger log = LoggerFactory.getLogger("gyre");

  private final Args args;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  Commands(Args args, PrintStream out, PrintStream err, Map<String, String> env) {
    this.args = args;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  private Path configPath() {
    return Path.of(args.option("config", "config.json"));
  }

  private ConfigLoader.Loaded load() {
    return ConfigLoader.load(configPath(), env, args.configFlags);
  }

  int version() {
    out.println("Gyre v" + Version.GYRE + " (Java version: " + System.getProperty("java.version")
        + "; Centrifugo-compatible)");
    return 0;
  }

  int help() {
    out.println("""
        Usage: gyre [command] [flags]

        Commands:
          serve          run the server (default)
          version        print the version
          genconfig      write a new config file with random secrets (-c path)
          checkconfig    validate a config file (-c path, --strict)
          gentoken       make a connection token (-u user, -t ttl seconds, -q)
          gensubtoken    make a subscription token (-u user, -s channel, -t ttl seconds, -q)
          checktoken     verify a connection token: gyre checktoken <TOKEN>
          checksubtoken  verify a subscription token: gyre checksubtoken <TOKEN>

        Flags: -c/--config FILE, -p/--port PORT, -a/--address HOST, --cluster, and any
        configuration key as --<key>=<value> (v6 path such as --client.insecure, or v5 name).""");
    return 0;
  }

  int serve() {
    ConfigLoader.Loaded loaded = load();
    GyreConfig config = loaded.config();
    setLogLevel(config.logLevel());
    loaded.warnings().forEach(log::warn);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx;
    try {
      vertx = config.cluster() ? clusteredVertx(registry, config.prometheus())
          : vertxBuilder(registry, config.prometheus()).build();
    } catch (Exception e) {
      err.println("error: cannot join or form the cluster: " + e.getMessage());
      return 1;
    }
    if (vertx.isNativeTransportEnabled()) {
      log.info("network transport: epoll");
    } else {
      log.info("network transport: NIO (epoll unavailable: {})", String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    CountDownLatch started = new CountDownLatch(1);
    Throwable[] failure = new Throwable[1];
    GyreServer[] server = new GyreServer[1];
    GyreServer.start(vertx, config, Runtime.getRuntime().availableProcessors(), registry).onComplete(ar -> {
      if (ar.failed()) failure[0] = ar.cause();
      else server[0] = ar.result();
      started.countDown();
    });
    try {
      started.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (failure[0] != null) {
      err.println("error: " + failure[0].getMessage());
      vertx.close();
      return 1;
    }
    long shutdownMs = config.shutdownTimeout().toMillis();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      try {
        server[0].stop().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture()
            .get(shutdownMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish within {} ms", shutdownMs);
      }
    }, "gyre-shutdown"));
    return -1;
  }

  /** A Vert.x clustered by Hazelcast (cluster.xml adjusted by GYRE_CLUSTER_* variables). */
  private Vertx clusteredVertx(PrometheusMeterRegistry registry, boolean prometheus) throws Exception {
    String host = env.getOrDefault("GYRE_CLUSTER_HOST", "127.0.0.1");
    return vertxBuilder(registry, prometheus, new EventBusOptions()
            .setHost(host).setClusterPublicHost(env.getOrDefault("GYRE_CLUSTER_PUBLIC_HOST", host)))
        .withClusterManager(new HazelcastClusterManager(HazelcastSetup.config(env)))
        .buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static io.vertx.core.VertxBuilder vertxBuilder(PrometheusMeterRegistry registry, boolean prometheus) {
    return vertxBuilder(registry, prometheus, new EventBusOptions());
  }

  /**
   * Vert.x's own meters (HTTP server, event bus, pools) cost a little on every request and message;
   * they are collected only when /metrics serves them (prometheus.enabled).
   */
  private static io.vertx.core.VertxBuilder vertxBuilder(PrometheusMeterRegistry registry, boolean prometheus,
                                                         EventBusOptions eventBus) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setEventBusOptions(eventBus);
    if (!prometheus) return Vertx.builder().with(options);
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  int checkconfig() {
    Path path = configPath();
    if (!Files.exists(path)) {
      err.println("error: config file not found: " + path);
      return 1;
    }
    ConfigLoader.Loaded loaded;
    try {
      loaded = load();
      GyreConfig config = loaded.config();
      GyreServer.checkSecurity(config);
      new TokenVerifier(config.client().token(), false);
    } catch (ConfigException e) {
      err.println("error validating config: " + e.getMessage());
      return 1;
    }
    if (args.options.containsKey("strict")) {
      var unknown = loaded.warnings().stream().filter(w -> w.startsWith("unknown key")).map(w -> w.substring(w.indexOf(": ") + 2)).toList();
      if (!unknown.isEmpty()) {
        err.println("error: unknown keys in config: " + String.join(", ", unknown));
        return 1;
      }
    }
    loaded.warnings().forEach(w -> err.println("warning: " + w));
    return 0;
  }

  int genconfig() throws ConfigException {
    Path path = configPath();
    if (Files.exists(path)) {
      err.println("error: output config file already exists: " + path);
      return 1;
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonObject cfg = new JsonObject()
        .put("client", new JsonObject()
            .put("token", new JsonObject().put("hmac_secret_key", secret()))
            .put("allowed_origins", new io.vertx.core.json.JsonArray()))
        .put("admin", new JsonObject().put("enabled", false).put("password", secret()).put("secret", secret()))
        .put("http_api", new JsonObject().put("key", secret()));
    String text;
    if (name.endsWith(".json")) {
      text = cfg.encodePrettily() + "\n";
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      DumperOptions o = new DumperOptions();
      o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      text = new Yaml(o).dump(plain(cfg));
    } else if (name.endsWith(".toml")) {
      try {
        text = new com.fasterxml.jackson.dataformat.toml.TomlMapper().writeValueAsString(plain(cfg));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      err.println("error: output config file must have .json, .yaml, .yml or .toml extension");
      return 1;
    }
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
    } catch (IOException e) {
      err.println("error: cannot write " + path + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }

  int gentoken(boolean subscription) {
    GyreConfig config = load().config();
    String secret = subscription ? config.client().subscriptionToken().hmacSecretKey()
        : config.client().token().hmacSecretKey();
    if (secret.isEmpty()) {
      err.println("error: no HMAC secret key set in configuration");
      return 1;
    }
    String user = args.option("user", "");
    String channel = args.option("channel", "");
    if (subscription && channel.isEmpty()) {
      err.println("error: channel is required");
      return 1;
    }
    long ttl;
    try {
      ttl = Long.parseLong(args.option("ttl", "604800"));
    } catch (NumberFormatException e) {
      err.println("error: ttl must be a number of seconds");
      return 1;
    }
    long now = System.currentTimeMillis() / 1000;
    String claim = subscription ? config.client().subscriptionToken().userIdClaim() : config.client().token().userIdClaim();
    JsonObject claims = new JsonObject().put(claim, user);
    if (!claim.equals("sub")) claims.put("sub", user);
    if (subscription) claims.put("channel", channel);
    claims.put("iat", now);
    if (ttl > 0) claims.put("exp", now + ttl);
    String token = new TokenSigner(secret).sign(claims);
    if (args.options.containsKey("quiet")) {
      out.print(token);
      return 0;
    }
    String who = user.isEmpty() ? "anonymous user" : "user \"" + user + "\"";
    if (subscription) who += " and channel \"" + channel + "\"";
    String exp = ttl > 0 ? "with expiration TTL " + GoDuration.format(Duration.ofSeconds(ttl)) : "without expiration";
    out.println("HMAC SHA-256 JWT for " + who + " " + exp + ":");
    out.println(token);
    return 0;
  }

  int checktoken(boolean subscription) {
    String cmd = subscription ? "checksubtoken" : "checktoken";
    if (args.positional.isEmpty()) {
      err.println("error: provide token to check [gyre " + cmd + " <TOKEN>]");
      return 1;
    }
    GyreConfig config = load().config();
    String token = args.positional.get(0);
    long now = System.currentTimeMillis() / 1000;
    try {
      if (subscription) {
        var t = new TokenVerifier(config.client().subscriptionToken(), false).verifySubscribe(token, now);
        out.println("valid subscription token for user \"" + t.user() + "\" and channel \"" + t.channel() + "\"");
      } else {
        var t = new TokenVerifier(config.client().token(), false).verifyConnect(token, now);
        out.println("valid token for " + (t.user().isEmpty() ? "anonymous user" : "user " + t.user()));
      }
      out.println("payload: " + JWT.parse(token).getJsonObject("payload").encode());
      return 0;
    } catch (TokenException e) {
      String alg = "unknown";
      String claims = "{}";
      try {
        JsonObject parsed = JWT.parse(token);
        alg = parsed.getJsonObject("header").getString("alg");
        claims = parsed.getJsonObject("payload").encode();
      } catch (RuntimeException ignored) {
        // unparsable token
      }
      err.println("error: token with algorithm " + alg + " and claims " + claims + " has error: " + e.getMessage());
      return 1;
    }
  }

  /** JSON values as plain maps and lists, which YAML writes without type tags. */
  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      o.getMap().forEach((k, val) -> m.put(k, plain(val)));
      return m;
    }
    if (v instanceof io.vertx.core.json.JsonArray a) return a.getList().stream().map(Commands::plain).toList();
    return v;
  }

  private static String secret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void setLogLevel(String level) {
    org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(switch (level) {
        case "none" -> Level.OFF;
        case "trace" -> Level.TRACE;
        case "debug" -> Level.DEBUG;
        case "warn" -> Level.WARN;
        case "error", "fatal" -> Level.ERROR;
        default -> Level.INFO;
      });
    }
  }
}
