package dev.gyre.transport;

import dev.gyre.hub.Hub;
import dev.gyre.node.Node;
import dev.gyre.protocol.Disconnect;
import dev.gyre.session.ClientSession;
import dev.gyre.session.SessionRegistry;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Applies server-API control messages (disconnect, unsubscribe, subscribe, refresh) to the
 * sessions of one transport verticle instance, and answers surveys about it (counts, channels).
 * Runs on that instance's event loop.
 */
final class NodeControl {
  private final SessionRegistry registry;
  private final Hub hub;
  private final Node node;

  NodeControl(SessionRegistry registry, Hub hub, Node node) {
    this.registry = registry;
    this.hub = hub;
    this.node = node;
  }

  void onControl(Message<JsonObject> msg) {
    JsonObject c = msg.body();
    List<ClientSession> targets = targets(c);
    switch (c.getString("op", "")) {
      case "disconnect" -> {
        JsonArray whitelist = c.getJsonArray("whitelist", new JsonArray());
        Disconnect d = new Disconnect(c.getInteger("code"), c.getString("reason"));
        for (ClientSession s : targets) if (!whitelist.contains(s.clientId())) s.close(d);
      }
      case "unsubscribe" -> {
        String channel = c.getString("channel", "");
        for (ClientSession s : targets) {
          if (channel.isEmpty()) s.serverUnsubscribeAll(2000, "server unsubscribe");
          else s.serverUnsubscribe(channel, 2000, "server unsubscribe");
        }
      }
      case "subscribe" -> {
        for (ClientSession s : targets) {
          s.serverSubscribe(c.getString("channel"), bytes(c, "info"), bytes(c, "data"), c.getLong("expire_at", 0L));
        }
      }
      case "refresh" -> {
        for (ClientSession s : targets) {
          s.serverRefresh(c.getBoolean("expired", false), c.getLong("expire_at", 0L), bytes(c, "info"));
        }
      }
      default -> { }
    }
  }

  private List<ClientSession> targets(JsonObject c) {
    String client = c.getString("client", "");
    List<ClientSession> candidates;
    if (!client.isEmpty()) {
      ClientSession s = registry.byClient(client);
      candidates = s == null ? List.of() : List.of(s);
    } else {
      candidates = registry.byUser(c.getString("user", ""));
    }
    String user = c.getString("user", "");
    List<ClientSession> out = new ArrayList<>();
    for (ClientSession s : candidates) if (s.user().equals(user) && s.isConnected()) out.add(s);
    return out;
  }

  private static byte[] bytes(JsonObject c, String key) {
    String b64 = c.getString(key);
    return b64 == null ? null : Base64.getDecoder().decode(b64);
  }

  /** Answers a survey: {"op":"stats"} or {"op":"channels"}. */
  void onSurvey(Message<JsonObject> msg) {
    String op = msg.body().getString("op", "");
    if (op.equals("channels")) {
      JsonObject channels = new JsonObject();
      for (Map.Entry<String, Integer> e : hub.channelCounts().entrySet()) channels.put(e.getKey(), e.getValue());
      msg.reply(new JsonObject().put("channels", channels));
    } else {
      msg.reply(new JsonObject()
          .put("num_clients", registry.numClients())
          .put("users", new JsonArray(new ArrayList<>(registry.users())))
          .put("channels", new JsonArray(new ArrayList<>(hub.channelCounts().keySet())))
          .put("num_subs", registry.numSubscriptions())
          .put("node", node.id()));
    }
  }
}
