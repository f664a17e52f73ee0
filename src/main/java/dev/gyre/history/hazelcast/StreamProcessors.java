package dev.gyre.history.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.HistoryQuery;
import dev.gyre.protocol.Publication;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The entry processors that change streams. They run on the partition owner, one at a time per
 * key (so an append is atomic per channel), and again on each backup: everything they decide —
 * the time, a new epoch — comes in with them, so owner and backups end in the same state.
 */
final class StreamProcessors {
  private StreamProcessors() {}

  /** What an append answers: the stored offset and epoch, or the current top when suppressed. */
  record AppendOutcome(long offset, String epoch, boolean suppressed) implements Serializable {}

  /** What a read answers: the publications and the top. */
  record ReadOutcome(List<StoredStream.StoredPublication> publications, long top, String epoch, boolean unrecoverable)
      implements Serializable {}

  /** Returns the live stream of the entry, replacing one whose metadata expired. */
  private static StoredStream live(Map.Entry<String, StoredStream> e, long now, String newEpoch) {
    StoredStream s = e.getValue();
    if (s == null || now >= s.metaExpiresAt) return new StoredStream(newEpoch);
    if (now >= s.publicationsExpireAt) {
      s.publications.clear();
      s.publicationsExpireAt = Long.MAX_VALUE;
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static void store(Map.Entry<String, StoredStream> e, StoredStream s, long metaTtlMillis) {
    // The map entry itself lives as long as the stream's metadata.
    ((ExtendedMapEntry<String, StoredStream>) e).setValue(s, Math.max(1, metaTtlMillis), TimeUnit.MILLISECONDS);
  }

  static final class Append implements EntryProcessor<String, StoredStream, AppendOutcome> {
    private static final long serialVersionUID = 1L;
    private final long now;
    private final String newEpoch;
    private final StoredStream.StoredPublication publication;
    private final int size;
    private final long ttlMillis;
    private final long metaTtlMillis;
    private final long version;
    private final String versionEpoch;

    Append(long now, String newEpoch, AppendRequest req) {
      this.now = now;
      this.newEpoch = newEpoch;
      this.publication = new StoredStream.StoredPublication(req.publication(), 0);
      this.size = req.options().size();
      this.ttlMillis = req.options().ttl().toMillis();
      this.metaTtlMillis = req.options().metaTtl().toMillis();
      this.version = req.version();
      this.versionEpoch = req.versionEpoch();
    }

    @Override
    public AppendOutcome process(Map.Entry<String, StoredStream> e) {
      StoredStream s = live(e, now, newEpoch);
      s.metaExpiresAt = now + metaTtlMillis;
      if (version > 0) {
        boolean sameEpoch = versionEpoch.isEmpty() || versionEpoch.equals(s.versionEpoch);
        if (sameEpoch && s.lastVersion >= version) {
          store(e, s, metaTtlMillis);
          return new AppendOutcome(s.top, s.epoch, true);
        }
        s.lastVersion = version;
        s.versionEpoch = versionEpoch;
      }
      s.top++;
      Publication p = publication.toPublication();
      s.publications.add(new StoredStream.StoredPublication(p, s.top));
      while (s.publications.size() > size) s.publications.remove(0);
      s.publicationsExpireAt = now + ttlMillis;
      store(e, s, metaTtlMillis);
      return new AppendOutcome(s.top, s.epoch, false);
    }
  }

  static final class Read implements EntryProcessor<String, StoredStream, ReadOutcome> {
    private static final long serialVersionUID = 1L;
    private final long now;
    private final String newEpoch;
    private final int limit;
    private final long sinceOffset;
    private final String sinceEpoch;
    private final boolean hasSince;
    private final boolean reverse;
    private final long metaTtlMillis;

    Read(long now, String newEpoch, HistoryQuery q, long metaTtlMillis) {
      this.now = now;
      this.newEpoch = newEpoch;
      this.limit = q.limit();
      this.hasSince = q.since() != null;
      this.sinceOffset = hasSince ? q.since().offset() : 0;
      this.sinceEpoch = hasSince ? q.since().epoch() : "";
      this.reverse = q.reverse();
      this.metaTtlMillis = metaTtlMillis;
    }

    @Override
    public ReadOutcome process(Map.Entry<String, StoredStream> e) {
      StoredStream s = live(e, now, newEpoch);
      s.metaExpiresAt = Math.max(s.metaExpiresAt, now + metaTtlMillis);
      store(e, s, s.metaExpiresAt - now);
      if (hasSince && !sinceEpoch.isEmpty() && !sinceEpoch.equals(s.epoch)) {
        return new ReadOutcome(List.of(), s.top, s.epoch, true);
      }
      List<StoredStream.StoredPublication> out = new ArrayList<>();
      if (limit != 0) {
        int max = limit < 0 ? Integer.MAX_VALUE : limit;
        int n = s.publications.size();
        for (int k = 0; k < n && out.size() < max; k++) {
          StoredStream.StoredPublication p = s.publications.get(reverse ? n - 1 - k : k);
          if (hasSince && !reverse && p.offset <= sinceOffset) continue;
          if (hasSince && reverse && p.offset >= sinceOffset) continue;
          out.add(p);
        }
      }
      return new ReadOutcome(out, s.top, s.epoch, false);
    }
  }

  /** Drops retained publications, keeping top and epoch. */
  static final class Remove implements EntryProcessor<String, StoredStream, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, StoredStream> e) {
      StoredStream s = e.getValue();
      if (s == null) return false;
      s.publications.clear();
      ((ExtendedMapEntry<String, StoredStream>) e).setValueWithoutChangingExpiryTime(s);
      return true;
    }
  }
}
