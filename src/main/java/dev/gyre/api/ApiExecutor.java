package dev.gyre.api;

import dev.gyre.broker.Broker;
import dev.gyre.broker.PublishOptions;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.StreamOptions;
import dev.gyre.history.UnrecoverablePositionException;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.channel.ChannelRules;
import dev.gyre.config.ChannelOptions;
import dev.gyre.config.GyreConfig;
import dev.gyre.node.Node;
import dev.gyre.node.NodeMetrics;
import dev.gyre.node.NodeVerticle;
import dev.gyre.history.HistoryStore;
import dev.gyre.presence.PresenceStore;
import dev.gyre.server.Services;
import dev.gyre.node.Version;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.ProtocolException;
import dev.gyre.protocol.Publication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one method table of the server API (spec/server-api.md §6). HTTP and gRPC decode into the
 * same request objects and call {@link #execute}; neither has logic of its own. A method's
 * future succeeds with its result object, or fails with an {@link ApiException}. Thread-safe.
 */
public final class ApiExecutor {
  /** Method names in the order that decides which key of a batch command counts. */
  public static final List<String> METHODS = List.of("publish", "broadcast", "subscribe", "unsubscribe", "disconnect",
      "history", "history_remove", "presence", "presence_stats", "info", "rpc", "refresh", "channels");

  private static final DeliveryOptions SURVEY = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private final GyreConfig config;
  private final Broker broker;
  private final Node node;
  private final ChannelRules rules;
  private final HistoryStore history;
  private final PresenceStore presence;
  private final String protocol;
  private final NodeMetrics metrics;
  /** Each method's duration series, looked up once (publish is on the hot path). */
  private final Map<String, NodeMetrics.Durations> durations = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, BiFunction<ApiExecutor, ApiRequest, Future<JsonObject>>> table = Map.ofEntries(
      Map.entry("publish", ApiExecutor::publish),
      Map.entry("broadcast", ApiExecutor::broadcast),
      Map.entry("subscribe", ApiExecutor::subscribe),
      Map.entry("unsubscribe", ApiExecutor::unsubscribe),
      Map.entry("disconnect", ApiExecutor::disconnect),
      Map.entry("refresh", ApiExecutor::refresh),
      Map.entry("presence", ApiExecutor::presence),
      Map.entry("presence_stats", ApiExecutor::presenceStats),
      Map.entry("history", ApiExecutor::history),
      Map.entry("history_remove", ApiExecutor::historyRemove),
      Map.entry("info", ApiExecutor::info),
      Map.entry("channels", ApiExecutor::channels),
      Map.entry("rpc", ApiExecutor::rpc));

  /** An executor for the HTTP API. */
  public ApiExecutor(Vertx vertx, Services services) {
    this(vertx, services, "http");
  }

  /** @param protocol the metrics label of the callers: http or grpc */
  public ApiExecutor(Vertx vertx, Services services, String protocol) {
    this.protocol = protocol;
    this.metrics = services.metrics();
    this.vertx = vertx;
    this.config = services.config();
    this.broker = services.broker();
    this.node = services.node();
    this.history = services.history();
    this.presence = services.presence();
    this.rules = new ChannelRules(config);
  }

  public boolean knows(String method) {
    return table.containsKey(method);
  }

  /** Runs one method. Unknown methods fail with 104. */
  public Future<JsonObject> execute(String method, JsonObject request) {
    var fn = table.get(method);
    if (fn == null) return Future.failedFuture(new ApiException(ApiError.NOT_FOUND));
    long started = System.nanoTime();
    Future<JsonObject> result;
    try {
      result = fn.apply(this, new ApiRequest(request));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onComplete(ar -> {
      durations.computeIfAbsent(method, m -> metrics.apiCommand(protocol, m)).since(started);
      if (ar.failed()) {
        ApiError e = ar.cause() instanceof ApiException a ? a.error() : ApiError.INTERNAL;
        metrics.apiCommandError(protocol, method, e.name().toLowerCase(java.util.Locale.ROOT));
      }
    });
  }

  /**
   * Runs a batch (spec/server-api.md §6.14): {@code {"commands":[...], "parallel":bool}} answers
   * {@code {"replies":[...]}} with one reply per command in request order, or {@code {}} for no
   * commands. Each reply is {@code {"<method>": result}} or {@code {"error": ...}}; the first known
   * method key of a command decides, none is 104. Never fails: errors live in the replies.
   */
  public Future<JsonObject> batch(JsonObject request) {
    Object commands = request.getValue("commands");
    if (commands != null && !(commands instanceof JsonArray)) {
      return Future.succeededFuture(errorObject(new ApiException(ApiError.BAD_REQUEST)));
    }
    JsonArray list = commands == null ? new JsonArray() : (JsonArray) commands;
    if (list.isEmpty()) return Future.succeededFuture(new JsonObject());
    boolean parallel = Boolean.TRUE.equals(request.getValue("parallel"));
    List<JsonObject> replies = new ArrayList<>();
    Future<Void> done = parallel ? runParallel(list, replies) : runSequential(list, 0, replies);
    return done.transform(ar -> Future.succeededFuture(new JsonObject().put("replies", new JsonArray(new ArrayList<>(replies)))));
  }

  private Future<Void> runSequential(JsonArray list, int i, List<JsonObject> replies) {
    if (i >= list.size()) return Future.succeededFuture();
    return batchCommand(list.getValue(i)).compose(reply -> {
      replies.add(reply);
      return runSequential(list, i + 1, replies);
    });
  }

  private Future<Void> runParallel(JsonArray list, List<JsonObject> replies) {
    List<Future<JsonObject>> all = new ArrayList<>();
    for (Object cmd : list) all.add(batchCommand(cmd));
    return Future.join(all).transform(ar -> {
      for (Future<JsonObject> f : all) replies.add(f.result());
      return Future.succeededFuture();
    });
  }

  /** One batch command: the first known method key decides; never fails. */
  private Future<JsonObject> batchCommand(Object cmd) {
    if (!(cmd instanceof JsonObject c)) return Future.succeededFuture(errorObject(new ApiException(ApiError.BAD_REQUEST)));
    for (String method : METHODS) {
      if (c.getValue(method) instanceof JsonObject req) {
        return execute(method, req).map(res -> new JsonObject().put(method, res)).otherwise(ApiExecutor::errorObject);
      }
    }
    return Future.succeededFuture(errorObject(new ApiException(ApiError.NOT_FOUND)));
  }

  private ChannelOptions namespace(String channel) {
    if (channel.isEmpty()) throw ApiRequest.bad();
    try {
      return rules.options(channel);
    } catch (ProtocolException e) {
      throw new ApiException(ApiError.UNKNOWN_CHANNEL);
    }
  }

  private Future<JsonObject> publish(ApiRequest r) {
    String channel = r.string("channel");
    byte[] data = r.payload("data", "b64data");
    return publishTo(channel, data, r);
  }

  private Future<JsonObject> publishTo(String channel, byte[] data, ApiRequest r) {
    ChannelOptions o = namespace(channel);
    if (!o.subscriptionType().isEmpty() && !o.subscriptionType().equals("stream")) throw ApiRequest.bad();
    if (!ChannelRules.payloadAllowed(o, data)) throw ApiRequest.bad();
    Publication pub = new Publication(data, null, 0, r.stringMap("tags"));
    long version = r.number("version");
    if (version < 0) throw ApiRequest.bad();
    PublishOptions po = new PublishOptions(r.bool("skip_history"), r.string("idempotency_key"), version,
        r.string("version_epoch"));
    r.bool("delta");
    return broker.publish(channel, pub, o, po).recover(ApiExecutor::internal).map(pos -> {
      JsonObject result = new JsonObject();
      if (pos.offset() > 0) result.put("offset", pos.offset());
      if (!pos.epoch().isEmpty()) result.put("epoch", pos.epoch());
      return result;
    });
  }

  private Future<JsonObject> broadcast(ApiRequest r) {
    List<String> channels = r.strings("channels");
    if (channels.isEmpty()) throw ApiRequest.bad();
    byte[] data = r.payload("data", "b64data");
    r.stringMap("tags");
    List<Future<JsonObject>> each = new ArrayList<>();
    for (String ch : channels) {
      Future<JsonObject> f;
      try {
        f = publishTo(ch, data, r);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      each.add(f.map(res -> new JsonObject().put("result", res)).recover(err -> Future.succeededFuture(errorObject(err))));
    }
    return Future.join(each).map(v -> {
      JsonArray responses = new JsonArray();
      for (Future<JsonObject> f : each) responses.add(f.result());
      return new JsonObject().put("responses", responses);
    });
  }

  private Future<JsonObject> subscribe(ApiRequest r) {
    String channel = r.string("channel");
    namespace(channel);
    JsonObject control = target(r, "subscribe").put("channel", channel).put("expire_at", r.number("expire_at"));
    byte[] info = r.payload("info", "b64info");
    byte[] data = r.payload("data", "b64data");
    r.object("override");
    if (info != null) control.put("info", Base64.getEncoder().encodeToString(info));
    if (data != null) control.put("data", Base64.getEncoder().encodeToString(data));
    return control(control);
  }

  private Future<JsonObject> unsubscribe(ApiRequest r) {
    String channel = r.string("channel");
    if (!channel.isEmpty()) namespace(channel);
    return control(target(r, "unsubscribe").put("channel", channel));
  }

  private Future<JsonObject> disconnect(ApiRequest r) {
    JsonObject d = r.object("disconnect");
    int code = DisconnectCode.FORCE_DISCONNECT.code();
    String reason = DisconnectCode.FORCE_DISCONNECT.reason();
    if (d != null) {
      ApiRequest dr = new ApiRequest(d);
      long c = dr.number("code");
      if (c < 0 || c > 4999) throw ApiRequest.bad();
      if (c > 0) {
        code = (int) c;
        reason = dr.string("reason");
      }
    }
    if (reason.isEmpty() || reason.length() > 123) reason = DisconnectCode.FORCE_DISCONNECT.reason();
    return control(target(r, "disconnect").put("code", code).put("reason", reason)
        .put("whitelist", new JsonArray(r.strings("whitelist"))));
  }

  private Future<JsonObject> refresh(ApiRequest r) {
    JsonObject control = target(r, "refresh").put("expired", r.bool("expired")).put("expire_at", r.number("expire_at"));
    byte[] info = r.payload("info", null);
    if (info != null) control.put("info", Base64.getEncoder().encodeToString(info));
    return control(control);
  }

  private static JsonObject target(ApiRequest r, String op) {
    return new JsonObject().put("op", op).put("user", r.string("user")).put("client", r.string("client"))
        .put("session", r.string("session"));
  }

  private Future<JsonObject> control(JsonObject message) {
    vertx.eventBus().publish(Node.CONTROL_ADDRESS, message);
    return Future.succeededFuture(new JsonObject());
  }

  private Future<JsonObject> presence(ApiRequest r) {
    String channel = r.string("channel");
    ChannelOptions o = namespace(channel);
    if (!o.presence()) throw new ApiException(ApiError.NOT_AVAILABLE);
    return presence.presence(channel).map(entries -> {
      JsonObject out = new JsonObject();
      entries.forEach((client, info) -> out.put(client, clientInfo(info)));
      return new JsonObject().put("presence", out);
    }).recover(ApiExecutor::internal);
  }

  private Future<JsonObject> presenceStats(ApiRequest r) {
    String channel = r.string("channel");
    ChannelOptions o = namespace(channel);
    if (!o.presence()) throw new ApiException(ApiError.NOT_AVAILABLE);
    return presence.stats(channel).map(st -> new JsonObject().put("num_clients", st.numClients())
        .put("num_users", st.numUsers())).recover(ApiExecutor::internal);
  }

  static JsonObject clientInfo(ClientInfo info) {
    JsonObject o = new JsonObject().put("user", info.user()).put("client", info.client());
    if (info.connInfo() != null) o.put("conn_info", info.connInfo());
    if (info.chanInfo() != null) o.put("chan_info", info.chanInfo());
    return o;
  }

  private Future<JsonObject> history(ApiRequest r) {
    String channel = r.string("channel");
    ChannelOptions o = namespace(channel);
    if (!o.historyEnabled()) throw new ApiException(ApiError.NOT_AVAILABLE);
    long limit = r.number("limit");
    if (limit < -1 || limit > Integer.MAX_VALUE) throw ApiRequest.bad();
    boolean reverse = r.bool("reverse");
    StreamPosition since = null;
    JsonObject s = r.object("since");
    if (s != null) {
      ApiRequest sr = new ApiRequest(s);
      long offset = sr.number("offset");
      if (offset < 0) throw ApiRequest.bad();
      since = new StreamPosition(offset, sr.string("epoch"));
      if (reverse && offset == 0) throw new ApiException(ApiError.INTERNAL);
    }
    StreamOptions so = new StreamOptions(o.historySize(), o.historyTtl(), o.historyMetaTtl());
    return history.read(channel, new HistoryQuery((int) limit, since, reverse), so).map(page -> {
      JsonArray pubs = new JsonArray();
      for (Publication p : page.publications()) {
        JsonObject pub = new JsonObject();
        if (p.data() != null && p.data().length > 0) pub.put("data", p.data());
        if (p.info() != null) pub.put("info", clientInfo(p.info()));
        if (p.offset() > 0) pub.put("offset", p.offset());
        if (!p.tags().isEmpty()) pub.put("tags", new JsonObject(new java.util.LinkedHashMap<>(p.tags())));
        pubs.add(pub);
      }
      return new JsonObject().put("publications", pubs).put("epoch", page.top().epoch())
          .put("offset", page.top().offset());
    }).recover(err -> Future.failedFuture(err instanceof UnrecoverablePositionException
        ? new ApiException(ApiError.UNRECOVERABLE_POSITION) : new ApiException(ApiError.INTERNAL)));
  }

  private Future<JsonObject> historyRemove(ApiRequest r) {
    String channel = r.string("channel");
    ChannelOptions o = namespace(channel);
    if (!o.historyEnabled()) throw new ApiException(ApiError.NOT_AVAILABLE);
    return history.remove(channel).map(v -> new JsonObject()).recover(ApiExecutor::internal);
  }

  private static <T> Future<T> internal(Throwable err) {
    return Future.failedFuture(err instanceof ApiException ? err : new ApiException(ApiError.INTERNAL));
  }

  private Future<JsonObject> rpc(ApiRequest r) {
    if (r.string("method").isEmpty()) throw ApiRequest.bad();
    r.payload("params", null);
    throw new ApiException(ApiError.NOT_FOUND);
  }

  /** The live nodes as the node verticle knows them (fresh counts for this node). */
  private Future<JsonObject> nodes() {
    return vertx.eventBus().<JsonObject>request(NodeVerticle.INFO, new JsonObject(), SURVEY).map(m -> m.body());
  }

  private Future<JsonObject> info(ApiRequest r) {
    return nodes().recover(ApiExecutor::internal);
  }

  /** Channels with subscribers across the cluster: each live node answers for its own. */
  private Future<JsonObject> channels(ApiRequest r) {
    String pattern = r.string("pattern");
    Pattern compiled;
    try {
      compiled = pattern.isEmpty() ? null : ChannelPattern.compile(pattern);
    } catch (RuntimeException e) {
      throw new ApiException(ApiError.INTERNAL);
    }
    return nodes().compose(info -> {
      List<Future<Message<JsonObject>>> parts = new ArrayList<>();
      for (String id : NodeVerticle.ids(info)) {
        parts.add(vertx.eventBus().request(NodeVerticle.channelsAddress(id), new JsonObject(), SURVEY));
      }
      return Future.all(parts).map(v -> {
        JsonObject merged = new JsonObject();
        for (Future<Message<JsonObject>> f : parts) {
          for (Map.Entry<String, Object> e : f.result().body().getJsonObject("channels")) {
            if (compiled != null && !compiled.matcher(e.getKey()).matches()) continue;
            JsonObject prev = merged.getJsonObject(e.getKey());
            int n = ((Number) e.getValue()).intValue() + (prev == null ? 0 : prev.getInteger("num_clients"));
            merged.put(e.getKey(), new JsonObject().put("num_clients", n));
          }
        }
        return new JsonObject().put("channels", merged);
      });
    }).recover(ApiExecutor::internal);
  }

  /** The error object of a failed call: {"error":{"code":N,"message":"..."}}. */
  public static JsonObject errorObject(Throwable err) {
    ApiError e = err instanceof ApiException a ? a.error() : ApiError.INTERNAL;
    return new JsonObject().put("error", new JsonObject().put("code", e.code()).put("message", e.message()));
  }
}
