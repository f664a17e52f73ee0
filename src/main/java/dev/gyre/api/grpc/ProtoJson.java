package dev.gyre.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Converts between server-API Protobuf messages and the request/result trees the HTTP API uses
 * ({@link dev.gyre.api.ApiExecutor}). The schema's field names are the JSON keys, so the mapping
 * is generic over descriptors: {@code bytes} fields are raw {@code byte[]} payloads (as
 * {@link dev.gyre.api.ApiJson} stores them), maps are objects, repeated fields arrays, 64-bit
 * and unsigned integers {@code long}s. Proto3 fields left at their default are absent, as
 * fields a JSON caller did not send.
 */
public final class ProtoJson {
  private ProtoJson() {}

  /** The request tree of a message: only fields that are set. */
  public static JsonObject toJson(MessageOrBuilder m) {
    JsonObject o = new JsonObject();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      o.put(f.getName(), fieldToJson(f, e.getValue()));
    }
    return o;
  }

  private static Object fieldToJson(FieldDescriptor f, Object value) {
    if (f.isMapField()) {
      JsonObject map = new JsonObject();
      FieldDescriptor k = f.getMessageType().findFieldByNumber(1);
      FieldDescriptor v = f.getMessageType().findFieldByNumber(2);
      for (Object entry : (List<?>) value) {
        Message e = (Message) entry;
        map.put(String.valueOf(e.getField(k)), scalarToJson(v, e.getField(v)));
      }
      return map;
    }
    if (f.isRepeated()) {
      JsonArray a = new JsonArray();
      for (Object item : (List<?>) value) a.add(scalarToJson(f, item));
      return a;
    }
    return scalarToJson(f, value);
  }

  private static Object scalarToJson(FieldDescriptor f, Object value) {
    return switch (f.getType()) {
      case MESSAGE, GROUP -> toJson((Message) value);
      case BYTES -> ((ByteString) value).toByteArray();
      case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) value);
      case INT32, SINT32, SFIXED32 -> ((Integer) value).longValue();
      case ENUM -> value.toString();
      default -> value; // String, Boolean, Long, Double, Float
    };
  }

  /** Fills the builder from a result tree; keys the message does not have are ignored. */
  public static <B extends Message.Builder> B fromJson(JsonObject o, B builder) {
    Descriptor d = builder.getDescriptorForType();
    for (Map.Entry<String, Object> e : o.getMap().entrySet()) {
      FieldDescriptor f = d.findFieldByName(e.getKey());
      Object v = e.getValue();
      if (f == null || v == null) continue;
      if (f.isMapField()) {
        FieldDescriptor k = f.getMessageType().findFieldByNumber(1);
        FieldDescriptor val = f.getMessageType().findFieldByNumber(2);
        for (Map.Entry<String, Object> entry : object(v).getMap().entrySet()) {
          if (entry.getValue() == null) continue;
          Message.Builder eb = builder.newBuilderForField(f);
          eb.setField(k, entry.getKey());
          eb.setField(val, scalarFromJson(val, entry.getValue(), eb));
          builder.addRepeatedField(f, eb.build());
        }
      } else if (f.isRepeated()) {
        for (Object item : array(v).getList()) { // raw values: iteration would base64 byte[]
          if (item != null) builder.addRepeatedField(f, scalarFromJson(f, item, builder));
        }
      } else {
        builder.setField(f, scalarFromJson(f, v, builder));
      }
    }
    return builder;
  }

  private static Object scalarFromJson(FieldDescriptor f, Object v, Message.Builder parent) {
    return switch (f.getJavaType()) {
      case MESSAGE -> fromJson(object(v), parent.newBuilderForField(f)).build();
      case BYTE_STRING -> v instanceof byte[] b ? ByteString.copyFrom(b)
          : ByteString.copyFrom(String.valueOf(v), StandardCharsets.UTF_8);
      case STRING -> String.valueOf(v);
      case BOOLEAN -> (Boolean) v;
      case INT -> ((Number) v).intValue();
      case LONG -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case FLOAT -> ((Number) v).floatValue();
      case ENUM -> f.getEnumType().findValueByName(String.valueOf(v));
    };
  }

  @SuppressWarnings("unchecked")
  private static JsonObject object(Object v) {
    if (v instanceof JsonObject o) return o;
    if (v instanceof Map<?, ?> m) return new JsonObject((Map<String, Object>) m);
    throw new IllegalArgumentException("expected an object, got " + v.getClass().getSimpleName());
  }

  @SuppressWarnings("unchecked")
  private static JsonArray array(Object v) {
    if (v instanceof JsonArray a) return a;
    if (v instanceof List<?> l) return new JsonArray((List<Object>) l);
    throw new IllegalArgumentException("expected an array, got " + v.getClass().getSimpleName());
  }
}
