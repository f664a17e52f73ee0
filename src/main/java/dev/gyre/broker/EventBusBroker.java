package dev.gyre.broker;

import dev.gyre.config.ChannelOptions;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.StreamOptions;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.protocol.PushEncoding;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker over the Vert.x event bus — local in standalone mode, clustered by Hazelcast in
 * cluster mode, the same code path — with history in a {@link HistoryStore}. Appends and
 * deliveries of one channel are serialised by one of 4096 striped monitors, held only while
 * an in-memory append completes and the message is handed to the event bus. Thread-safe.
 */
public final class EventBusBroker implements Broker {
  private static final StreamPosition NO_POSITION = new StreamPosition(0, "");
  private static final long IDEMPOTENCY_WINDOW_MS = 300_000;
  private static final int STRIPES = 4096;

  private final EventBus eventBus;
  private final HistoryStore history;
  private final Object[] locks = new Object[STRIPES];
  private final Map<String, Idempotent> idempotency = new ConcurrentHashMap<>();

  private record Idempotent(StreamPosition position, long expiresAt) {}

  public EventBusBroker(EventBus eventBus, HistoryStore history) {
    this.eventBus = eventBus;
    this.history = history;
    for (int i = 0; i < STRIPES; i++) locks[i] = new Object();
  }

  @Override
  public Future<StreamPosition> publish(String channel, Publication publication, ChannelOptions options,
                                        PublishOptions po) {
    String idemKey = po.idempotencyKey().isEmpty() ? null : channel + '\u0000' + po.idempotencyKey();
    synchronized (locks[Math.floorMod(channel.hashCode(), STRIPES)]) {
      long now = System.currentTimeMillis();
      if (idemKey != null) {
        Idempotent hit = idempotency.get(idemKey);
        if (hit != null && hit.expiresAt() > now) return Future.succeededFuture(hit.position());
      }
      Future<StreamPosition> result;
      if (options.historyEnabled() && !po.skipHistory()) {
        StreamOptions so = new StreamOptions(options.historySize(), options.historyTtl(), options.historyMetaTtl());
        result = history.append(channel, new AppendRequest(publication, so, po.version(), po.versionEpoch()))
            .map(appended -> {
              if (!appended.suppressed()) deliver(channel, appended.publication(), appended.position().epoch());
              return appended.position();
            });
      } else {
        deliver(channel, publication, "");
        result = Future.succeededFuture(NO_POSITION);
      }
      if (idemKey != null) {
        result.onSuccess(pos -> idempotency.put(idemKey, new Idempotent(pos, now + IDEMPOTENCY_WINDOW_MS)));
      }
      return result;
    }
  }

  private void deliver(String channel, Publication p, String epoch) {
    eventBus.publish(Broker.address(channel), new ChannelMessage(ChannelMessage.Kind.PUBLICATION, channel, p, epoch,
        PushEncoding.encodeOnce(new Push.Pub(channel, p))));
  }

  /** Drops idempotency entries past their window; the owner calls it periodically. */
  public void sweep() {
    long now = System.currentTimeMillis();
    idempotency.values().removeIf(e -> e.expiresAt() <= now);
  }

  @Override
  public void publishJoin(String channel, ClientInfo info) {
    eventBus.publish(Broker.address(channel), new ChannelMessage(ChannelMessage.Kind.JOIN, channel, null, "",
        PushEncoding.encodeOnce(new Push.Join(channel, info))));
  }

  @Override
  public void publishLeave(String channel, ClientInfo info) {
    eventBus.publish(Broker.address(channel), new ChannelMessage(ChannelMessage.Kind.LEAVE, channel, null, "",
        PushEncoding.encodeOnce(new Push.Leave(channel, info))));
  }
}
