package dev.gyre.session;

import dev.gyre.auth.Capabilities;
import dev.gyre.broker.ChannelMessage;
import dev.gyre.hub.ChannelSubscriber;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Push;
import dev.gyre.history.HistoryQuery;
import dev.gyre.node.NodeMetrics;
import dev.gyre.history.StreamOptions;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.protocol.Request;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client connection: a small state machine (connecting → connected → closed) holding the
 * client's identity, subscriptions, timers and outbound queue. Commands are processed strictly
 * in order; while one is in progress the transport is paused. Everything runs on the event loop
 * of the transport verticle instance that accepted the connection.
 */
public final class ClientSession implements ChannelSubscriber {
  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  enum State { CONNECTING, CONNECTED, CLOSED }

  final SessionContext ctx;
  final Transport transport;
  final ProtocolCodec codec;
  private final String clientId = UUID.randomUUID().toString();
  private final OutboundQueue outbound;
  private final ArrayDeque<Command> pending = new ArrayDeque<>(2);
  private final CommandDispatcher dispatcher;
  final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

  State state = State.CONNECTING;
  /** Set after an error reply to connect: later commands are a protocol violation. */
  boolean unusable;
  String user = "";
  byte[] connInfo;
  /** Channel capabilities from the connection token's caps claim. */
  Capabilities caps = Capabilities.NONE;
  long expireAt;
  private boolean userCounted;
  private boolean busy;
  private boolean flushScheduled;
  private boolean waitingDrain;
  private long staleTimer = -1;
  private long pingTimer = -1;
  private long pongTimer = -1;
  private long expireTimer = -1;
  private long positionTimer = -1;
  private final NodeMetrics.Count sent;
  private final NodeMetrics.Count received;

  public ClientSession(SessionContext ctx, Transport transport, ProtocolCodec codec) {
    this.ctx = ctx;
    this.transport = transport;
    this.codec = codec;
    this.outbound = new OutboundQueue(ctx.config().client().queueMaxSize(), codec.separator());
    this.sent = ctx.metrics().messagesSent(transport.name());
    this.received = ctx.metrics().messagesReceived(transport.name());
    this.dispatcher = new CommandDispatcher(this);
    ctx.registry().opened(this);
    long stale = Math.max(1, ctx.config().client().staleCloseDelay().toMillis());
    staleTimer = ctx.vertx().setTimer(stale, t -> {
      staleTimer = -1;
      if (state == State.CONNECTING) close(DisconnectCode.STALE.toDisconnect());
    });
  }

  public String clientId() { return clientId; }
  public String user() { return user; }
  public boolean isConnected() { return state == State.CONNECTED; }
  public int numSubscriptions() { return subscriptions.size(); }

  ClientInfo info(Subscription sub) {
    return new ClientInfo(user, clientId, connInfo, sub == null ? null : sub.chanInfo);
  }

  // ---- inbound ----

  /** Handles one transport frame: decodes its commands and processes them in order. */
  public void handleFrame(byte[] frame) {
    if (state == State.CLOSED) return;
    List<Command> commands;
    try {
      commands = codec.decodeFrame(frame);
    } catch (DisconnectException e) {
      close(e.disconnect());
      return;
    }
    received.increment(commands.size());
    pending.addAll(commands);
    pump();
  }

  /**
   * Handles the connect request of a unidirectional transport, decoded by the transport itself
   * (it is a bare ConnectRequest, not a command frame: spec/client-protocol.md §1.7).
   */
  public void handleConnect(Request.Connect connect) {
    if (state == State.CLOSED) return;
    pending.add(new Command(1, connect));
    pump();
  }

  private void pump() {
    while (!busy && state != State.CLOSED && !pending.isEmpty()) {
      Command cmd = pending.poll();
      long started = System.nanoTime();
      var future = dispatcher.dispatch(cmd);
      if (future.isComplete()) {
        dispatcher.finish(cmd, future);
        commandTimed(cmd, started);
      } else {
        busy = true;
        transport.pause();
        future.onComplete(ar -> {
          busy = false;
          dispatcher.finish(cmd, future);
          commandTimed(cmd, started);
          if (state != State.CLOSED) transport.resume();
          pump();
        });
      }
    }
  }

  private void commandTimed(Command cmd, long startedNanos) {
    if (!(cmd.request() instanceof Request.Pong)) {
      ctx.metrics().clientCommand(CommandDispatcher.methodName(cmd.request())).since(startedNanos);
    }
  }

