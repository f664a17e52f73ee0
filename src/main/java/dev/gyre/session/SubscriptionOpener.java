package dev.gyre.session;

import dev.gyre.auth.SubscribeOverride;
import dev.gyre.config.ChannelOptions;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.StreamOptions;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolException;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets up a subscription (client-side or server-side): decides its options, starts receiving
 * the channel, positions it in the stream and recovers missed publications
 * (spec/client-protocol.md §5.5–5.6), adds presence, and builds the subscribe result. Live
 * publications that arrive meanwhile are buffered by the subscription and merged without gaps
 * or duplicates. Runs on the session's event loop.
 */
final class SubscriptionOpener {
  private final ClientSession s;

  SubscriptionOpener(ClientSession session) {
    this.s = session;
  }

  /** What the client asked for: positioning, recovery and its last position. */
  record Ask(boolean positioned, boolean recoverable, boolean joinLeave, boolean recover, long offset, String epoch,
             boolean rejectUnrecovered) {
    static final Ask NONE = new Ask(false, false, false, false, 0, "", false);
  }

  Subscription create(String channel, boolean serverSide, ChannelOptions o, SubscribeOverride ov, Ask ask) {
    Subscription sub = new Subscription(channel, serverSide, o);
    boolean presence = ov.presence() != null ? ov.presence() : o.presence();
    boolean joinLeave = ov.joinLeave() != null ? ov.joinLeave() : o.joinLeave();
    boolean forcePush = ov.forcePushJoinLeave() != null ? ov.forcePushJoinLeave() : o.forcePushJoinLeave();
    boolean forcePositioning = ov.forcePositioning() != null ? ov.forcePositioning() : o.forcePositioning();
    boolean forceRecovery = ov.forceRecovery() != null ? ov.forceRecovery() : o.forceRecovery();
    boolean presenceAccess = s.ctx.rules().mayPresence(o, s.user, true) || s.caps.allows(channel, "prs");
    boolean historyAccess = s.ctx.rules().mayHistory(o, s.user, true) || s.caps.allows(channel, "hst");
    sub.presence = presence;
    sub.emitJoinLeave = joinLeave;
    sub.pushJoinLeave = forcePush || (joinLeave && (serverSide || (ask.joinLeave() && presenceAccess)));
    if (o.historyEnabled()) {
      sub.recoverable = forceRecovery || (ask.recoverable() && (o.allowRecovery() || historyAccess));
      sub.positioned = sub.recoverable || forcePositioning
          || (ask.positioned() && (o.allowPositioning() || historyAccess));
    }
    return sub;
  }

  /**
   * Starts the subscription: hub, stream position, presence. Completes with the result fields
   * that depend on the stream (positioned, recoverable, epoch, offset, publications, recovered).
   */
  Future<Result.Subscribe> open(Subscription sub, Ask ask) {
    return s.ctx.hub().add(sub.channel, s)
        .compose(v -> sub.positioned ? position(sub, ask) : Future.succeededFuture(Result.Subscribe.EMPTY))
        .onSuccess(r -> {
          if (ask.recover() && sub.recoverable) s.ctx.metrics().recover(r.recovered(), !r.publications().isEmpty());
        })
        .compose(r -> {
          if (s.subscriptions.get(sub.channel) != sub) return Future.failedFuture(new ProtocolException(ErrorCode.INTERNAL));
          if (!sub.presence) return Future.succeededFuture(r);
          return s.ctx.presence().add(sub.channel, s.info(sub)).map(v -> r);
        });
  }

  private Future<Result.Subscribe> position(Subscription sub, Ask ask) {
    ChannelOptions o = sub.options;
    StreamOptions so = new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl());
    boolean recover = ask.recover() && sub.recoverable;
    if (recover && o.forceRecoveryMode().equals("cache")) return recoverFromCache(sub, ask, so);
    int max = s.ctx.config().client().recoveryMaxPublicationLimit();
    HistoryQuery q = recover ? new HistoryQuery(max, new StreamPosition(ask.offset(), ""), false) : HistoryQuery.position();
    return s.ctx.history().read(sub.channel, q, so).map(page -> {
      StreamPosition top = page.top();
      sub.epoch = top.epoch();
      if (!recover) {
        sub.offset = top.offset();
        return new Result.Subscribe(false, 0, sub.recoverable, top.epoch(), List.of(), false, top.offset(), true, null,
            false);
      }
      List<Publication> pubs = page.publications();
      boolean sameEpoch = ask.epoch().isEmpty() || ask.epoch().equals(top.epoch());
      boolean complete = pubs.isEmpty() ? top.offset() == ask.offset()
          : pubs.get(0).offset() == ask.offset() + 1 && pubs.get(pubs.size() - 1).offset() == top.offset();
      if (!(sameEpoch && complete)) {
        if (ask.rejectUnrecovered()) throw new ProtocolException(ErrorCode.UNRECOVERABLE_POSITION);
        sub.offset = top.offset();
        return new Result.Subscribe(false, 0, sub.recoverable, top.epoch(), List.of(), false, top.offset(), true, null,
            true);
      }
      List<Publication> merged = new ArrayList<>(pubs);
      long last = top.offset();
      for (var m : sub.buffer) {
        if (m.publication() != null && m.epoch().equals(top.epoch()) && m.offset() == last + 1) {
          merged.add(m.publication());
          last = m.offset();
        }
      }
      sub.offset = last;
      return new Result.Subscribe(false, 0, sub.recoverable, top.epoch(), List.copyOf(merged), true, ask.offset(), true,
          null, true);
    });
  }

  /**
   * Cache recovery (namespace {@code force_recovery_mode: cache}): the client only needs the
   * latest publication. Recovered when the stream has one (sent unless the client already has
   * it) or the client is already at the top; never when the epoch changed.
   */
  private Future<Result.Subscribe> recoverFromCache(Subscription sub, Ask ask, StreamOptions so) {
    return s.ctx.history().read(sub.channel, new HistoryQuery(1, null, true), so).map(page -> {
      StreamPosition top = page.top();
      sub.epoch = top.epoch();
      sub.offset = top.offset();
      boolean sameEpoch = ask.epoch().isEmpty() || ask.epoch().equals(top.epoch());
      List<Publication> latest = page.publications();
      boolean atTop = sameEpoch && ask.offset() == top.offset();
      boolean recovered = sameEpoch && (atTop || !latest.isEmpty());
      if (!recovered && ask.rejectUnrecovered()) throw new ProtocolException(ErrorCode.UNRECOVERABLE_POSITION);
      List<Publication> pubs = recovered && !atTop && latest.get(0).offset() > ask.offset() ? latest : List.of();
      return new Result.Subscribe(false, 0, sub.recoverable, top.epoch(), pubs, recovered,
          recovered ? ask.offset() : top.offset(), true, null, true);
    });
  }
}
