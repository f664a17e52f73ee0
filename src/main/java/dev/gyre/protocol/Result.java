package dev.gyre.protocol;

import java.util.List;
import java.util.Map;

/** The result part of a successful reply; the record type decides the reply key. */
public sealed interface Result {

  record Connect(String client, String version, boolean expires, long ttl, byte[] data,
                 Map<String, Subscribe> subs, int ping, boolean pong, String session, String node, long time)
      implements Result {}

  record Subscribe(boolean expires, long ttl, boolean recoverable, String epoch, List<Publication> publications,
                   boolean recovered, long offset, boolean positioned, byte[] data, boolean wasRecovering)
      implements Result {
    public static final Subscribe EMPTY = new Subscribe(false, 0, false, "", List.of(), false, 0, false, null, false);
  }

  record Unsubscribe() implements Result {}

  record Publish() implements Result {}

  record Presence(Map<String, ClientInfo> presence) implements Result {}

  record PresenceStats(int numClients, int numUsers) implements Result {}

  record History(List<Publication> publications, String epoch, long offset) implements Result {}

  record Rpc(byte[] data) implements Result {}

  record Refresh(String client, String version, boolean expires, long ttl) implements Result {}

  record SubRefresh(boolean expires, long ttl) implements Result {}
}