  /** A pong arrived: valid only while a ping is outstanding. */
  void onPong() {
    if (pongTimer < 0) {
      close(DisconnectCode.BAD_REQUEST.toDisconnect());
      return;
    }
    ctx.vertx().cancelTimer(pongTimer);
    pongTimer = -1;
  }

  // ---- outbound ----

  /** Queues an encoded reply or push; writes happen once per event-loop turn, coalesced. */
  void send(Buffer message) {
    if (state == State.CLOSED) return;
    sent.increment();
    if (!outbound.offer(message)) {
      close(DisconnectCode.SLOW.toDisconnect());
      return;
    }
    if (!flushScheduled && !waitingDrain) {
      flushScheduled = true;
      ctx.flusher().schedule(this);
    }
  }

  /** Called by the flush scheduler at the end of the turn. */
  void flushScheduled() {
    flushScheduled = false;
    flush();
  }

  private void flush() {
    if (state == State.CLOSED) return;
    while (!outbound.isEmpty()) {
      if (transport.writeQueueFull()) {
        waitingDrain = true;
        transport.drainHandler(() -> {
          waitingDrain = false;
          flush();
        });
        return;
      }
      transport.write(outbound.nextFrame());
    }
  }

  @Override
  public void deliver(ChannelMessage m) {
    Subscription sub = subscriptions.get(m.channel());
    if (sub == null || state == State.CLOSED) return;
    if (!sub.committed) {
      if (sub.buffer.size() >= Subscription.MAX_BUFFERED) {
        close(DisconnectCode.SLOW.toDisconnect());
        return;
      }
      sub.buffer.add(m);
      return;
    }
    if (m.kind() != ChannelMessage.Kind.PUBLICATION) {
      if (!sub.pushJoinLeave) return;
    } else if (sub.positioned) {
      if (sub.filling) {
        if (sub.buffer.size() >= Subscription.MAX_BUFFERED) close(DisconnectCode.SLOW.toDisconnect());
        else sub.buffer.add(m);
        return;
      }
      long off = m.offset();
      if (off <= sub.offset && m.epoch().equals(sub.epoch)) return; // late duplicate
      if (!m.epoch().equals(sub.epoch)) {
        insufficientState(sub);
        return;
      }
      if (off != sub.offset + 1) {
        fillGap(sub, m);
        return;
      }
      sub.offset = off;
    }
    Buffer bytes = codec.select(m.encoded());
    if (bytes == null) {
      close(DisconnectCode.INAPPROPRIATE_PROTOCOL.toDisconnect());
      return;
    }
    send(bytes);
  }

