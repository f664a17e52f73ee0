package dev.gyre.server;

import dev.gyre.api.grpc.GrpcApiVerticle;
import dev.gyre.auth.JwksKeys;
import dev.gyre.auth.TokenVerifier;
import dev.gyre.broker.ChannelMessageCodec;
import dev.gyre.broker.EventBusBroker;
import com.hazelcast.core.HazelcastInstance;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.MemoryHistoryStore;
import dev.gyre.history.hazelcast.HazelcastHistoryStore;
import dev.gyre.history.redis.RedisHistoryStore;
import dev.gyre.node.NodeMetrics;
import dev.gyre.node.NodeVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import dev.gyre.presence.EventBusPresence;
import dev.gyre.presence.MemoryPresenceStore;
import dev.gyre.presence.PresenceStore;
import dev.gyre.presence.PresenceVerticle;
import dev.gyre.presence.hazelcast.HazelcastPresenceStore;
import dev.gyre.config.ConfigException;
import dev.gyre.config.GyreConfig;
import dev.gyre.node.Node;
import dev.gyre.transport.TransportVerticle;
import dev.gyre.transport.UniGrpcVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Gyre node on a Vert.x instance: checks the security-relevant configuration, then deploys
 * one {@link TransportVerticle} per event-loop core on the configured port, and the gRPC server
 * API when {@code grpc_api.enabled}, the uni gRPC transport when {@code uni_grpc.enabled}. Used by the serve
 * command and by tests, which start a real server on a free port.
 */
public final class GyreServer {
  private static final Logger log = LoggerFactory.getLogger(GyreServer.class);

  private final Vertx vertx;
  private final GyreConfig config;
  private final Node node;
  private final List<String> deployments = new ArrayList<>();
  private final List<JwksKeys> jwksSets = new ArrayList<>();
  private long sweepTimer = -1;
  private Services services;

  private GyreServer(Vertx vertx, GyreConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.node = new Node(config.nodeName());
  }

  /**
   * Refuses configurations that would be unsafe: no token key without an explicit insecure or
   * anonymous mode (vertx-auth-jwt would otherwise accept unsigned tokens).
   */
  public static void checkSecurity(GyreConfig config) {
    GyreConfig.Client c = config.client();
    // Insecure switches are for development only (security.md): they need an explicit --dev.
    if (!config.dev()) {
      Object admin = config.source().getValue("admin");
      boolean adminInsecure = admin instanceof io.vertx.core.json.JsonObject a && Boolean.TRUE.equals(a.getValue("insecure"));
      String key = c.insecure() ? "client.insecure"
          : c.insecureSkipTokenSignatureVerify() ? "client.insecure_skip_token_signature_verify"
          : config.httpApi().insecure() ? "http_api.insecure" : adminInsecure ? "admin.insecure" : null;
      if (key != null) {
        throw new ConfigException(key, "is for development only; start with --dev (or \"dev\": true) to allow it");
      }
    }
    if (!c.token().hasKey() && !c.insecure() && !c.allowAnonymousConnectWithoutToken()
        && !c.insecureSkipTokenSignatureVerify()) {
      throw new ConfigException("client.token.hmac_secret_key",
          "no token key is configured; set client.token.hmac_secret_key (v5: token_hmac_secret_key), "
              + "rsa_public_key or ecdsa_public_key, or allow connections without tokens explicitly with "
              + "client.insecure or client.allow_anonymous_connect_without_token");
    }
  }

  /** Deploys a node with one transport instance per core. */
  public static Future<GyreServer> start(Vertx vertx, GyreConfig config) {
    return start(vertx, config, Runtime.getRuntime().availableProcessors());
  }

  public static Future<GyreServer> start(Vertx vertx, GyreConfig config, int instances) {
    return start(vertx, config, instances, null);
  }

