package dev.gyre.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/** Typed reads of a server API request object; any type mismatch is a 107 bad request. */
final class ApiRequest {
  private final JsonObject o;

  ApiRequest(JsonObject o) {
    this.o = o == null ? new JsonObject() : o;
  }

  /** The stored value without Vert.x's wrapping (which would turn raw byte[] payloads into base64). */
  private Object raw(String key) {
    return o.getMap().get(key);
  }

  String string(String key) {
    Object v = raw(key);
    if (v == null) return "";
    if (v instanceof String s) return s;
    throw bad();
  }

  boolean bool(String key) {
    Object v = raw(key);
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    throw bad();
  }

  long number(String key) {
    Object v = raw(key);
    if (v == null) return 0;
    if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) return n.longValue();
    throw bad();
  }

  /** A payload: base64 variant wins when non-empty; otherwise the raw JSON bytes, or null. */
  byte[] payload(String rawKey, String b64Key) {
    String b64 = b64Key == null ? "" : string(b64Key);
    if (!b64.isEmpty()) {
      try {
        return Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw bad();
      }
    }
    Object v = raw(rawKey);
    if (v == null) return null;
    if (v instanceof byte[] raw) return raw;
    return io.vertx.core.json.Json.encode(v).getBytes(StandardCharsets.UTF_8);
  }

  List<String> strings(String key) {
    Object v = raw(key);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw bad();
    List<String> out = new ArrayList<>();
    for (Object item : a) {
      if (!(item instanceof String s)) throw bad();
      out.add(s);
    }
    return out;
  }

  Map<String, String> stringMap(String key) {
    Object v = raw(key);
    if (v == null) return Map.of();
    if (!(v instanceof JsonObject m)) throw bad();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m) {
      if (!(e.getValue() instanceof String s)) throw bad();
      out.put(e.getKey(), s);
    }
    return out;
  }

  JsonObject object(String key) {
    Object v = raw(key);
    if (v == null) return null;
    if (v instanceof JsonObject j) return j;
    throw bad();
  }

  static ApiException bad() {
    return new ApiException(ApiError.BAD_REQUEST);
  }
}
