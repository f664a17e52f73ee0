package dev.gyre.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The connected sessions of one transport verticle instance, by client id and by user. Event-loop confined. */
public final class SessionRegistry {
  private final Map<String, ClientSession> byClient = new LinkedHashMap<>();
  private final Map<String, Set<ClientSession>> byUser = new HashMap<>();
  private final Set<ClientSession> open = new HashSet<>();

  /** Tracks a transport connection from its first byte (for shutdown and counts). */
  void opened(ClientSession s) { open.add(s); }

  /** Registers a session once it has authenticated. */
  void connected(ClientSession s) {
    byClient.put(s.clientId(), s);
    byUser.computeIfAbsent(s.user(), u -> new HashSet<>()).add(s);
  }

  void closed(ClientSession s) {
    open.remove(s);
    if (byClient.remove(s.clientId()) != null) {
      Set<ClientSession> set = byUser.get(s.user());
      if (set != null && set.remove(s) && set.isEmpty()) byUser.remove(s.user());
    }
  }

  public List<ClientSession> all() { return new ArrayList<>(open); }

  public ClientSession byClient(String client) { return byClient.get(client); }

  public List<ClientSession> byUser(String user) {
    Set<ClientSession> s = byUser.get(user);
    return s == null ? List.of() : new ArrayList<>(s);
  }

  public int numClients() { return byClient.size(); }

  public Set<String> users() { return new HashSet<>(byUser.keySet()); }

  public int numSubscriptions() {
    int n = 0;
    for (ClientSession s : byClient.values()) n += s.numSubscriptions();
    return n;
  }
}
