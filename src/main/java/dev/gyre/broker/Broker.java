package dev.gyre.broker;

import dev.gyre.config.ChannelOptions;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Future;

/**
 * Delivers channel events to every subscriber on every node.
 *
 * <p>Contract: a publication is encoded once, by the publishing node, and handed to the
 * channel's subscribers as the same bytes. Publications of one channel published through one
 * node reach each subscriber in publish order. The returned future completes when the broker
 * has accepted the publication (never before), on the caller's context; it fails when the
 * publication could not be accepted — never a false success.
 */
public interface Broker {

  /** The event-bus address of a channel. */
  static String address(String channel) {
    return "gyre.ch." + channel;
  }

  /**
   * Publishes to the channel. Returns the publication's stream position when the channel keeps
   * history, or a position with offset 0 and an empty epoch otherwise.
   */
  Future<StreamPosition> publish(String channel, Publication publication, ChannelOptions options);

  /** Emits a join event to subscribers that receive join/leave pushes. */
  void publishJoin(String channel, ClientInfo info);

  /** Emits a leave event to subscribers that receive join/leave pushes. */
  void publishLeave(String channel, ClientInfo info);
}
