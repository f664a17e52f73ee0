package dev.gyre.session;

import dev.gyre.auth.TokenVerifier;
import dev.gyre.broker.Broker;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.GyreConfig;
import dev.gyre.hub.Hub;
import dev.gyre.node.Node;
import io.vertx.core.Vertx;

/**
 * What a session needs from its transport verticle instance: configuration, rules, token
 * verifiers, the broker, the instance's hub and session registry, and the node. One per verticle
 * instance; everything in it is either immutable, thread-safe or owned by that instance's loop.
 */
public record SessionContext(Vertx vertx, GyreConfig config, ChannelRules rules, TokenVerifier connectTokens,
                             TokenVerifier subscriptionTokens, Broker broker, Hub hub, Node node,
                             SessionRegistry registry) {}
