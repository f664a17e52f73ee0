package dev.gyre.history.hazelcast;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one channel's stream as Hazelcast keeps it: a map value, replicated to the
 * backups, changed only by entry processors on the partition owner.
 */
final class StoredStream implements Serializable {
  private static final long serialVersionUID = 1L;

  String epoch;
  long top;
  long publicationsExpireAt = Long.MAX_VALUE;
  long metaExpiresAt;
  long lastVersion;
  String versionEpoch = "";
  final ArrayList<StoredPublication> publications = new ArrayList<>();

  StoredStream(String epoch) {
    this.epoch = epoch;
  }

  /** One stored publication, in a serializable form. */
  static final class StoredPublication implements Serializable {
    private static final long serialVersionUID = 1L;

    final long offset;
    final byte[] data;
    final String user;
    final String client;
    final byte[] connInfo;
    final byte[] chanInfo;
    final HashMap<String, String> tags;

    StoredPublication(Publication p, long offset) {
      this.offset = offset;
      this.data = p.data();
      ClientInfo i = p.info();
      this.user = i == null ? null : i.user();
      this.client = i == null ? null : i.client();
      this.connInfo = i == null ? null : i.connInfo();
      this.chanInfo = i == null ? null : i.chanInfo();
      this.tags = new HashMap<>(p.tags());
    }

    Publication toPublication() {
      ClientInfo info = client == null ? null : new ClientInfo(user, client, connInfo, chanInfo);
      return new Publication(data, info, offset, Map.copyOf(tags));
    }
  }

  static List<Publication> toPublications(List<StoredPublication> stored) {
    List<Publication> out = new ArrayList<>(stored.size());
    for (StoredPublication p : stored) out.add(p.toPublication());
    return out;
  }
}