  /**
   * A publication arrived ahead of the next expected offset. In a cluster, publications of one
   * channel made through different nodes can arrive out of order; the missing ones are already
   * in history, so they are read from there and delivered first, while later arrivals wait in
   * the buffer. When history cannot fill the gap, the client is told its state is insufficient.
   */
  private void fillGap(Subscription sub, ChannelMessage ahead) {
    sub.filling = true;
    sub.buffer = new ArrayList<>();
    sub.buffer.add(ahead);
    long from = sub.offset;
    int missing = (int) Math.min(Integer.MAX_VALUE, ahead.offset() - from - 1);
    var o = sub.options;
    ctx.history().read(sub.channel, new HistoryQuery(missing, new StreamPosition(from, sub.epoch), false),
        new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl())).onComplete(ar -> {
          if (subscriptions.get(sub.channel) != sub || state == State.CLOSED) return;
          sub.filling = false;
          List<ChannelMessage> waiting = sub.buffer;
          sub.buffer = List.of();
          long expected = from + 1;
          if (ar.succeeded()) {
            for (Publication p : ar.result().publications()) {
              if (p.offset() != expected) break;
              Buffer bytes = codec.select(PushEncoding.encodeOnce(new Push.Pub(sub.channel, p)));
              if (bytes == null) {
                close(DisconnectCode.INAPPROPRIATE_PROTOCOL.toDisconnect());
                return;
              }
              send(bytes);
              sub.offset = expected++;
            }
          }
          if (sub.offset + 1 < ahead.offset()) {
            insufficientState(sub);
            return;
          }
          for (ChannelMessage m : waiting) {
            if (subscriptions.get(sub.channel) != sub || state == State.CLOSED) return;
            deliver(m);
          }
        });
  }

  /** A gap or an epoch change on a positioned subscription: the client must resubscribe and recover. */
  private void insufficientState(Subscription sub) {
    if (sub.serverSide) close(DisconnectCode.INSUFFICIENT_STATE.toDisconnect());
    else serverUnsubscribe(sub.channel, 2500, "insufficient state");
  }

  /** Marks a subscription live once its reply is queued, replaying what arrived meanwhile. */
  void commit(Subscription sub) {
    if (subscriptions.get(sub.channel) != sub || sub.committed) return;
    sub.committed = true;
    ctx.node().subscriptionAdded();
    ctx.metrics().subscriptionAccepted();
    List<ChannelMessage> buffered = sub.buffer;
    sub.buffer = List.of();
    for (ChannelMessage m : buffered) {
      if (subscriptions.get(sub.channel) != sub || state == State.CLOSED) return;
      deliver(m);
    }
    scheduleSubscriptionExpiry(sub);
    if (sub.positioned) startPositionChecks();
    if (sub.emitJoinLeave) ctx.broker().publishJoin(sub.channel, info(sub));
  }

  // ---- lifecycle ----

  /** Called by the dispatcher once connect succeeded and the reply is queued. */
  void connected(boolean userCounted) {
    this.userCounted = userCounted;
    state = State.CONNECTED;
    if (staleTimer >= 0) {
      ctx.vertx().cancelTimer(staleTimer);
      staleTimer = -1;
    }
    ctx.registry().connected(this);
    ctx.node().clientConnected(user);
    ctx.metrics().connectionAccepted(transport.name());
    if (ctx.config().client().pingEnabled()) {
      long interval = ctx.config().client().pingInterval().toMillis();
      long first = interval / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, interval / 2));
      pingTimer = ctx.vertx().setTimer(first, t -> ping(interval));
    }
    scheduleExpiry();
  }

  /** The position check runs only while the client has a positioned subscription (idle clients cost no timer). */
  private void startPositionChecks() {
    long check = ctx.config().client().channelPositionCheckDelay().toMillis();
    if (check > 0 && positionTimer < 0 && state == State.CONNECTED) {
      positionTimer = ctx.vertx().setPeriodic(check, t -> checkPositions());
    }
  }

  /**
   * The periodic position check (client.channel_position_check_delay): a positioned subscription
   * still behind a stream top it was already behind at the previous check has lost publications
   * that no later one revealed (the channel went quiet after a loss), or the epoch changed: its
   * state is insufficient. One check of lag is tolerated, as publications may be in flight.
   */
  private void checkPositions() {
    if (subscriptions.values().stream().noneMatch(sub -> sub.positioned)) {
      ctx.vertx().cancelTimer(positionTimer);
      positionTimer = -1;
      return;
    }
    for (Subscription sub : new ArrayList<>(subscriptions.values())) {
      if (!sub.positioned || !sub.committed || sub.filling) continue;
      var o = sub.options;
      ctx.history().read(sub.channel, HistoryQuery.position(),
          new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl())).onSuccess(page -> {
            if (subscriptions.get(sub.channel) != sub || state != State.CONNECTED || sub.filling) return;
            StreamPosition top = page.top();
            if (!top.epoch().equals(sub.epoch)) {
              insufficientState(sub);
            } else if (top.offset() > sub.offset) {
              if (sub.suspectTop > 0 && sub.offset < sub.suspectTop) insufficientState(sub);
              else sub.suspectTop = top.offset();
            } else {
              sub.suspectTop = 0;
            }
          });
    }
  }

  private void ping(long interval) {
    if (state != State.CONNECTED) return;
    if (transport.nativePing()) transport.ping();
    else send(codec.ping());
    long pong = ctx.config().client().pongTimeout().toMillis();
    if (pong > 0 && pongTimer < 0 && !transport.unidirectional()) {
      pongTimer = ctx.vertx().setTimer(pong, t -> {
        pongTimer = -1;
        close(DisconnectCode.NO_PONG.toDisconnect());
      });
    }
    pingTimer = ctx.vertx().setTimer(interval, t -> ping(interval));
  }

  /** Native transport pong (cf_ws_frame_ping_pong mode). */
  public void onNativePong() {
    if (pongTimer >= 0) {
      ctx.vertx().cancelTimer(pongTimer);
      pongTimer = -1;
    }
  }

  void scheduleExpiry() {
    if (expireTimer >= 0) {
      ctx.vertx().cancelTimer(expireTimer);
      expireTimer = -1;
    }
    if (expireAt <= 0) return;
    long delayMs = expireAt * 1000 - System.currentTimeMillis() + ctx.config().client().expiredCloseDelay().toMillis();
    expireTimer = ctx.vertx().setTimer(Math.max(1, delayMs), t -> {
      expireTimer = -1;
      if (expireAt > 0 && expireAt * 1000 <= System.currentTimeMillis()) close(DisconnectCode.EXPIRED.toDisconnect());
    });
  }

  void scheduleSubscriptionExpiry(Subscription sub) {
    if (sub.expiryTimer >= 0) ctx.vertx().cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    if (sub.expireAt <= 0) return;
    long delayMs = sub.expireAt * 1000 - System.currentTimeMillis()
        + ctx.config().client().expiredSubCloseDelay().toMillis();
    sub.expiryTimer = ctx.vertx().setTimer(Math.max(1, delayMs), t -> {
      sub.expiryTimer = -1;
      if (subscriptions.get(sub.channel) != sub || sub.expireAt * 1000 > System.currentTimeMillis()) return;
      if (sub.serverSide) close(DisconnectCode.SUBSCRIPTION_EXPIRED.toDisconnect());
      else serverUnsubscribe(sub.channel, 2501, "subscription expired");
    });
  }

  /** Removes a subscription: hub, leave event, timers. Sends nothing to this client. */
  void dropSubscription(String channel) {
    Subscription sub = subscriptions.remove(channel);
    if (sub == null) return;
    if (sub.expiryTimer >= 0) ctx.vertx().cancelTimer(sub.expiryTimer);
    if (sub.committed) ctx.node().subscriptionRemoved();
    ctx.hub().remove(channel, this);
    if (sub.presence) ctx.presence().remove(channel, clientId);
    if (sub.committed && sub.emitJoinLeave) ctx.broker().publishLeave(channel, info(sub));
  }

  /** Server-initiated unsubscribe (API or expiry): drops the subscription and tells the client. */
  public void serverUnsubscribe(String channel, int code, String reason) {
    if (!subscriptions.containsKey(channel) || state != State.CONNECTED) return;
    dropSubscription(channel);
    send(codec.push(new Push.Unsubscribe(channel, code, reason)));
  }

  /** Unsubscribes from every channel (server API unsubscribe with an empty channel). */
  public void serverUnsubscribeAll(int code, String reason) {
    for (String ch : new ArrayList<>(subscriptions.keySet())) serverUnsubscribe(ch, code, reason);
  }

  /** Server API subscribe: adds a server-side subscription and announces it with a subscribe push. */
  public void serverSubscribe(String channel, byte[] info, byte[] data, long expireAt) {
    if (state != State.CONNECTED || subscriptions.containsKey(channel)) return;
    dispatcher.serverSubscribe(channel, info, data, expireAt);
  }

  /** Server API refresh. */
  public void serverRefresh(boolean expired, long newExpireAt, byte[] info) {
    if (state != State.CONNECTED) return;
    long now = System.currentTimeMillis() / 1000;
    if (expired || (newExpireAt > 0 && newExpireAt <= now)) {
      close(DisconnectCode.EXPIRED.toDisconnect());
      return;
    }
    expireAt = newExpireAt;
    if (info != null) connInfo = info;
    scheduleExpiry();
  }

  /** Closes the connection with the disconnect, flushing queued messages first (except when slow). */
  public void close(Disconnect disconnect) {
    if (state == State.CLOSED) return;
    if (disconnect.code() != DisconnectCode.SLOW.code()) {
      while (!outbound.isEmpty()) transport.write(outbound.nextFrame());
    }
    outbound.clear();
    if (log.isDebugEnabled()) log.debug("closing client {} with {} {}", clientId, disconnect.code(), disconnect.reason());
    ctx.metrics().serverDisconnect(disconnect.code());
    ctx.metrics().outgoingClose(transport.name(), disconnect.code());
    cleanup();
    transport.close(disconnect);
  }

  /** The transport went away (client closed, network error). */
  public void transportClosed() {
    if (state == State.CLOSED) return;
    outbound.clear();
    cleanup();
  }

  private void cleanup() {
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    for (long t : new long[] {staleTimer, pingTimer, pongTimer, expireTimer, positionTimer}) {
      if (t >= 0) ctx.vertx().cancelTimer(t);
    }
    if (wasConnected) {
      ctx.node().clientDisconnected(user);
      for (String ch : new ArrayList<>(subscriptions.keySet())) dropSubscription(ch);
    } else {
      for (Subscription sub : subscriptions.values()) {
        ctx.hub().remove(sub.channel, this);
        if (sub.presence) ctx.presence().remove(sub.channel, clientId);
      }
      subscriptions.clear();
    }
    pending.clear();
    if (userCounted) ctx.node().releaseUser(user);
    ctx.registry().closed(this);
  }
}
