package dev.gyre.protocol;

import java.util.Map;

/**
 * One client request, decoded at the edge (spec/client-protocol.md §2.1, §2.5). Payload fields
 * ({@code data}) hold the raw bytes the client sent: the raw JSON text on JSON connections.
 */
public sealed interface Request {

  record Connect(String token, byte[] data, Map<String, Subscribe> subs, String name, String version)
      implements Request {}

  record Subscribe(String channel, String token, boolean recover, String epoch, long offset, byte[] data,
                   boolean positioned, boolean recoverable, boolean joinLeave, String delta, long flag, int type)
      implements Request {
    /** Flag bit 1: answer 112 instead of {@code recovered:false}. */
    public boolean rejectUnrecovered() { return (flag & 2) != 0; }
  }

  record Unsubscribe(String channel) implements Request {}

  record Publish(String channel, byte[] data) implements Request {}

  record Presence(String channel) implements Request {}

  record PresenceStats(String channel) implements Request {}

  record History(String channel, int limit, StreamPosition since, boolean reverse) implements Request {}

  record Rpc(String method, byte[] data) implements Request {}

  record Send(byte[] data) implements Request {}

  record Refresh(String token) implements Request {}

  record SubRefresh(String channel, String token) implements Request {}

  /** An id-0 command that is not {@code send}: the answer to a server ping. */
  record Pong() implements Request {}

  /** A command with an id and no known request (including the v2 {@code ping} command). */
  record Unknown() implements Request {}
}
