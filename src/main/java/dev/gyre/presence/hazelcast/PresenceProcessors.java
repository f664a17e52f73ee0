package dev.gyre.presence.hazelcast;

import com.hazelcast.map.EntryProcessor;
import dev.gyre.protocol.ClientInfo;

import java.util.ArrayList;
import java.util.Map;

/** Entry processors on a channel's presence, run on the partition owner (and its backups). */
final class PresenceProcessors {
  private PresenceProcessors() {}

  static final class Add implements EntryProcessor<String, StoredPresence, Boolean> {
    private static final long serialVersionUID = 1L;
    private final StoredPresence.Entry entry;

    Add(ClientInfo info, String member) {
      this.entry = new StoredPresence.Entry(info, member);
    }

    @Override
    public Boolean process(Map.Entry<String, StoredPresence> e) {
      StoredPresence p = e.getValue() == null ? new StoredPresence() : e.getValue();
      p.clients.put(entry.client, entry);
      e.setValue(p);
      return true;
    }
  }

  static final class Remove implements EntryProcessor<String, StoredPresence, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String client;

    Remove(String client) {
      this.client = client;
    }

    @Override
    public Boolean process(Map.Entry<String, StoredPresence> e) {
      StoredPresence p = e.getValue();
      if (p == null || p.clients.remove(client) == null) return false;
      e.setValue(p.clients.isEmpty() ? null : p);
      return true;
    }
  }

  /** Removes every entry of a member that left; answers the removed entries. */
  static final class RemoveMember implements EntryProcessor<String, StoredPresence, ArrayList<StoredPresence.Entry>> {
    private static final long serialVersionUID = 1L;
    private final String member;

    RemoveMember(String member) {
      this.member = member;
    }

    @Override
    public ArrayList<StoredPresence.Entry> process(Map.Entry<String, StoredPresence> e) {
      ArrayList<StoredPresence.Entry> removed = new ArrayList<>();
      StoredPresence p = e.getValue();
      if (p == null) return removed;
      p.clients.values().removeIf(x -> {
        boolean gone = x.member.equals(member);
        if (gone) removed.add(x);
        return gone;
      });
      if (!removed.isEmpty()) e.setValue(p.clients.isEmpty() ? null : p);
      return removed;
    }
  }
}
