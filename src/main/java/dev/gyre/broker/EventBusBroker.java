package dev.gyre.broker;

import dev.gyre.config.ChannelOptions;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.protocol.json.JsonReplyEncoder;
import dev.gyre.protocol.json.RawJson;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/**
 * The broker over the Vert.x event bus: local in standalone mode, clustered by Hazelcast in
 * cluster mode — the same code path. Stateless and thread-safe.
 */
public final class EventBusBroker implements Broker {
  private static final StreamPosition NO_POSITION = new StreamPosition(0, "");

  private final EventBus eventBus;

  public EventBusBroker(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  @Override
  public Future<StreamPosition> publish(String channel, Publication publication, ChannelOptions options) {
    boolean jsonSafe = RawJson.isValid(publication.data());
    var json = JsonReplyEncoder.push(new Push.Pub(channel, publication));
    eventBus.publish(Broker.address(channel),
        new ChannelMessage(ChannelMessage.Kind.PUBLICATION, channel, publication.offset(), json, jsonSafe));
    return Future.succeededFuture(NO_POSITION);
  }

  @Override
  public void publishJoin(String channel, ClientInfo info) {
    var json = JsonReplyEncoder.push(new Push.Join(channel, info));
    eventBus.publish(Broker.address(channel), new ChannelMessage(ChannelMessage.Kind.JOIN, channel, 0, json, true));
  }

  @Override
  public void publishLeave(String channel, ClientInfo info) {
    var json = JsonReplyEncoder.push(new Push.Leave(channel, info));
    eventBus.publish(Broker.address(channel), new ChannelMessage(ChannelMessage.Kind.LEAVE, channel, 0, json, true));
  }
}