  /**
   * @param registry the Prometheus registry Vert.x itself reports to (so that /metrics shows
   *                 Vert.x's meters too), or null for a registry of Gyre's own
   */
  public static Future<GyreServer> start(Vertx vertx, GyreConfig config, int instances,
                                         PrometheusMeterRegistry registry) {
    GyreServer server;
    TokenVerifier connect;
    TokenVerifier subscribe;
    try {
      checkSecurity(config);
      server = new GyreServer(vertx, config);
      connect = new TokenVerifier(config.client().token(), config.client().insecureSkipTokenSignatureVerify(),
          server.jwks(config.client().token().jwksPublicEndpoint()));
      subscribe = new TokenVerifier(config.client().subscriptionToken(),
          config.client().insecureSkipTokenSignatureVerify(), server.jwks(config.client().subscriptionToken().jwksPublicEndpoint()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    for (JwksKeys keys : server.jwksSets) keys.start();
    if (config.client().insecure()) log.warn("client.insecure is on: every client may do everything. Development only.");
    if (config.httpApi().insecure()) log.warn("http_api.insecure is on: the server API needs no key. Development only.");
    if (config.httpApi().key().isEmpty() && !config.httpApi().insecure()) {
      log.warn("http_api.key is empty: every server API request will be answered 401");
    }
    ChannelMessageCodec.register(vertx);
    MemoryHistoryStore memory = new MemoryHistoryStore();
    HistoryStore history = config.engineType().equals("redis")
        ? RedisHistoryStore.create(vertx, config.redis()) // standalone and cluster alike
        : hazelcast(vertx) == null ? memory : new HazelcastHistoryStore(vertx, hazelcast(vertx));
    EventBusBroker broker = new EventBusBroker(vertx.eventBus(), history);
    PresenceStore presence = new EventBusPresence(vertx.eventBus());
    NodeMetrics metrics = registry == null ? new NodeMetrics(server.node) : new NodeMetrics(server.node, registry);
    Services services = new Services(config, server.node, broker, history, presence, connect, subscribe, metrics);
    server.services = services;
    server.sweepTimer = vertx.setPeriodic(1000, t -> vertx.executeBlocking(() -> {
      memory.sweep();
      broker.sweep();
      return null;
    }, false));
    AtomicInteger n = new AtomicInteger();
    HazelcastInstance hz = hazelcast(vertx);
    PresenceStore presenceStore = hz == null ? new MemoryPresenceStore()
        : new HazelcastPresenceStore(vertx, hz, broker::publishLeave);
    Future<Void> chain = vertx.deployVerticle(new PresenceVerticle(presenceStore))
        .map(id -> {
          server.deployments.add(id);
          return null;
        });
    for (int i = 0; i < Math.max(1, instances); i++) {
      chain = chain.compose(v -> vertx.deployVerticle(
              new TransportVerticle(services), new DeploymentOptions())
          .map(id -> {
            server.deployments.add(id);
            n.incrementAndGet();
            return null;
          }));
    }
    if (config.grpcApi().enabled()) {
      if (config.grpcApi().key().isEmpty()) log.warn("grpc_api.key is empty: the gRPC server API needs no key");
      chain = chain.compose(v -> vertx.deployVerticle(new GrpcApiVerticle(services)).map(id -> {
        server.deployments.add(id);
        return null;
      }));
    }
    if (config.streams().uniGrpc().enabled()) {
      chain = chain.compose(v -> vertx.deployVerticle(new UniGrpcVerticle(services)).map(id -> {
        server.deployments.add(id);
        return null;
      }));
    }
    chain = chain.compose(v -> vertx.deployVerticle(new NodeVerticle(server.node)).map(id -> {
      server.deployments.add(id);
      return null;
    }));
    return chain.map(v -> {
      log.info("Gyre node {} listening on {}:{} with {} transport instance(s)", server.node.name(),
          config.address().isEmpty() ? "0.0.0.0" : config.address(), config.port(), n.get());
      return server;
    });
  }

  /** The Hazelcast member under a clustered Vert.x, or null in standalone mode. */
  public static HazelcastInstance hazelcast(Vertx vertx) {
    if (!vertx.isClustered()) return null;
    var cm = ((VertxInternal) vertx).clusterManager();
    return cm instanceof HazelcastClusterManager h ? h.getHazelcastInstance() : null;
  }

  public Node node() { return node; }

  /** The node-wide services (broker, history, presence, ...) once started. */
  public Services services() { return services; }

  public GyreConfig config() { return config; }

  /**
   * Graceful stop: /health turns 503, new connections are refused, clients are disconnected with
   * the reconnecting "shutdown" code, then the listeners close.
   */
  /**
   * The key set of a JWKS endpoint, or null when none is configured. Its first fetch starts once
   * the configuration is checked and does not hold up start-up: a token naming a key not loaded
   * yet waits for a fetch.
   */
  private JwksKeys jwks(String endpoint) {
    if (endpoint.isEmpty()) return null;
    JwksKeys keys = new JwksKeys(vertx, endpoint);
    jwksSets.add(keys);
    return keys;
  }

  public Future<Void> stop() {
    node.markShuttingDown();
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    for (JwksKeys k : jwksSets) k.close();
    jwksSets.clear();
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) undeploys.add(vertx.undeploy(id));
    deployments.clear();
    return Future.join(undeploys).eventually(() -> services == null ? Future.succeededFuture() : services.history().close())
        .mapEmpty();
  }
}
