package dev.gyre.presence;

import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Who is in a channel: client id → {@link ClientInfo} (spec/client-protocol.md §6).
 *
 * <p>Contract: {@link #add} replaces an entry with the same client id; {@link #remove} of an
 * absent entry succeeds; reads reflect every add and remove whose future has completed.
 * Futures complete on the caller's context.
 */
public interface PresenceStore {

  Future<Void> add(String channel, ClientInfo info);

  Future<Void> remove(String channel, String clientId);

  Future<Map<String, ClientInfo>> presence(String channel);

  Future<PresenceStats> stats(String channel);
}
