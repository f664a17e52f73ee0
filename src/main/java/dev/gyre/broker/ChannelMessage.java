package dev.gyre.broker;

import dev.gyre.protocol.Publication;
import dev.gyre.protocol.EncodedPush;

/**
 * What travels on a channel's event-bus address: one push, already encoded once per wire format
 * as a whole reply ({@code {"push":{...}}} for JSON), so that every subscriber on every node
 * writes the same bytes. For publications it also carries the publication itself and its stream
 * position ({@code offset} 0 and empty {@code epoch} in channels without history), which
 * positioned subscriptions check for gaps and recovering subscriptions merge into their reply.
 */
public record ChannelMessage(Kind kind, String channel, Publication publication, String epoch, EncodedPush encoded) {
  public enum Kind { PUBLICATION, JOIN, LEAVE }

  public long offset() {
    return publication == null ? 0 : publication.offset();
  }
}
