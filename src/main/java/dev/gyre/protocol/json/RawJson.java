package dev.gyre.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;

/** Helpers for reading raw JSON values out of a streaming parser over a byte array. */
public final class RawJson {
  static final JsonFactory FACTORY = JsonFactory.builder().build();

  private RawJson() {}

  /**
   * Returns the exact bytes of the value at the parser's current token and leaves the parser on
   * the value's last token. The parser must read from {@code source} directly.
   */
  static byte[] capture(JsonParser p, byte[] source, int sourceOffset) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    long end = p.currentLocation().getByteOffset();
    return Arrays.copyOfRange(source, sourceOffset + (int) start, sourceOffset + (int) end);
  }

  /** Whether the bytes are exactly one valid JSON value (with optional surrounding whitespace). */
  public static boolean isValid(byte[] bytes) {
    if (bytes == null || bytes.length == 0) return false;
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) return false;
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether the bytes are one valid JSON object. */
  public static boolean isObject(byte[] bytes) {
    if (!isValid(bytes)) return false;
    for (byte b : bytes) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
      return b == '{';
    }
    return false;
  }
}
