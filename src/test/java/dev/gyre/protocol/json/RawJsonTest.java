package dev.gyre.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Unit tests for {@link RawJson}. */
class RawJsonTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "[]", "{\"a\":1}", "[1,\"x\",null,true,false,{\"b\":[]}]", "1", "0", "-1.5e-3", "1.50", "1e3",
      "\"\"", "\"s\\n\\u00e9\u00e9\"", "true", "false", "null",
      " {\"a\":1} ", "\n[1,\n2]\n", "\t\r\n\"x\"\r\n", "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
      "123456789012345678901234567890",
  })
  void validValues(String s) {
    assertThat(RawJson.isValid(s.getBytes(UTF_8))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "\n", "\t\r\n",                             // empty / whitespace only
      "{}{}", "1 2", "[] []", "{} x", "\"a\" \"b\"", "{},", "true false", // two values / trailing garbage
      "{", "[", "{\"a\":1", "[1,2", "\"abc", "{\"a\":", "{\"a\"", "tru", "nul", "fals", "-", "1.", "1e", // truncated
      "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}", "NaN", "Infinity", "01", "+1", ".5", "truex", "\"\\x\"",
      "\"a\tb\"", "\"a\nb\"", "/* c */ 1", "1 // c", "}", "]", ":", ",",
  })
  void invalidValues(String s) {
    assertThat(RawJson.isValid(s.getBytes(UTF_8))).isFalse();
  }

  @Test
  void nullAndEmptyAreInvalid() {
    assertThat(RawJson.isValid(null)).isFalse();
    assertThat(RawJson.isValid(new byte[0])).isFalse();
    assertThat(RawJson.isObject(null)).isFalse();
    assertThat(RawJson.isObject(new byte[0])).isFalse();
  }

  @Test
  void binaryBytesAreInvalid() {
    assertThat(RawJson.isValid(new byte[] {0x00})).isFalse();
    assertThat(RawJson.isValid(new byte[] {0x00, 0x01, 0x02})).isFalse();
    assertThat(RawJson.isValid(new byte[] {(byte) 0xff, (byte) 0xfe})).isFalse();
    assertThat(RawJson.isValid(new byte[] {0x0a, 0x03, 0x66, 0x6f, 0x6f})).isFalse(); // protobuf bytes
    assertThat(RawJson.isValid(new byte[] {'"', (byte) 0xff, '"'})).as("invalid UTF-8 in a string").isFalse();
    assertThat(RawJson.isValid(new byte[] {'"', (byte) 0xc3, '"'})).as("truncated UTF-8 sequence").isFalse();
    assertThat(RawJson.isValid(new byte[] {'[', '"', (byte) 0xff, '"', ']'})).isFalse();
    assertThat(RawJson.isValid(new byte[] {'{', '"', 'a', '"', ':', (byte) 0x80, '}'})).isFalse();
  }

  @Test
  void validUtf8IsValid() {
    assertThat(RawJson.isValid("{\"\u00e9\":\"\u65e5\ud83d\ude00\"}".getBytes(UTF_8))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", " {}", "\n\t\r {\"a\":[1]} \n", "{\"a\":{}}"})
  void objects(String s) {
    assertThat(RawJson.isObject(s.getBytes(UTF_8))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{}]", "\"{}\"", "1", "true", "null", "{", "{}{}", "{} 1", " ", "", "{\"a\":}"})
  void notObjects(String s) {
    assertThat(RawJson.isObject(s.getBytes(UTF_8))).isFalse();
  }

  @Test
  void captureReturnsExactValueBytesWithinAnOffsetRegion() throws Exception {
    String outer = "xx{\"k\": [1, {\"a\" : \"b\"}] , \"n\": 1.50 ,\"s\":\"q\\\"\u00e9\",\"t\":true}yy";
    byte[] src = outer.getBytes(UTF_8);
    int off = 2;
    int len = src.length - 4;
    try (JsonParser p = RawJson.FACTORY.createParser(src, off, len)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
      p.nextToken();
      assertThat(new String(RawJson.capture(p, src, off), UTF_8)).isEqualTo("[1, {\"a\" : \"b\"}]");
      assertThat(p.currentToken()).isEqualTo(JsonToken.END_ARRAY);
      assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
      p.nextToken();
      assertThat(new String(RawJson.capture(p, src, off), UTF_8)).isEqualTo("1.50");
      assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
      p.nextToken();
      assertThat(new String(RawJson.capture(p, src, off), UTF_8)).isEqualTo("\"q\\\"\u00e9\"");
      assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
      p.nextToken();
      assertThat(new String(RawJson.capture(p, src, off), UTF_8)).isEqualTo("true");
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(p.nextToken()).isNull();
    }
  }
}
