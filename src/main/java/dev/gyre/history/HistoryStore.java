package dev.gyre.history;

import io.vertx.core.Future;

/**
 * Where channel streams live: the publications of channels whose namespace keeps history, with
 * their offsets and epochs (spec/engines.md §2–3).
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@link #append} is atomic per channel: it assigns the next offset (the first in an epoch
 *       is 1), stores the publication, trims the stream to {@code size}, refreshes the TTLs, and
 *       completes with the new position. Two appends to one channel never get the same offset.
 *   <li>The epoch changes only when the stream's metadata is lost (meta TTL expiry, data loss) —
 *       never on publication TTL expiry or {@link #remove}, which keep the top offset.
 *   <li>{@link #read} of a channel with no stream creates its metadata (offset 0, a new epoch).
 *       A {@code since} position with a non-empty epoch different from the current one fails
 *       with {@link UnrecoverablePositionException}.
 *   <li>Futures complete on the caller's context where the implementation is asynchronous, and
 *       may be already completed when it is not. A failed future means nothing was stored.
 * </ul>
 */
public interface HistoryStore {

  Future<AppendResult> append(String channel, AppendRequest request);

  Future<HistoryPage> read(String channel, HistoryQuery query, StreamOptions options);

  /** Deletes the retained publications, keeping the top offset and epoch. */
  Future<Void> remove(String channel);

  /**
   * Null while the store can serve requests; otherwise a short reason naming the backend (for
   * /health, which answers 503 with it). Cheap and non-blocking: callers are event loops.
   */
  default String healthProblem() {
    return null;
  }

  /** Releases connections and timers; the node calls it once when it stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
