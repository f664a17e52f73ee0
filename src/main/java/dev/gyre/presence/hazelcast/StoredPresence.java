package dev.gyre.presence.hazelcast;

import dev.gyre.protocol.ClientInfo;

import java.io.Serializable;
import java.util.LinkedHashMap;

/** One channel's presence as Hazelcast keeps it: client id → entry, each tagged with its node. */
final class StoredPresence implements Serializable {
  private static final long serialVersionUID = 1L;

  final LinkedHashMap<String, Entry> clients = new LinkedHashMap<>();

  static final class Entry implements Serializable {
    private static final long serialVersionUID = 1L;
    final String user;
    final String client;
    final byte[] connInfo;
    final byte[] chanInfo;
    final String member;

    Entry(ClientInfo info, String member) {
      this.user = info.user();
      this.client = info.client();
      this.connInfo = info.connInfo();
      this.chanInfo = info.chanInfo();
      this.member = member;
    }

    ClientInfo info() {
      return new ClientInfo(user, client, connInfo, chanInfo);
    }
  }
}
