package dev.gyre.protocol.json;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * A minimal append-only JSON writer into a Vert.x {@link Buffer}. It writes keys in the order
 * given, escapes strings, and embeds raw payloads verbatim with raw newlines removed so that
 * newline framing stays unambiguous (spec/client-protocol.md §1.3).
 */
public final class JsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Buffer out;
  private boolean needComma;

  public JsonWriter(Buffer out) {
    this.out = out;
  }

  public static JsonWriter create(int capacity) {
    return new JsonWriter(Buffer.buffer(capacity));
  }

  public Buffer buffer() { return out; }

  public JsonWriter beginObject() {
    comma();
    out.appendByte((byte) '{');
    needComma = false;
    return this;
  }

  public JsonWriter endObject() {
    out.appendByte((byte) '}');
    needComma = true;
    return this;
  }

  public JsonWriter beginArray() {
    comma();
    out.appendByte((byte) '[');
    needComma = false;
    return this;
  }

  public JsonWriter endArray() {
    out.appendByte((byte) ']');
    needComma = true;
    return this;
  }

  public JsonWriter key(String name) {
    comma();
    string(name);
    out.appendByte((byte) ':');
    needComma = false;
    return this;
  }

  public JsonWriter value(String s) {
    comma();
    string(s);
    needComma = true;
    return this;
  }

  public JsonWriter value(long n) {
    comma();
    out.appendString(Long.toString(n));
    needComma = true;
    return this;
  }

  public JsonWriter value(double n) {
    comma();
    out.appendString(Double.toString(n));
    needComma = true;
    return this;
  }

  public JsonWriter value(boolean b) {
    comma();
    out.appendString(b ? "true" : "false");
    needComma = true;
    return this;
  }

  /** Embeds an already-valid JSON value, dropping raw newline bytes. */
  public JsonWriter raw(byte[] json) {
    comma();
    int start = 0;
    for (int i = 0; i < json.length; i++) {
      if (json[i] == '\n') {
        if (i > start) out.appendBytes(json, start, i - start);
        start = i + 1;
      }
    }
    if (start < json.length) out.appendBytes(json, start, json.length - start);
    needComma = true;
    return this;
  }

  /** Writes a bare byte sequence (such as a pre-encoded object) as the next value. */
  public JsonWriter rawBuffer(Buffer json) {
    comma();
    out.appendBuffer(json);
    needComma = true;
    return this;
  }

  // Convenience for the "omit defaults" rule.
  public JsonWriter field(String name, String v) { return v == null || v.isEmpty() ? this : key(name).value(v); }
  public JsonWriter field(String name, long v) { return v == 0 ? this : key(name).value(v); }
  public JsonWriter field(String name, boolean v) { return v ? key(name).value(true) : this; }
  public JsonWriter rawField(String name, byte[] v) { return v == null || v.length == 0 ? this : key(name).raw(v); }

  private void comma() {
    if (needComma) out.appendByte((byte) ',');
  }

  private void string(String s) {
    out.appendByte((byte) '"');
    int len = s.length();
    int runStart = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        if (i > runStart) out.appendString(s.substring(runStart, i));
        escape(c);
        runStart = i + 1;
      }
    }
    if (runStart < len) out.appendString(runStart == 0 ? s : s.substring(runStart));
    out.appendByte((byte) '"');
  }

  private void escape(char c) {
    switch (c) {
      case '"' -> out.appendString("\\\"");
      case '\\' -> out.appendString("\\\\");
      case '\n' -> out.appendString("\\n");
      case '\r' -> out.appendString("\\r");
      case '\t' -> out.appendString("\\t");
      default -> {
        out.appendString("\\u00");
        out.appendByte(HEX[(c >> 4) & 0xF]);
        out.appendByte(HEX[c & 0xF]);
      }
    }
  }
}
