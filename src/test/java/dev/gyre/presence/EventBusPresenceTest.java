package dev.gyre.presence;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

/** The presence verticle behind the event bus passes the same contract. */
class EventBusPresenceTest extends PresenceStoreContract {
  private Vertx vertx;

  @Override
  protected PresenceStore store() {
    vertx = Vertx.vertx();
    await(vertx.deployVerticle(new PresenceVerticle(new MemoryPresenceStore())));
    return new EventBusPresence(vertx.eventBus());
  }

  @AfterEach
  void close() {
    if (vertx != null) await(vertx.close());
  }
}
