package dev.gyre.broker;

import dev.gyre.config.ChannelOptions;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Future;

/**
 * Delivers channel events to every subscriber on every node, and keeps channel history.
 *
 * <p>Contract: publishing = append to the channel's history stream (when its namespace keeps
 * history and the publish does not skip it) and then publish the already-encoded push on the
 * channel's address. A publication is encoded once, by the publishing node. In one process,
 * append and delivery are atomic per channel, so every subscriber receives a channel's
 * publications in offset order. The returned future completes when the publication is stored
 * and handed to the event bus, never before; it fails when it could not be stored — never a
 * false success.
 */
public interface Broker {

  /** The event-bus address of a channel. */
  static String address(String channel) {
    return "gyre.ch." + channel;
  }

  /**
   * Publishes to the channel. Returns the publication's stream position when it went into the
   * channel's history, or offset 0 and an empty epoch otherwise. A repeated idempotency key
   * within 5 minutes, or a stale version, returns a position without publishing anything.
   */
  Future<StreamPosition> publish(String channel, Publication publication, ChannelOptions options,
                                 PublishOptions publishOptions);

  default Future<StreamPosition> publish(String channel, Publication publication, ChannelOptions options) {
    return publish(channel, publication, options, PublishOptions.DEFAULT);
  }

  /** Emits a join event to subscribers that receive join/leave pushes. */
  void publishJoin(String channel, ClientInfo info);

  /** Emits a leave event to subscribers that receive join/leave pushes. */
  void publishLeave(String channel, ClientInfo info);
}
