package dev.gyre.presence;

import dev.gyre.protocol.ClientInfo;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/** The JSON form of presence requests and entries on the event bus (payloads as base64). */
final class PresenceMessages {
  static final String ADDRESS = "gyre.presence";

  private PresenceMessages() {}

  static JsonObject info(ClientInfo i) {
    JsonObject o = new JsonObject().put("user", i.user()).put("client", i.client());
    if (i.connInfo() != null) o.put("conn_info", Base64.getEncoder().encodeToString(i.connInfo()));
    if (i.chanInfo() != null) o.put("chan_info", Base64.getEncoder().encodeToString(i.chanInfo()));
    return o;
  }

  static ClientInfo info(JsonObject o) {
    return new ClientInfo(o.getString("user"), o.getString("client"), bytes(o, "conn_info"), bytes(o, "chan_info"));
  }

  private static byte[] bytes(JsonObject o, String key) {
    String s = o.getString(key);
    return s == null ? null : Base64.getDecoder().decode(s);
  }
}
