package dev.gyre.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one node tells the others, and what it knows of them. Every {@value #HEARTBEAT_MS} ms it
 * gathers its hubs' counts and publishes them on {@value #HEARTBEATS}; it keeps the last
 * heartbeat of every node and forgets a node silent for {@value #EXPIRY_MS} ms (Centrifugo's
 * 3 s / 7 s). It answers, for the server API, the node list ({@value #INFO}, local) and this
 * node's channels (its own address, for cluster-wide surveys).
 */
public final class NodeVerticle extends VerticleBase {
  public static final String HEARTBEATS = "gyre.nodes";
  public static final String INFO = "gyre.node.info";
  static final long HEARTBEAT_MS = 3000;
  static final long EXPIRY_MS = 7000;
  private static final DeliveryOptions SURVEY = new DeliveryOptions().setSendTimeout(5000);

  private final Node node;
  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();
  private final Map<String, Long> seen = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long timer = -1;

  public NodeVerticle(Node node) {
    this.node = node;
  }

  /** The event-bus address where a node answers for its channels. */
  public static String channelsAddress(String nodeId) {
    return "gyre.node." + nodeId + ".channels";
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(HEARTBEATS, m -> onHeartbeat(m.body())));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(INFO, this::onInfo));
    consumers.add(vertx.eventBus().<JsonObject>consumer(channelsAddress(node.id()), this::onChannels));
    timer = vertx.setPeriodic(0, HEARTBEAT_MS, t -> heartbeat());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void heartbeat() {
    localStats().onSuccess(info -> vertx.eventBus().publish(HEARTBEATS, info));
  }

  private void onHeartbeat(JsonObject info) {
    String id = info.getString("uid");
    nodes.put(id, info);
    seen.put(id, System.currentTimeMillis());
    node.numNodes(nodes.size());
    node.liveNodes(nodes.keySet());
  }

  /** The node list: fresh counts for this node, the last heartbeat of every other live node. */
  private void onInfo(Message<JsonObject> msg) {
    long now = System.currentTimeMillis();
    seen.entrySet().removeIf(e -> {
      boolean dead = now - e.getValue() > EXPIRY_MS && !e.getKey().equals(node.id());
      if (dead) nodes.remove(e.getKey());
      return dead;
    });
    node.numNodes(nodes.size());
    node.liveNodes(nodes.keySet());
    localStats().onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(500, "survey failed");
        return;
      }
      onHeartbeat(ar.result());
      msg.reply(new JsonObject().put("nodes", new JsonArray(new ArrayList<>(nodes.values()))));
    });
  }

  private void onChannels(Message<JsonObject> msg) {
    survey("channels").onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(500, "survey failed");
        return;
      }
      JsonObject merged = new JsonObject();
      for (JsonObject part : ar.result()) {
        part.getJsonObject("channels").forEach(e ->
            merged.put(e.getKey(), merged.getInteger(e.getKey(), 0) + ((Number) e.getValue()).intValue()));
      }
      msg.reply(new JsonObject().put("channels", merged));
    });
  }

  /** This node's counts, summed over its transport instances. */
  private Future<JsonObject> localStats() {
    return survey("stats").map(parts -> {
      int clients = 0;
      int subs = 0;
      Set<String> users = new HashSet<>();
      Set<String> channels = new HashSet<>();
      for (JsonObject p : parts) {
        clients += p.getInteger("num_clients");
        subs += p.getInteger("num_subs");
        for (Object u : p.getJsonArray("users")) users.add((String) u);
        for (Object c : p.getJsonArray("channels")) channels.add((String) c);
      }
      JsonObject info = new JsonObject().put("uid", node.id()).put("name", node.name())
          .put("version", Version.REPORTED).put("num_clients", clients).put("num_users", users.size())
          .put("num_channels", channels.size());
      if (node.uptimeSeconds() > 0) info.put("uptime", node.uptimeSeconds());
      return info.put("num_subs", subs);
    });
  }

  private Future<List<JsonObject>> survey(String op) {
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (String hub : node.hubAddresses()) {
      replies.add(vertx.eventBus().request(hub, new JsonObject().put("op", op), SURVEY));
    }
    return Future.all(replies).map(v -> {
      List<JsonObject> out = new ArrayList<>();
      for (Future<Message<JsonObject>> f : replies) out.add(f.result().body());
      return out;
    });
  }

  /** Ids of the nodes heard from recently (this one included). */
  public static List<String> ids(JsonObject info) {
    List<String> out = new ArrayList<>();
    for (Object n : info.getJsonArray("nodes")) out.add(((JsonObject) n).getString("uid"));
    return out;
  }
}
