package dev.gyre.presence;

import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Presence in memory, without TTL: entries go when the client unsubscribes or disconnects.
 * Not thread-safe: the presence verticle is its only user.
 */
public final class MemoryPresenceStore implements PresenceStore {
  private final Map<String, Map<String, ClientInfo>> channels = new HashMap<>();

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    channels.computeIfAbsent(channel, c -> new LinkedHashMap<>()).put(info.client(), info);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    Map<String, ClientInfo> m = channels.get(channel);
    if (m != null && m.remove(clientId) != null && m.isEmpty()) channels.remove(channel);
    return Future.succeededFuture();
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    Map<String, ClientInfo> m = channels.get(channel);
    return Future.succeededFuture(m == null ? Map.of() : Map.copyOf(m));
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    Map<String, ClientInfo> m = channels.getOrDefault(channel, Map.of());
    Set<String> users = new HashSet<>();
    for (ClientInfo i : m.values()) users.add(i.user());
    return Future.succeededFuture(new PresenceStats(m.size(), users.size()));
  }
}
