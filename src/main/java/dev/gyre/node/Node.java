package dev.gyre.node;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one node knows about itself across its transport verticle instances: identity, uptime,
 * node-wide connection counters (for the connection limits) and the event-bus addresses of its
 * hubs (for surveys such as info and channels). Thread-safe: it is the only state the verticle
 * instances share, and it holds counters, never client state.
 */
public final class Node {
  /** Event-bus address every transport instance consumes for server-API control messages. */
  public static final String CONTROL_ADDRESS = "gyre.control";

  private final String id = UUID.randomUUID().toString();
  private final String name;
  private final long startedAtMillis = System.currentTimeMillis();
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, AtomicInteger> userConnections = new ConcurrentHashMap<>();
  private final List<String> hubAddresses = new CopyOnWriteArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final AtomicInteger anonymousClients = new AtomicInteger();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final Map<String, Integer> channelRefs = new ConcurrentHashMap<>();
  private volatile int nodes = 1;
  private volatile java.util.Set<String> liveNodes = java.util.Set.of();
  private volatile boolean shuttingDown;

  public Node(String name) {
    this.name = name;
  }

  public String id() { return id; }
  public String name() { return name; }
  public long uptimeSeconds() { return (System.currentTimeMillis() - startedAtMillis) / 1000; }

  /** Counts a new transport connection unless the node-wide limit (0 = none) is reached. */
  public boolean tryAcquireConnection(int limit) {
    while (true) {
      int n = connections.get();
      if (limit > 0 && n >= limit) return false;
      if (connections.compareAndSet(n, n + 1)) return true;
    }
  }

  public void releaseConnection() {
    connections.decrementAndGet();
  }

  /** Counts an authenticated connection of a user unless the per-user limit (0 = none) is reached. */
  public boolean tryAcquireUser(String user, int limit) {
    if (user.isEmpty()) return true;
    boolean[] acquired = {true};
    userConnections.compute(user, (u, c) -> {
      int n = c == null ? 0 : c.get();
      if (limit > 0 && n >= limit) {
        acquired[0] = false;
        return c;
      }
      AtomicInteger counter = c == null ? new AtomicInteger() : c;
      counter.incrementAndGet();
      return counter;
    });
    return acquired[0];
  }

  public void releaseUser(String user) {
    if (user.isEmpty()) return;
    userConnections.computeIfPresent(user, (u, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  /** An authenticated connection (for the node gauges). */
  public void clientConnected(String user) {
    clients.incrementAndGet();
    if (user.isEmpty()) anonymousClients.incrementAndGet();
  }

  public void clientDisconnected(String user) {
    clients.decrementAndGet();
    if (user.isEmpty()) anonymousClients.decrementAndGet();
  }

  public void subscriptionAdded() { subscriptions.incrementAndGet(); }
  public void subscriptionRemoved() { subscriptions.decrementAndGet(); }

  /** A hub of this node started (or stopped) receiving a channel. */
  public void channelUsed(String channel) { channelRefs.merge(channel, 1, Integer::sum); }
  public void channelUnused(String channel) { channelRefs.computeIfPresent(channel, (c, n) -> n <= 1 ? null : n - 1); }

  public int numClients() { return clients.get(); }
  /** Distinct users; all anonymous connections count as one user. */
  public int numUsers() { return userConnections.size() + (anonymousClients.get() > 0 ? 1 : 0); }
  public int numSubscriptions() { return subscriptions.get(); }
  public int numChannels() { return channelRefs.size(); }
  public int numNodes() { return nodes; }
  public void numNodes(int n) { nodes = n; }

  /** The ids of the live nodes of the cluster, as the node verticle last heard them. */
  public void liveNodes(java.util.Set<String> ids) { liveNodes = java.util.Set.copyOf(ids); }

  /** Whether the id is this node or a live node of its cluster. */
  public boolean knows(String nodeId) { return id.equals(nodeId) || liveNodes.contains(nodeId); }

  public void addHub(String address) { hubAddresses.add(address); }
  public void removeHub(String address) { hubAddresses.remove(address); }
  public List<String> hubAddresses() { return List.copyOf(hubAddresses); }

  public boolean shuttingDown() { return shuttingDown; }
  public void markShuttingDown() { shuttingDown = true; }
}
