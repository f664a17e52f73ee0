package dev.gyre.broker;

import io.vertx.core.buffer.Buffer;

/**
 * What travels on a channel's event-bus address: one push, already encoded for JSON clients as
 * a whole reply frame ({@code {"push":{...}}}), so that every subscriber on every node writes the
 * same bytes. {@code jsonSafe} is false when the payload is not valid JSON (binary published via
 * b64data): JSON subscribers are then disconnected with 3506 instead of receiving it.
 */
public record ChannelMessage(Kind kind, String channel, long offset, Buffer json, boolean jsonSafe) {
  public enum Kind { PUBLICATION, JOIN, LEAVE }
}
