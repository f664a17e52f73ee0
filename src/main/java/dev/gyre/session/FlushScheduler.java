package dev.gyre.session;

import io.vertx.core.Vertx;

import java.util.ArrayList;

/**
 * Flushes the sessions of one transport verticle instance that have queued messages, once per
 * event-loop turn, with one task for all of them. A publication to 1,000 local subscribers thus
 * costs one scheduled task, not 1,000, and messages queued for a session during the turn still
 * go out together as one frame. Owned by the instance's event loop.
 */
public final class FlushScheduler {
  private final Vertx vertx;
  private ArrayList<ClientSession> dirty = new ArrayList<>();
  private ArrayList<ClientSession> spare = new ArrayList<>();
  private boolean scheduled;

  public FlushScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Flushes the session at the end of this turn (once, however often it is called). */
  void schedule(ClientSession session) {
    dirty.add(session);
    if (!scheduled) {
      scheduled = true;
      vertx.runOnContext(v -> run());
    }
  }

  private void run() {
    scheduled = false;
    ArrayList<ClientSession> batch = dirty;
    dirty = spare;
    for (int i = 0; i < batch.size(); i++) batch.get(i).flushScheduled();
    batch.clear();
    spare = batch;
  }
}
