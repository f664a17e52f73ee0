package dev.gyre.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run measured: publications sent, deliveries with their latency (an HdrHistogram in
 * microseconds), duplicates and losses per subscriber, and a per-second time line.
 * Deliveries are recorded on the load generator's event loop; snapshots from the reporter.
 */
final class Stats {
  final Recorder latency = new Recorder(3);
  final Histogram total = new Histogram(3_600_000_000L, 3);
  final AtomicLong published = new AtomicLong();
  final AtomicLong publishErrors = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  /** API publish round trips in microseconds; recorded on the publisher's event loop. */
  final Histogram requests = new Histogram(60_000_000L, 3);
  private final BitSet[] seen;
  final List<Second> timeline = new ArrayList<>();
  /** Seconds at the start whose latencies stay out of the totals (JIT warm-up); 0 = none. */
  int warmupSeconds;

  /** One second of the run. */
  record Second(int second, long published, long delivered, double p50ms, double p99ms, double maxMs) {}

  Stats(int subscribers) {
    seen = new BitSet[subscribers];
    for (int i = 0; i < subscribers; i++) seen[i] = new BitSet();
  }

  /** Records one delivery; called on one thread per client (the client's event loop). */
  void delivery(int client, long seq, long sentNanos) {
    long micros = Math.max(0, (System.nanoTime() - sentNanos) / 1000);
    latency.recordValue(Math.min(micros, 3_600_000_000L));
    delivered.incrementAndGet();
    BitSet s = seen[client];
    synchronized (s) {
      if (s.get((int) seq)) duplicates.incrementAndGet();
      else s.set((int) seq);
    }
  }

  /** Takes the interval histogram since the last call into the total and the time line. */
  synchronized void tick(int second, long publishedSoFar, long deliveredSoFar) {
    Histogram interval = latency.getIntervalHistogram();
    if (second > warmupSeconds) total.add(interval);
    long prevP = timeline.isEmpty() ? 0 : timeline.stream().mapToLong(Second::published).sum();
    long prevD = timeline.isEmpty() ? 0 : timeline.stream().mapToLong(Second::delivered).sum();
    timeline.add(new Second(second, publishedSoFar - prevP, deliveredSoFar - prevD,
        interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
        interval.getMaxValue() / 1000.0));
  }

  /** Deliveries each subscriber should have had but did not, given what was published. */
  long lost(int subscribersPerPublication, long publications) {
    long unique = 0;
    for (BitSet s : seen) {
      synchronized (s) {
        unique += s.cardinality();
      }
    }
    return Math.max(0, publications * subscribersPerPublication - unique);
  }
}
