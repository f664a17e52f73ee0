package dev.gyre.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gyre.protocol.json.JsonWriter;
import dev.gyre.protocol.json.RawJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON for the server API. Payload fields ({@code data}, {@code info}, {@code params}) are kept
 * as the exact bytes the caller sent (spec/server-api.md §4) and stored in the tree as
 * {@code byte[]}; on output, {@code byte[]} values are written back as raw JSON.
 */
public final class ApiJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final Set<String> RAW_KEYS = Set.of("data", "info", "params", "conn_info", "chan_info", "meta");

  private ApiJson() {}

  /**
   * Where payload keys are taken raw: only inside request objects — the body of
   * {@code /api/<method>}, each command's request in a batch, each {@code params} of the legacy
   * envelope — so that envelope keys that share a name ({@code info}, {@code params}) are not.
   */
  public enum Shape { REQUEST, BATCH, LEGACY }

  private enum Role { PLAIN, REQUEST, BATCH_ROOT, BATCH_COMMANDS, BATCH_COMMAND, LEGACY_ROOT }

  /** Parses one JSON object; throws {@link IllegalArgumentException} when the body is not one. */
  public static JsonObject parseObject(byte[] body, Shape shape) {
    List<Object> values = parseAll(body, shape);
    if (values.size() != 1 || !(values.get(0) instanceof JsonObject o)) {
      throw new IllegalArgumentException("expected one JSON object");
    }
    return o;
  }

  /** Parses a sequence of JSON values, one after another (the legacy endpoint's body). */
  public static List<Object> parseAll(byte[] body, Shape shape) {
    Role root = switch (shape) {
      case REQUEST -> Role.REQUEST;
      case BATCH -> Role.BATCH_ROOT;
      case LEGACY -> Role.LEGACY_ROOT;
    };
    List<Object> out = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) out.add(value(p, t, body, false, root));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("invalid JSON", e);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("empty body");
    return out;
  }

  private static Object value(JsonParser p, JsonToken t, byte[] src, boolean raw, Role role) throws IOException {
    if (raw) {
      long start = p.currentTokenLocation().getByteOffset();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) p.skipChildren();
      else p.finishToken();
      long end = p.currentLocation().getByteOffset();
      return Arrays.copyOfRange(src, (int) start, (int) end);
    }
    switch (t) {
      case START_OBJECT -> {
        JsonObject o = new JsonObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          boolean rawValue = role == Role.REQUEST && RAW_KEYS.contains(name) && v != JsonToken.VALUE_NULL;
          o.put(name, value(p, v, src, rawValue, childRole(role, name)));
        }
        return o;
      }
      case START_ARRAY -> {
        JsonArray a = new JsonArray();
        JsonToken v;
        Role itemRole = role == Role.BATCH_COMMANDS ? Role.BATCH_COMMAND : Role.PLAIN;
        while ((v = p.nextToken()) != JsonToken.END_ARRAY) a.add(value(p, v, src, false, itemRole));
        return a;
      }
      case VALUE_STRING -> { return p.getText(); }
      case VALUE_NUMBER_INT -> { return p.getNumberValue(); }
      case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
      case VALUE_TRUE -> { return true; }
      case VALUE_FALSE -> { return false; }
      case VALUE_NULL -> { return null; }
      default -> throw new IllegalArgumentException("unexpected token " + t);
    }
  }

  private static Role childRole(Role parent, String key) {
    return switch (parent) {
      case BATCH_ROOT -> key.equals("commands") ? Role.BATCH_COMMANDS : Role.PLAIN;
      case BATCH_COMMAND -> Role.REQUEST;
      case LEGACY_ROOT -> key.equals("params") ? Role.REQUEST : Role.PLAIN;
      default -> Role.PLAIN;
    };
  }

  /** A payload that is not JSON met while encoding a JSON answer. */
  public static final class NotJsonException extends RuntimeException {
    NotJsonException() {
      super("payload is not JSON", null, false, false);
    }
  }

  /** Encodes a tree whose byte[] values are raw JSON; throws {@link NotJsonException} for others. */
  public static Buffer encode(Object value) {
    JsonWriter w = JsonWriter.create(128);
    write(w, value);
    return w.buffer();
  }

  static void write(JsonWriter w, Object v) {
    if (v instanceof JsonObject o) {
      w.beginObject();
      for (Map.Entry<String, Object> e : o.getMap().entrySet()) {
        w.key(e.getKey());
        write(w, e.getValue());
      }
      w.endObject();
    } else if (v instanceof JsonArray a) {
      w.beginArray();
      for (Object item : a.getList()) write(w, item);
      w.endArray();
    } else if (v instanceof byte[] raw) {
      // A binary payload (published with b64data) cannot be embedded in JSON.
      if (raw.length > 0 && !RawJson.isValid(raw)) throw new NotJsonException();
      w.raw(raw);
    } else if (v instanceof String s) {
      w.value(s);
    } else if (v instanceof Boolean b) {
      w.value(b);
    } else if (v instanceof Double || v instanceof Float) {
      w.value(((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      w.value(n.longValue());
    } else if (v == null) {
      w.rawBuffer(Buffer.buffer("null"));
    } else {
      throw new IllegalArgumentException("cannot encode " + v.getClass());
    }
  }
}
