package dev.gyre.protocol.json;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/**
 * Encodes replies and pushes in Centrifugo's JSON mapping (spec/client-protocol.md §1.3): proto
 * field names in snake_case, keys in field-number order, defaults omitted except the
 * always-present fields, raw JSON payloads embedded as they are.
 */
public final class JsonReplyEncoder {
  /** The server ping: an empty reply. */
  public static final Buffer PING = Buffer.buffer("{}");

  private JsonReplyEncoder() {}

  public static Buffer error(long id, ErrorCode error) {
    JsonWriter w = JsonWriter.create(96).beginObject();
    w.field("id", id);
    w.key("error").beginObject().key("code").value(error.code()).key("message").value(error.message());
    w.field("temporary", error.temporary());
    return w.endObject().endObject().buffer();
  }

  public static Buffer reply(long id, Result result) {
    JsonWriter w = JsonWriter.create(128).beginObject();
    w.field("id", id);
    if (result instanceof Result.Connect r) {
      w.key("connect");
      connect(w, r);
    } else if (result instanceof Result.Subscribe r) {
      w.key("subscribe");
      subscribe(w, r);
    } else if (result instanceof Result.Unsubscribe) {
      w.key("unsubscribe").beginObject().endObject();
    } else if (result instanceof Result.Publish) {
      w.key("publish").beginObject().endObject();
    } else if (result instanceof Result.Presence r) {
      w.key("presence").beginObject().key("presence").beginObject();
      for (Map.Entry<String, ClientInfo> e : r.presence().entrySet()) {
        w.key(e.getKey());
        clientInfo(w, e.getValue());
      }
      w.endObject().endObject();
    } else if (result instanceof Result.PresenceStats r) {
      w.key("presence_stats").beginObject().key("num_clients").value(r.numClients())
          .key("num_users").value(r.numUsers()).endObject();
    } else if (result instanceof Result.History r) {
      w.key("history").beginObject().key("publications");
      publications(w, r.publications());
      w.key("epoch").value(r.epoch() == null ? "" : r.epoch()).key("offset").value(r.offset()).endObject();
    } else if (result instanceof Result.Rpc r) {
      w.key("rpc").beginObject().rawField("data", r.data()).endObject();
    } else if (result instanceof Result.Refresh r) {
      w.key("refresh").beginObject().field("client", r.client()).field("version", r.version())
          .field("expires", r.expires()).field("ttl", r.ttl()).endObject();
    } else if (result instanceof Result.SubRefresh r) {
      w.key("sub_refresh").beginObject().field("expires", r.expires()).field("ttl", r.ttl()).endObject();
    } else {
      throw new IllegalArgumentException("unknown result " + result);
    }
    return w.endObject().buffer();
  }

  /** A push wrapped in a reply, as bidirectional transports carry it. */
  public static Buffer push(Push push) {
    JsonWriter w = JsonWriter.create(128).beginObject().key("push");
    pushBody(w, push);
    return w.endObject().buffer();
  }

  /** A push alone, as unidirectional transports carry it. */
  public static Buffer barePush(Push push) {
    JsonWriter w = JsonWriter.create(128);
    pushBody(w, push);
    return w.buffer();
  }

  private static void pushBody(JsonWriter w, Push push) {
    w.beginObject();
    if (push instanceof Push.Pub p) {
      w.field("channel", p.channel()).key("pub");
      publication(w, p.publication());
    } else if (push instanceof Push.Join p) {
      w.field("channel", p.channel()).key("join").beginObject().key("info");
      clientInfo(w, p.info());
      w.endObject();
    } else if (push instanceof Push.Leave p) {
      w.field("channel", p.channel()).key("leave").beginObject().key("info");
      clientInfo(w, p.info());
      w.endObject();
    } else if (push instanceof Push.Unsubscribe p) {
      w.field("channel", p.channel()).key("unsubscribe").beginObject()
          .field("code", p.code()).field("reason", p.reason()).endObject();
    } else if (push instanceof Push.Message p) {
      w.key("message").beginObject().rawField("data", p.data()).endObject();
    } else if (push instanceof Push.Subscribe p) {
      w.field("channel", p.channel()).key("subscribe").beginObject()
          .field("recoverable", p.recoverable()).field("epoch", p.epoch()).field("offset", p.offset())
          .field("positioned", p.positioned()).rawField("data", p.data()).endObject();
    } else if (push instanceof Push.Disconnect p) {
      w.key("disconnect").beginObject().field("code", p.code()).field("reason", p.reason()).endObject();
    } else {
      throw new IllegalArgumentException("unknown push " + push);
    }
    w.endObject();
  }

  static void connect(JsonWriter w, Result.Connect r) {
    w.beginObject().field("client", r.client()).field("version", r.version())
        .field("expires", r.expires()).field("ttl", r.ttl()).rawField("data", r.data());
    if (r.subs() != null && !r.subs().isEmpty()) {
      w.key("subs").beginObject();
      for (Map.Entry<String, Result.Subscribe> e : r.subs().entrySet()) {
        w.key(e.getKey());
        subscribe(w, e.getValue());
      }
      w.endObject();
    }
    w.field("ping", r.ping()).field("pong", r.pong()).field("session", r.session()).field("node", r.node())
        .field("time", r.time()).endObject();
  }

  static void subscribe(JsonWriter w, Result.Subscribe r) {
    w.beginObject().field("expires", r.expires()).field("ttl", r.ttl()).field("recoverable", r.recoverable())
        .field("epoch", r.epoch());
    if (r.publications() != null && !r.publications().isEmpty()) {
      w.key("publications");
      publications(w, r.publications());
    }
    w.field("recovered", r.recovered()).field("offset", r.offset()).field("positioned", r.positioned())
        .rawField("data", r.data()).field("was_recovering", r.wasRecovering()).endObject();
  }

  public static void publications(JsonWriter w, List<Publication> pubs) {
    w.beginArray();
    for (Publication p : pubs) publication(w, p);
    w.endArray();
  }

  public static void publication(JsonWriter w, Publication p) {
    w.beginObject().rawField("data", p.data());
    if (p.info() != null) {
      w.key("info");
      clientInfo(w, p.info());
    }
    w.field("offset", p.offset());
    if (!p.tags().isEmpty()) {
      w.key("tags").beginObject();
      for (Map.Entry<String, String> t : p.tags().entrySet()) w.key(t.getKey()).value(t.getValue());
      w.endObject();
    }
    w.endObject();
  }

  public static void clientInfo(JsonWriter w, ClientInfo info) {
    w.beginObject().key("user").value(info.user()).key("client").value(info.client())
        .rawField("conn_info", info.connInfo()).rawField("chan_info", info.chanInfo()).endObject();
  }
}
