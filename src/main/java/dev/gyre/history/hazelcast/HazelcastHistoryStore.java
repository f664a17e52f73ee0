package dev.gyre.history.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.AppendResult;
import dev.gyre.history.Epochs;
import dev.gyre.history.HistoryPage;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.StreamOptions;
import dev.gyre.history.UnrecoverablePositionException;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * History in a Hazelcast map (the cluster default): one entry per channel, changed by entry
 * processors on the partition owner — so appends are atomic per channel across the whole
 * cluster — and copied to {@value #BACKUPS} backup member(s), so losing one node loses no
 * history and changes no epoch. All calls are asynchronous; futures complete on the caller's
 * Vert.x context (never blocking an event loop).
 */
public final class HazelcastHistoryStore implements HistoryStore {
  public static final String MAP = "gyre.history";
  static final int BACKUPS = 1;

  private final Vertx vertx;
  private final IMap<String, StoredStream> streams;
  private final LongSupplier clock;

  public HazelcastHistoryStore(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, System::currentTimeMillis);
  }

  /** With a clock in milliseconds, for tests of expiry. */
  public HazelcastHistoryStore(Vertx vertx, HazelcastInstance hazelcast, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.streams = hazelcast.getMap(MAP);
    this.clock = clockMillis;
  }

  @Override
  public Future<AppendResult> append(String channel, AppendRequest request) {
    StreamProcessors.Append p = new StreamProcessors.Append(clock.getAsLong(), Epochs.next(), request);
    return onContext(streams.submitToKey(channel, p)).map(o -> {
      Publication in = request.publication();
      Publication stored = o.suppressed() ? null : new Publication(in.data(), in.info(), o.offset(), in.tags());
      return new AppendResult(stored, new StreamPosition(o.offset(), o.epoch()), o.suppressed());
    });
  }

  @Override
  public Future<HistoryPage> read(String channel, HistoryQuery query, StreamOptions options) {
    StreamProcessors.Read p = new StreamProcessors.Read(clock.getAsLong(), Epochs.next(), query,
        options.metaTtl().toMillis());
    return onContext(streams.submitToKey(channel, p)).map(o -> {
      if (o.unrecoverable()) throw new UnrecoverablePositionException();
      return new HistoryPage(StoredStream.toPublications(o.publications()), new StreamPosition(o.top(), o.epoch()));
    });
  }

  @Override
  public Future<Void> remove(String channel) {
    return onContext(streams.submitToKey(channel, new StreamProcessors.Remove())).mapEmpty();
  }

  private <T> Future<T> onContext(CompletionStage<T> stage) {
    Context ctx = vertx.getOrCreateContext();
    return Future.fromCompletionStage(stage, ctx);
  }
}
