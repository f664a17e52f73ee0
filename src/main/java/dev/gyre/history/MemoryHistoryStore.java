package dev.gyre.history;

import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * History in this process's memory: the single-node engine. Each stream is guarded by its own
 * monitor, held for microseconds (no I/O under it), so every method completes at once and may
 * be called from any event loop. Expired publications and streams are dropped lazily on access
 * and by {@link #sweep}, which the owner runs periodically off the event loop. Everything is lost
 * when the process stops: a restarted node gives every channel a new epoch.
 */
public final class MemoryHistoryStore implements HistoryStore {
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  private static final class Stream {
    final String epoch = Epochs.next();
    final ArrayDeque<Publication> publications = new ArrayDeque<>();
    long top;
    long publicationsExpireAt = Long.MAX_VALUE;
    volatile long metaExpiresAt;
    long lastVersion;
    String versionEpoch = "";
  }

  public MemoryHistoryStore() {
    this(System::currentTimeMillis);
  }

  /** With a clock in milliseconds, for tests of expiry. */
  public MemoryHistoryStore(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  @Override
  public Future<AppendResult> append(String channel, AppendRequest req) {
    long now = clock.getAsLong();
    StreamOptions o = req.options();
    Stream s = live(channel, now, o);
    synchronized (s) {
      if (streams.get(channel) != s) return append(channel, req); // replaced while we waited
      expire(s, now);
      s.metaExpiresAt = now + o.metaTtl().toMillis();
      if (req.version() > 0) {
        boolean sameEpoch = req.versionEpoch().isEmpty() || req.versionEpoch().equals(s.versionEpoch);
        if (sameEpoch && s.lastVersion >= req.version()) {
          return Future.succeededFuture(new AppendResult(null, new StreamPosition(s.top, s.epoch), true));
        }
        s.lastVersion = req.version();
        s.versionEpoch = req.versionEpoch();
      }
      s.top++;
      Publication p = req.publication();
      Publication stored = new Publication(p.data(), p.info(), s.top, p.tags());
      s.publications.addLast(stored);
      while (s.publications.size() > o.size()) s.publications.pollFirst();
      s.publicationsExpireAt = now + o.ttl().toMillis();
      return Future.succeededFuture(new AppendResult(stored, new StreamPosition(s.top, s.epoch), false));
    }
  }

  @Override
  public Future<HistoryPage> read(String channel, HistoryQuery q, StreamOptions o) {
    long now = clock.getAsLong();
    Stream s = live(channel, now, o);
    synchronized (s) {
      if (streams.get(channel) != s) return read(channel, q, o);
      expire(s, now);
      s.metaExpiresAt = Math.max(s.metaExpiresAt, now + o.metaTtl().toMillis());
      StreamPosition top = new StreamPosition(s.top, s.epoch);
      if (q.since() != null && !q.since().epoch().isEmpty() && !q.since().epoch().equals(s.epoch)) {
        return Future.failedFuture(new UnrecoverablePositionException());
      }
      if (q.limit() == 0) return Future.succeededFuture(new HistoryPage(List.of(), top));
      int max = q.limit() < 0 ? Integer.MAX_VALUE : q.limit();
      List<Publication> out = new ArrayList<>();
      Iterator<Publication> it = q.reverse() ? s.publications.descendingIterator() : s.publications.iterator();
      while (it.hasNext() && out.size() < max) {
        Publication p = it.next();
        if (q.since() != null) {
          if (!q.reverse() && p.offset() <= q.since().offset()) continue;
          if (q.reverse() && p.offset() >= q.since().offset()) continue;
        }
        out.add(p);
      }
      return Future.succeededFuture(new HistoryPage(List.copyOf(out), top));
    }
  }

  @Override
  public Future<Void> remove(String channel) {
    Stream s = streams.get(channel);
    if (s != null) {
      synchronized (s) {
        s.publications.clear();
      }
    }
    return Future.succeededFuture();
  }

  /** Drops expired publications and streams whose metadata expired. Safe from any thread. */
  public void sweep() {
    long now = clock.getAsLong();
    for (Map.Entry<String, Stream> e : streams.entrySet()) {
      Stream s = e.getValue();
      boolean dead;
      synchronized (s) {
        dead = now >= s.metaExpiresAt;
        if (!dead) expire(s, now);
      }
      if (dead) streams.remove(e.getKey(), s);
    }
  }

  /** Number of streams held (for metrics and tests). */
  public int size() {
    return streams.size();
  }

  /** The stream of a channel, created (new epoch) when absent or when its metadata expired. */
  private Stream live(String channel, long now, StreamOptions o) {
    return streams.compute(channel, (ch, s) -> {
      // No stream monitor is taken inside compute (sweep holds one while it calls remove).
      if (s != null && now < s.metaExpiresAt) return s;
      Stream fresh = new Stream();
      fresh.metaExpiresAt = now + o.metaTtl().toMillis();
      return fresh;
    });
  }

  private static void expire(Stream s, long now) {
    if (now >= s.publicationsExpireAt) {
      s.publications.clear();
      s.publicationsExpireAt = Long.MAX_VALUE;
    }
  }
}
