package dev.gyre.session;

import dev.gyre.auth.TokenVerifier;
import dev.gyre.broker.Broker;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.GyreConfig;
import dev.gyre.history.HistoryStore;
import dev.gyre.hub.Hub;
import dev.gyre.node.Node;
import dev.gyre.node.NodeMetrics;
import dev.gyre.presence.PresenceStore;
import dev.gyre.server.Services;
import io.vertx.core.Vertx;

/**
 * What a session needs from its transport verticle instance: the node-wide services, the
 * channel rules, and the instance's own hub and session registry (owned by its event loop).
 */
public record SessionContext(Vertx vertx, Services services, ChannelRules rules, Hub hub, SessionRegistry registry,
                             FlushScheduler flusher) {
  public GyreConfig config() { return services.config(); }
  public Node node() { return services.node(); }
  public Broker broker() { return services.broker(); }
  public HistoryStore history() { return services.history(); }
  public PresenceStore presence() { return services.presence(); }
  public TokenVerifier connectTokens() { return services.connectTokens(); }
  public TokenVerifier subscriptionTokens() { return services.subscriptionTokens(); }
  public NodeMetrics metrics() { return services.metrics(); }
}
