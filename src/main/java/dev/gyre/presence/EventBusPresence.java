package dev.gyre.presence;

import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link PresenceStore} every session and the API use: requests to the presence verticle
 * over the event bus. Requests from one context reach the verticle in the order they are sent,
 * so a session's add always precedes its remove. Thread-safe.
 */
public final class EventBusPresence implements PresenceStore {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(5000);

  private final EventBus eventBus;

  public EventBusPresence(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  private Future<JsonObject> request(JsonObject body) {
    return eventBus.<JsonObject>request(PresenceMessages.ADDRESS, body, OPTIONS).map(m -> m.body());
  }

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    return request(new JsonObject().put("op", "add").put("channel", channel).put("info", PresenceMessages.info(info)))
        .mapEmpty();
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    return request(new JsonObject().put("op", "remove").put("channel", channel).put("client", clientId)).mapEmpty();
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    return request(new JsonObject().put("op", "presence").put("channel", channel)).map(o -> {
      Map<String, ClientInfo> out = new LinkedHashMap<>();
      for (String client : o.fieldNames()) out.put(client, PresenceMessages.info(o.getJsonObject(client)));
      return out;
    });
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    return request(new JsonObject().put("op", "stats").put("channel", channel))
        .map(o -> new PresenceStats(o.getInteger("num_clients"), o.getInteger("num_users")));
  }
}
