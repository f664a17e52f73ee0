package dev.gyre.session;

import dev.gyre.auth.Capabilities;
import dev.gyre.auth.ConnectToken;
import dev.gyre.auth.ServerSideSub;
import dev.gyre.auth.SubscribeOverride;
import dev.gyre.auth.SubscriptionToken;
import dev.gyre.auth.TokenException;
import dev.gyre.auth.TokenVerifier;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.ChannelOptions;
import dev.gyre.config.GyreConfig;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.StreamOptions;
import dev.gyre.history.UnrecoverablePositionException;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.node.Version;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolException;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.json.RawJson;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;

/**
 * Turns one command into its outcome for one session (spec/client-protocol.md §4–7): a result
 * to reply with, a {@link ProtocolException} for an error reply, or a {@link DisconnectException}
 * to close the connection. Runs on the session's event loop.
 */
final class CommandDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
  private static final Future<Result> NO_REPLY = Future.succeededFuture(null);

  private final ClientSession s;
  private final SubscriptionOpener opener;
  /** Work to do right after the current command's reply is queued (commit subscriptions, joins). */
  private Runnable afterReply;

  CommandDispatcher(ClientSession session) {
    this.s = session;
    this.opener = new SubscriptionOpener(session);
  }

  Future<Result> dispatch(Command cmd) {
    try {
      Request r = cmd.request();
      if (r instanceof Request.Pong) {
        s.onPong();
        return NO_REPLY;
      }
      if (s.unusable || r instanceof Request.Unknown) throw disconnect(DisconnectCode.BAD_REQUEST);
      if (r instanceof Request.Connect c) return afterKeys(s.ctx.connectTokens(), c.token(), () -> connect(c));
      if (s.state != ClientSession.State.CONNECTED) throw disconnect(DisconnectCode.BAD_REQUEST);
      if (r instanceof Request.Subscribe sub) return afterKeys(s.ctx.subscriptionTokens(), sub.token(), () -> subscribe(sub));
      if (r instanceof Request.Unsubscribe u) return unsubscribe(u);
      if (r instanceof Request.Publish p) return publish(p);
      if (r instanceof Request.Presence p) return presence(p.channel(), false);
      if (r instanceof Request.PresenceStats p) return presence(p.channel(), true);
      if (r instanceof Request.History h) return history(h);
      if (r instanceof Request.Rpc rpc) {
        // No RPC proxy and no built-in RPC method in Gyre yet: Centrifugo answers 108.
        throw new ProtocolException(ErrorCode.NOT_AVAILABLE);
      }
      if (r instanceof Request.Send) throw disconnect(DisconnectCode.NOT_AVAILABLE);
      if (r instanceof Request.Refresh ref) return afterKeys(s.ctx.connectTokens(), ref.token(), () -> refresh(ref));
      if (r instanceof Request.SubRefresh sr) return afterKeys(s.ctx.subscriptionTokens(), sr.token(), () -> subRefresh(sr));
      throw disconnect(DisconnectCode.BAD_REQUEST);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Writes the outcome of a finished command. */
  /**
   * The JWKS endpoint could not be read: not the token's fault, so an internal error (100) that
   * the SDKs retry, as Centrifugo answers a failed key fetch — not the terminal 3500.
   */
  private ProtocolException keysUnavailable(TokenException e) {
    log.warn("client {}: token not checked: {}", s.clientId(), e.getMessage());
    return new ProtocolException(ErrorCode.INTERNAL);
  }

  /**
   * Runs a command once the keys its token needs are loaded: at once, in the same turn, unless the
   * token names a JWKS key id the node has not fetched yet.
   */
  private static Future<Result> afterKeys(TokenVerifier verifier, String token, Supplier<Future<Result>> command) {
    Future<Void> keys = verifier.prepare(token);
    if (keys.isComplete()) return command.get();
    return keys.transform(ar -> command.get());
  }

  void finish(Command cmd, Future<Result> outcome) {
    Runnable after = afterReply;
    afterReply = null;
    if (outcome.succeeded()) {
      Result result = outcome.result();
      if (result != null && cmd.id() > 0) {
        try {
          s.send(s.codec.reply(cmd.id(), result));
        } catch (DisconnectException e) {
          s.close(e.disconnect()); // a payload this format cannot carry
          return;
        }
      }
      if (after != null) after.run();
      return;
    }
    Throwable t = outcome.cause();
    if (t instanceof DisconnectException d) {
      s.close(d.disconnect());
    } else if (t instanceof ProtocolException p) {
      if (cmd.request() instanceof Request.Connect && s.transport.unidirectional()) {
        s.close(UnidirectionalConnect.disconnectFor(p.error()));
        return;
      }
      if (cmd.request() instanceof Request.Connect) s.unusable = true;
      s.ctx.metrics().replyError(methodName(cmd.request()), p.error().code());
      s.send(s.codec.error(cmd.id(), p.error()));
    } else {
      log.warn("command failed for client {}", s.clientId(), t);
      if (cmd.request() instanceof Request.Connect) {
        s.close(DisconnectCode.INTERNAL.toDisconnect());
      } else {
        s.send(s.codec.error(cmd.id(), ErrorCode.INTERNAL));
      }
    }
  }

  // ---- connect ----

  private Future<Result> connect(Request.Connect req) {
    if (s.ctx.node().shuttingDown()) throw disconnect(DisconnectCode.SHUTDOWN);
    if (s.state != ClientSession.State.CONNECTING) {
      throw disconnect(DisconnectCode.BAD_REQUEST);
    }
    GyreConfig.Client cc = s.ctx.config().client();
    long now = nowSeconds();
    ConnectToken token = null;
    if (!req.token().isEmpty()) {
      try {
        token = s.ctx.connectTokens().verifyConnect(req.token(), now);
      } catch (TokenException e) {
        if (e.kind() == TokenException.Kind.EXPIRED) throw new ProtocolException(ErrorCode.TOKEN_EXPIRED);
        if (e.kind() == TokenException.Kind.KEYS_UNAVAILABLE) throw keysUnavailable(e);
        log.info("invalid connection token from client {}: {}", s.clientId(), e.getMessage());
        throw disconnect(DisconnectCode.INVALID_TOKEN);
      }
      if (token.user().isEmpty() && cc.disallowAnonymousConnectionTokens()) {
        throw disconnect(DisconnectCode.PERMISSION_DENIED);
      }
      if (token.expireAt() > 0 && token.expireAt() <= now) throw new ProtocolException(ErrorCode.EXPIRED);
    } else if (!cc.allowAnonymousConnectWithoutToken() && !cc.insecure()) {
      throw disconnect(DisconnectCode.BAD_REQUEST);
    }
    String user = token == null ? "" : token.user();
    long expireAt = token == null || cc.insecure() ? 0 : token.expireAt();

    // Server-side subscriptions: token, personal channel, and channels the client asks to
    // recover that it could subscribe to itself.
    Map<String, ServerSideSub> subs = new LinkedHashMap<>();
    if (token != null) for (ServerSideSub sub : token.subs()) subs.put(sub.channel(), sub);
    if (cc.subscribeToUserPersonalChannel() && !user.isEmpty()) {
      String ns = cc.personalChannelNamespace();
      String ch = (ns.isEmpty() ? "" : ns + s.ctx.config().channel().namespaceBoundary())
          + s.ctx.config().channel().userBoundary() + user;
      subs.putIfAbsent(ch, new ServerSideSub(ch, null, null, SubscribeOverride.NONE));
    }
    for (String ch : req.subs().keySet()) {
      if (subs.containsKey(ch) || s.ctx.rules().isPrivate(ch)) continue;
      try {
        ChannelOptions o = s.ctx.rules().options(ch);
        if (s.ctx.rules().maySubscribeWithoutToken(ch, o, user)) {
          subs.put(ch, new ServerSideSub(ch, null, null, SubscribeOverride.NONE));
        }
      } catch (ProtocolException ignored) {
        // unknown namespace: not subscribed
      }
    }
    if (subs.size() > cc.channelLimit()) throw disconnect(DisconnectCode.CHANNEL_LIMIT);
    List<ChannelOptions> options = new ArrayList<>();
    for (ServerSideSub sub : subs.values()) options.add(s.ctx.rules().options(sub.channel()));

    if (!s.ctx.node().tryAcquireUser(user, cc.userConnectionLimit())) throw disconnect(DisconnectCode.CONNECTION_LIMIT);
    s.user = user;
    s.connInfo = token == null ? null : token.info();
    s.caps = token == null ? Capabilities.NONE : token.caps();
    s.expireAt = expireAt;

    List<Future<Result.Subscribe>> ready = new ArrayList<>();
    List<Subscription> added = new ArrayList<>();
    int i = 0;
    for (ServerSideSub sub : subs.values()) {
      Request.Subscribe asked = req.subs().get(sub.channel());
      SubscriptionOpener.Ask ask = asked == null ? SubscriptionOpener.Ask.NONE
          : new SubscriptionOpener.Ask(false, false, false, asked.recover(), asked.offset(), asked.epoch(), false);
      Subscription state = opener.create(sub.channel(), true, options.get(i++), sub.override(), ask);
      state.chanInfo = sub.info();
      s.subscriptions.put(sub.channel(), state);
      added.add(state);
      ready.add(opener.open(state, ask));
    }
    List<ServerSideSub> subList = List.copyOf(subs.values());
    return Future.all(ready).map(v -> {
      Map<String, Result.Subscribe> subResults = new LinkedHashMap<>();
      for (int k = 0; k < subList.size(); k++) {
        Result.Subscribe r = ready.get(k).result();
        subResults.put(subList.get(k).channel(), withData(r, subList.get(k).data(), false, 0));
      }
      boolean nativePing = s.transport.nativePing();
      int ping = cc.pingEnabled() && !nativePing ? (int) cc.pingInterval().toSeconds() : 0;
      boolean pong = ping > 0 && cc.pongTimeout().toMillis() > 0 && !s.transport.unidirectional();
      long ttl = expireAt > 0 ? Math.min(Math.max(expireAt - nowSeconds(), 1), 31536000) : 0;
      afterReply = () -> {
        s.connected(true);
        for (Subscription sub : added) s.commit(sub);
      };
      return (Result) new Result.Connect(s.clientId(), Version.REPORTED, expireAt > 0, ttl, null, subResults,
          ping, pong, s.transport.sessionId(), s.transport.emulated() ? s.ctx.node().id() : "",
          cc.connectIncludeServerTime() ? System.currentTimeMillis() : 0);
    }).recover(err -> {
      for (Subscription sub : added) s.dropSubscription(sub.channel);
      s.ctx.node().releaseUser(user);
      return Future.failedFuture(err);
    });
  }

  /** The stream part of a subscribe result with the token's data and expiry added. */
  private static Result.Subscribe withData(Result.Subscribe r, byte[] data, boolean expires, long ttl) {
    return new Result.Subscribe(expires, ttl, r.recoverable(), r.epoch(), r.publications(), r.recovered(), r.offset(),
        r.positioned(), data, r.wasRecovering());
  }

  // ---- subscribe / unsubscribe ----

  private Future<Result> subscribe(Request.Subscribe req) {
    String ch = req.channel();
    if (ch.isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    if (!req.delta().isEmpty() && !req.delta().equals("fossil")) throw disconnect(DisconnectCode.BAD_REQUEST);
    if (s.subscriptions.containsKey(ch)) throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED);
    if (s.subscriptions.size() >= s.ctx.config().client().channelLimit()) {
      throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED);
    }
    ChannelOptions o = s.ctx.rules().options(ch);
    s.ctx.rules().validateForSubscribe(ch, o);
    if (req.type() != 0) throw new ProtocolException(ErrorCode.NOT_AVAILABLE);

    SubscriptionToken token = null;
    if (!req.token().isEmpty()) {
      token = verifySubscriptionToken(req.token(), ch);
    } else if (s.ctx.rules().isPrivate(ch)
        || !(s.ctx.rules().maySubscribeWithoutToken(ch, o, s.user) || s.caps.allows(ch, "sub"))) {
      throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    }
    long now = nowSeconds();
    long expireAt = token == null ? 0 : token.expireAt();
    if (expireAt > 0 && expireAt <= now) throw new ProtocolException(ErrorCode.EXPIRED);

    SubscriptionOpener.Ask ask = new SubscriptionOpener.Ask(req.positioned(), req.recoverable(), req.joinLeave(),
        req.recover(), req.offset(), req.epoch(), req.rejectUnrecovered());
    Subscription sub = opener.create(ch, false, o, token == null ? SubscribeOverride.NONE : token.override(), ask);
    sub.chanInfo = token == null ? null : token.info();
    sub.expireAt = expireAt;
    byte[] data = token == null ? null : token.data();
    s.subscriptions.put(ch, sub);
    return opener.open(sub, ask).map(r -> {
      afterReply = () -> s.commit(sub);
      long ttl = expireAt > 0 ? Math.max(expireAt - nowSeconds(), 1) : 0;
      return (Result) withData(r, data, expireAt > 0, ttl);
    }).recover(err -> {
      if (s.subscriptions.get(ch) == sub) s.dropSubscription(ch);
      return Future.failedFuture(err);
    });
  }

  private SubscriptionToken verifySubscriptionToken(String raw, String channel) {
    SubscriptionToken token;
    try {
      token = s.ctx.subscriptionTokens().verifySubscribe(raw, nowSeconds());
    } catch (TokenException e) {
      if (e.kind() == TokenException.Kind.EXPIRED) throw new ProtocolException(ErrorCode.TOKEN_EXPIRED);
      if (e.kind() == TokenException.Kind.KEYS_UNAVAILABLE) throw keysUnavailable(e);
      throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    }
    if (!token.channel().equals(channel) || !token.user().equals(s.user)
        || (!token.client().isEmpty() && !token.client().equals(s.clientId()))) {
      throw disconnect(DisconnectCode.INVALID_TOKEN);
    }
    return token;
  }

  /** Server API subscribe on a live connection. */
  void serverSubscribe(String channel, byte[] info, byte[] data, long expireAt) {
    ChannelOptions o;
    try {
      o = s.ctx.rules().options(channel);
    } catch (ProtocolException e) {
      return;
    }
    Subscription sub = opener.create(channel, true, o, SubscribeOverride.NONE, SubscriptionOpener.Ask.NONE);
    sub.chanInfo = info;
    sub.expireAt = expireAt;
    s.subscriptions.put(channel, sub);
    opener.open(sub, SubscriptionOpener.Ask.NONE).onComplete(ar -> {
      if (s.subscriptions.get(channel) != sub) return;
      if (ar.failed()) {
        s.dropSubscription(channel);
        return;
      }
      Result.Subscribe r = ar.result();
      s.send(s.codec.push(new Push.Subscribe(channel, r.recoverable(), r.epoch(), r.offset(), r.positioned(),
          data)));
      s.commit(sub);
    });
  }

  private Future<Result> unsubscribe(Request.Unsubscribe req) {
    if (req.channel().isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    s.dropSubscription(req.channel());
    return Future.succeededFuture(new Result.Unsubscribe());
  }

  // ---- publish, presence, history ----

  private Future<Result> publish(Request.Publish req) {
    if (req.channel().isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    ChannelOptions o = s.ctx.rules().options(req.channel());
    byte[] data = req.data();
    if (!ChannelRules.payloadAllowed(o, data)) throw new ProtocolException(ErrorCode.BAD_REQUEST);
    Subscription sub = s.subscriptions.get(req.channel());
    boolean subscribed = sub != null && sub.committed;
    if (!s.ctx.rules().mayPublish(o, s.user, subscribed) && !s.caps.allows(req.channel(), "pub")) throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    Publication pub = new Publication(data == null ? new byte[0] : data, s.info(sub), 0, Map.of());
    return s.ctx.broker().publish(req.channel(), pub, o).map(pos -> new Result.Publish());
  }

  private Future<Result> presence(String channel, boolean stats) {
    if (channel.isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    ChannelOptions o = s.ctx.rules().options(channel);
    if (!o.presence()) throw new ProtocolException(ErrorCode.NOT_AVAILABLE);
    Subscription sub = s.subscriptions.get(channel);
    if (!s.ctx.rules().mayPresence(o, s.user, sub != null && sub.committed) && !s.caps.allows(channel, "prs")) {
      throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    }
    if (stats) {
      return s.ctx.presence().stats(channel).map(st -> new Result.PresenceStats(st.numClients(), st.numUsers()));
    }
    return s.ctx.presence().presence(channel).map(Result.Presence::new);
  }

  private Future<Result> history(Request.History req) {
    if (req.channel().isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    ChannelOptions o = s.ctx.rules().options(req.channel());
    if (!o.historyEnabled()) throw new ProtocolException(ErrorCode.NOT_AVAILABLE);
    Subscription sub = s.subscriptions.get(req.channel());
    if (!s.ctx.rules().mayHistory(o, s.user, sub != null && sub.committed) && !s.caps.allows(req.channel(), "hst")) {
      throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    }
    if (req.reverse() && req.since() != null && req.since().offset() == 0) throw new ProtocolException(ErrorCode.BAD_REQUEST);
    int max = s.ctx.config().client().historyMaxPublicationLimit();
    int limit = req.limit() < 0 || req.limit() > max ? max : req.limit();
    StreamOptions so = new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl());
    return s.ctx.history().read(req.channel(), new HistoryQuery(limit, req.since(), req.reverse()), so)
        .<Result>map(page -> new Result.History(page.publications(), page.top().epoch(), page.top().offset()))
        .recover(err -> Future.failedFuture(err instanceof UnrecoverablePositionException
            ? new ProtocolException(ErrorCode.UNRECOVERABLE_POSITION) : err));
  }

  // ---- refresh ----

  private Future<Result> refresh(Request.Refresh req) {
    if (req.token().isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    ConnectToken token;
    try {
      token = s.ctx.connectTokens().verifyConnect(req.token(), nowSeconds());
    } catch (TokenException e) {
      if (e.kind() == TokenException.Kind.EXPIRED) throw disconnect(DisconnectCode.EXPIRED);
      if (e.kind() == TokenException.Kind.KEYS_UNAVAILABLE) throw keysUnavailable(e);
      throw disconnect(DisconnectCode.INVALID_TOKEN);
    }
    if (!token.user().equals(s.user)) throw disconnect(DisconnectCode.INVALID_TOKEN);
    if (token.expireAt() > 0 && token.expireAt() <= nowSeconds()) throw disconnect(DisconnectCode.EXPIRED);
    s.expireAt = s.ctx.config().client().insecure() ? 0 : token.expireAt();
    if (token.info() != null) s.connInfo = token.info();
    s.caps = token.caps();
    s.scheduleExpiry();
    long ttl = s.expireAt > 0 ? Math.max(s.expireAt - nowSeconds(), 1) : 0;
    return Future.succeededFuture(new Result.Refresh(s.clientId(), Version.REPORTED, s.expireAt > 0, ttl));
  }

  private Future<Result> subRefresh(Request.SubRefresh req) {
    if (req.channel().isEmpty()) throw disconnect(DisconnectCode.BAD_REQUEST);
    Subscription sub = s.subscriptions.get(req.channel());
    if (sub == null || !sub.committed) throw new ProtocolException(ErrorCode.PERMISSION_DENIED);
    if (req.token().isEmpty()) throw new ProtocolException(ErrorCode.BAD_REQUEST);
    SubscriptionToken token = verifySubscriptionToken(req.token(), req.channel());
    long now = nowSeconds();
    if (token.expireAt() > 0 && token.expireAt() <= now) throw new ProtocolException(ErrorCode.EXPIRED);
    sub.expireAt = token.expireAt();
    if (token.info() != null) sub.chanInfo = token.info();
    s.scheduleSubscriptionExpiry(sub);
    long ttl = sub.expireAt > 0 ? Math.max(sub.expireAt - now, 1) : 0;
    return Future.succeededFuture(new Result.SubRefresh(sub.expireAt > 0, ttl));
  }

  /** The protocol name of a request's method, for metric labels. */
  static String methodName(Request r) {
    String simple = r.getClass().getSimpleName();
    return switch (simple) {
      case "PresenceStats" -> "presence_stats";
      case "SubRefresh" -> "sub_refresh";
      default -> simple.toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static DisconnectException disconnect(DisconnectCode code) {
    return new DisconnectException(code);
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
