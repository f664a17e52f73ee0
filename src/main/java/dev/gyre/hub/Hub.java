package dev.gyre.hub;

import dev.gyre.broker.Broker;
import dev.gyre.broker.ChannelMessage;
import dev.gyre.node.Node;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Channel → local subscribers of one transport verticle instance. It consumes a channel's
 * event-bus address while at least one of its subscribers is in the channel, and stops on the
 * last one leaving. Owned by one event loop: no locks.
 */
public final class Hub {
  private final EventBus eventBus;
  private final Node node;
  private final Map<String, Entry> channels = new HashMap<>();

  private static final class Entry {
    final Set<ChannelSubscriber> subscribers = new LinkedHashSet<>();
    MessageConsumer<ChannelMessage> consumer;
    Future<Void> ready;
  }

  public Hub(EventBus eventBus, Node node) {
    this.eventBus = eventBus;
    this.node = node;
  }

  /**
   * Adds a subscriber; the future completes once the channel's address is consumed, so a
   * publication made after it completes reaches the subscriber.
   */
  public Future<Void> add(String channel, ChannelSubscriber subscriber) {
    Entry e = channels.get(channel);
    if (e == null) {
      e = new Entry();
      Entry entry = e;
      e.consumer = eventBus.consumer(Broker.address(channel), msg -> deliver(entry, msg.body()));
      e.ready = e.consumer.completion();
      channels.put(channel, e);
      node.channelUsed(channel);
    }
    e.subscribers.add(subscriber);
    return e.ready;
  }

  /** Removes a subscriber; the last one out stops consuming the channel's address. */
  public void remove(String channel, ChannelSubscriber subscriber) {
    Entry e = channels.get(channel);
    if (e == null) return;
    e.subscribers.remove(subscriber);
    if (e.subscribers.isEmpty()) {
      channels.remove(channel);
      e.consumer.unregister();
      node.channelUnused(channel);
    }
  }

  private static void deliver(Entry e, ChannelMessage m) {
    if (e.subscribers.size() == 1) {
      e.subscribers.iterator().next().deliver(m);
      return;
    }
    // Copy: a delivery may disconnect a slow subscriber, which removes it from the set.
    for (ChannelSubscriber s : new ArrayList<>(e.subscribers)) s.deliver(m);
  }

  /** Channels with local subscribers and their counts. */
  public Map<String, Integer> channelCounts() {
    Map<String, Integer> out = new HashMap<>();
    channels.forEach((ch, e) -> out.put(ch, e.subscribers.size()));
    return Collections.unmodifiableMap(out);
  }

  public int numChannels() { return channels.size(); }

  public Set<ChannelSubscriber> subscribers(String channel) {
    Entry e = channels.get(channel);
    return e == null ? Set.of() : Collections.unmodifiableSet(e.subscribers);
  }
}
