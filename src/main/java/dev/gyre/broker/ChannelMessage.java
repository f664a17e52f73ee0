package dev.gyre.broker;

import dev.gyre.protocol.Publication;
import io.vertx.core.buffer.Buffer;

/**
 * What travels on a channel's event-bus address: one push, already encoded for JSON clients as
 * a whole reply frame ({@code {"push":{...}}}), so that every subscriber on every node writes the
 * same bytes. For publications it also carries the publication itself and its stream position
 * ({@code offset} 0 and empty {@code epoch} in channels without history), which positioned
 * subscriptions check for gaps and recovering subscriptions merge into their reply.
 * {@code jsonSafe} is false when the payload is not valid JSON (binary published via b64data):
 * JSON subscribers are then disconnected with 3506 instead of receiving it.
 */
public record ChannelMessage(Kind kind, String channel, Publication publication, String epoch, Buffer json,
                             boolean jsonSafe) {
  public enum Kind { PUBLICATION, JOIN, LEAVE }

  public long offset() {
    return publication == null ? 0 : publication.offset();
  }
}
