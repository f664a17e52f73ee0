package dev.gyre.history.redis;

import dev.gyre.config.RedisConfig;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * History in Redis, which outlives every Gyre node: per channel a STREAM {@code <prefix>.stream.<channel>}
 * (one entry per publication, ID {@code <offset>-0}, field {@code d} = {@link PublicationCodec}
 * bytes) and a HASH {@code <prefix>.meta.<channel>} (epoch {@code e}, top offset {@code s}, last
 * version {@code v} and its epoch {@code ve}, expiry times {@code me}/{@code pe}).
 *
 * <p>An append is one Lua script ({@code append.lua}), so it is atomic per channel across every
 * node on the same Redis: create the epoch when the metadata is missing, check the version,
 * increment the offset, XADD with exact MAXLEN trim, refresh both TTLs. A read is one script too
 * ({@code read.lua}): it creates missing metadata and refreshes the meta TTL. Keys get real Redis
 * TTLs ({@code history_ttl}, {@code history_meta_ttl}); the scripts also keep the expiry times in
 * the hash and compare them with the time they are given, which is Redis's own clock in
 * production and a test's clock in the contract test. Nothing here blocks; futures complete on
 * the caller's context; while Redis is down every call fails at once with
 * {@link RedisUnavailableException}.
 */
public final class RedisHistoryStore implements HistoryStore {
  private static final LuaScript APPEND = LuaScript.load("append.lua");
  private static final LuaScript READ = LuaScript.load("read.lua");

  private final RedisConnector redis;
  private final String prefix;
  private final LongSupplier clock;

  /** A store on Redis's clock. */
  public static RedisHistoryStore create(Vertx vertx, RedisConfig config) {
    return new RedisHistoryStore(RedisConnector.create(vertx, config), config.prefix(), null);
  }

  /**
   * @param clockMillis the time the scripts compare expiry times with, or null for Redis's clock
   */
  public RedisHistoryStore(RedisConnector redis, String prefix, LongSupplier clockMillis) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clockMillis;
  }

  public String streamKey(String channel) {
    return prefix + ".stream." + channel;
  }

  public String metaKey(String channel) {
    return prefix + ".meta." + channel;
  }

  @Override
  public Future<AppendResult> append(String channel, AppendRequest req) {
    StreamOptions o = req.options();
    List<Object> args = List.of(now(), Epochs.next(), PublicationCodec.encode(req.publication()), (long) o.size(),
        millis(o.ttl()), millis(o.metaTtl()), req.version(), req.versionEpoch());
    return APPEND.call(redis, keys(channel), args).map(r -> {
      long offset = r.get(0).toLong();
      StreamPosition position = new StreamPosition(offset, r.get(1).toString());
      if (r.get(2).toInteger() == 1) return new AppendResult(null, position, true);
      Publication in = req.publication();
      return new AppendResult(new Publication(in.data(), in.info(), offset, in.tags()), position, false);
    });
  }

  @Override
  public Future<HistoryPage> read(String channel, HistoryQuery q, StreamOptions o) {
    boolean hasSince = q.since() != null;
    List<Object> args = List.of(now(), Epochs.next(), millis(o.metaTtl()), hasSince ? "1" : "0",
        hasSince ? q.since().offset() : 0L, hasSince ? q.since().epoch() : "", (long) q.limit(), q.reverse() ? "1" : "0");
    return READ.call(redis, keys(channel), args).map(r -> {
      if (r.get(2).toInteger() == 1) throw new UnrecoverablePositionException();
      Response entries = r.get(3);
      List<Publication> out = new ArrayList<>(entries.size());
      for (Response e : entries) {
        String id = e.get(0).toString();
        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
        out.add(PublicationCodec.decode(e.get(1).get(1).toBytes(), offset));
      }
      return new HistoryPage(List.copyOf(out), new StreamPosition(r.get(0).toLong(), r.get(1).toString()));
    });
  }

  /** Deletes the stream key; the meta hash (epoch and top offset) stays. */
  @Override
  public Future<Void> remove(String channel) {
    return redis.send(Request.cmd(Command.DEL).arg(streamKey(channel))).mapEmpty();
  }

  @Override
  public String healthProblem() {
    String p = redis.problem();
    return p == null ? null : "redis: " + p;
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private List<String> keys(String channel) {
    return List.of(streamKey(channel), metaKey(channel));
  }

  private long now() {
    return clock == null ? 0 : clock.getAsLong();
  }

  private static long millis(java.time.Duration d) {
    return Math.max(1, d.toMillis());
  }
}
