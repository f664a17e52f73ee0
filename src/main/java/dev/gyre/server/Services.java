package dev.gyre.server;

import dev.gyre.auth.TokenVerifier;
import dev.gyre.broker.Broker;
import dev.gyre.config.GyreConfig;
import dev.gyre.history.HistoryStore;
import dev.gyre.node.Node;
import dev.gyre.node.NodeMetrics;
import dev.gyre.presence.PresenceStore;

/**
 * The node-wide services every transport verticle instance shares. Each is immutable or
 * thread-safe: this is everything the instances have in common besides the event bus.
 */
public record Services(GyreConfig config, Node node, Broker broker, HistoryStore history, PresenceStore presence,
                       TokenVerifier connectTokens, TokenVerifier subscriptionTokens, NodeMetrics metrics) {}
