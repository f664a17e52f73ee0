package dev.gyre.hub;

import dev.gyre.broker.ChannelMessage;

/** A local receiver of channel events: a client session. Called on the hub's event loop. */
public interface ChannelSubscriber {
  void deliver(ChannelMessage message);
}
