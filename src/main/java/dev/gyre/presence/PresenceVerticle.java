package dev.gyre.presence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The only writer of presence: owns a {@link PresenceStore} on its own event loop and answers
 * add, remove, presence and stats requests on the event bus ({@value PresenceMessages#ADDRESS}).
 */
public final class PresenceVerticle extends VerticleBase {
  private final PresenceStore store;
  private MessageConsumer<JsonObject> consumer;

  public PresenceVerticle(PresenceStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    // Local: each node asks its own presence verticle, whatever store is behind it.
    consumer = vertx.eventBus().localConsumer(PresenceMessages.ADDRESS, this::handle);
    return consumer.completion();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject m = msg.body();
    String channel = m.getString("channel");
    Future<?> f = switch (m.getString("op", "")) {
      case "add" -> store.add(channel, PresenceMessages.info(m.getJsonObject("info"))).map(v -> new JsonObject());
      case "remove" -> store.remove(channel, m.getString("client")).map(v -> new JsonObject());
      case "presence" -> store.presence(channel).map(PresenceVerticle::toJson);
      case "stats" -> store.stats(channel).map(s -> new JsonObject().put("num_clients", s.numClients())
          .put("num_users", s.numUsers()));
      default -> Future.failedFuture("unknown presence op");
    };
    f.onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else msg.fail(500, "presence failure");
    });
  }

  private static JsonObject toJson(Map<String, dev.gyre.protocol.ClientInfo> presence) {
    JsonObject out = new JsonObject();
    presence.forEach((client, info) -> out.put(client, PresenceMessages.info(info)));
    return out;
  }
}
