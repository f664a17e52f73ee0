package dev.gyre.protocol.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Unit tests for {@link JsonWriter}: structure, commas, omission helpers, escaping, raw embedding. */
class JsonWriterTest {

  static String str(JsonWriter w) {
    return w.buffer().toString(UTF_8);
  }

  @Test
  void emptyObjectAndArray() {
    assertThat(str(JsonWriter.create(8).beginObject().endObject())).isEqualTo("{}");
    assertThat(str(JsonWriter.create(8).beginArray().endArray())).isEqualTo("[]");
  }

  @Test
  void commasBetweenMembersAndElements() {
    JsonWriter w = JsonWriter.create(64).beginObject()
        .key("a").beginArray().value(1).value("x").beginObject().endObject().beginArray().endArray().value(true)
        .value(false).endArray()
        .key("b").value(-5)
        .key("c").beginObject().key("d").beginObject().endObject().key("e").value("").endObject()
        .endObject();
    assertThat(str(w)).isEqualTo("{\"a\":[1,\"x\",{},[],true,false],\"b\":-5,\"c\":{\"d\":{},\"e\":\"\"}}");
  }

  @Test
  void numbers() {
    assertThat(str(JsonWriter.create(8).beginArray().value(0).value(Long.MAX_VALUE).value(Long.MIN_VALUE).endArray()))
        .isEqualTo("[0,9223372036854775807,-9223372036854775808]");
    assertThat(str(JsonWriter.create(8).value(1.5))).isEqualTo("1.5");
    assertThat(new JsonArray(JsonWriter.create(8).beginArray().value(1e300).value(-0.25).endArray().buffer())
        .getDouble(0)).isEqualTo(1e300);
  }

  @Test
  void fieldHelpersOmitDefaults() {
    JsonWriter w = JsonWriter.create(64).beginObject()
        .field("s0", (String) null).field("s1", "").field("s2", "v")
        .field("l0", 0L).field("l1", 7L).field("l2", -1L)
        .field("b0", false).field("b1", true)
        .rawField("r0", null).rawField("r1", new byte[0]).rawField("r2", "[1]".getBytes(UTF_8))
        .endObject();
    assertThat(str(w)).isEqualTo("{\"s2\":\"v\",\"l1\":7,\"l2\":-1,\"b1\":true,\"r2\":[1]}");
  }

  @Test
  void allDefaultFieldsGiveEmptyObject() {
    JsonWriter w = JsonWriter.create(8).beginObject().field("a", "").field("b", 0L).field("c", false)
        .rawField("d", null).endObject();
    assertThat(str(w)).isEqualTo("{}");
  }

  @Test
  void rawIsVerbatimExceptNewlines() {
    String payload = "{ \"a\" :\t[1,\r\n 2.50, 1e3, \"\\u00e9\u00e9\\n\"] }";
    assertThat(str(JsonWriter.create(8).beginArray().raw(payload.getBytes(UTF_8)).value(1).endArray()))
        .isEqualTo("[{ \"a\" :\t[1,\r 2.50, 1e3, \"\\u00e9\u00e9\\n\"] },1]");
  }

  @Test
  void rawKeepsNonNewlineBytesIncludingNonUtf8() {
    byte[] raw = {'"', (byte) 0xff, 0x00, '\n', 0x7f, '"'};
    Buffer out = JsonWriter.create(8).raw(raw).buffer();
    assertThat(out.getBytes()).isEqualTo(new byte[] {'"', (byte) 0xff, 0x00, 0x7f, '"'});
  }

  @Test
  void rawRemovesEveryNewlineForRandomPayloads() {
    Random rnd = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] raw = new byte[rnd.nextInt(40)];
      for (int j = 0; j < raw.length; j++) raw[j] = rnd.nextInt(4) == 0 ? (byte) '\n' : (byte) (rnd.nextInt(256));
      byte[] out = JsonWriter.create(8).raw(raw).buffer().getBytes();
      java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
      for (byte x : raw) if (x != '\n') expected.write(x);
      assertThat(out).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void rawBufferIsAppendedAsAValue() {
    Buffer inner = Buffer.buffer("{\"x\":1}");
    assertThat(str(JsonWriter.create(8).beginArray().value(0).rawBuffer(inner).rawBuffer(inner).endArray()))
        .isEqualTo("[0,{\"x\":1},{\"x\":1}]");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(str(JsonWriter.create(8).value("\"\\/"))).isEqualTo("\"\\\"\\\\/\"");
    assertThat(str(JsonWriter.create(8).value("\n\r\t"))).isEqualTo("\"\\n\\r\\t\"");
    assertThat(str(JsonWriter.create(8).value("\u0000\u0001\b\f\u000b\u001f\u007f")))
        .isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u000b\\u001f\u007f\"");
    assertThat(str(JsonWriter.create(8).value("plain"))).isEqualTo("\"plain\"");
    assertThat(str(JsonWriter.create(8).value(""))).isEqualTo("\"\"");
    assertThat(str(JsonWriter.create(8).value("x\"y\"z"))).isEqualTo("\"x\\\"y\\\"z\"");
  }

  @Test
  void keysAreEscapedToo() {
    assertThat(str(JsonWriter.create(8).beginObject().key("a\"\n").value(1).endObject()))
        .isEqualTo("{\"a\\\"\\n\":1}");
  }

  @Test
  void nonAsciiIsUtf8() {
    String s = "\u00e9\u65e5\ud83d\ude00";
    Buffer out = JsonWriter.create(8).value(s).buffer();
    assertThat(out.getBytes()).isEqualTo(("\"" + s + "\"").getBytes(UTF_8));
  }

  @Test
  void everyControlCharacterIsEscapedAndRoundTrips() {
    for (char c = 0; c < 0x20; c++) {
      String s = "a" + c + "b";
      Buffer out = JsonWriter.create(8).beginObject().key("k").value(s).endObject().buffer();
      for (byte x : out.getBytes()) assertThat(x & 0xff).as("char %d", (int) c).isGreaterThanOrEqualTo(0x20);
      assertThat(new JsonObject(out).getString("k")).isEqualTo(s);
    }
  }

  @Test
  void randomStringsRoundTrip() {
    Random rnd = new Random(7);
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(30);
      for (int j = 0; j < n; j++) {
        switch (rnd.nextInt(6)) {
          case 0 -> sb.append((char) rnd.nextInt(0x20));
          case 1 -> sb.append(rnd.nextBoolean() ? '"' : '\\');
          case 2 -> sb.append((char) (0x20 + rnd.nextInt(0x60)));
          case 3 -> sb.append((char) (0x80 + rnd.nextInt(0xD800 - 0x80)));
          case 4 -> sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
          default -> sb.append((char) (0xE000 + rnd.nextInt(0x2000)));
        }
      }
      String s = sb.toString();
      Buffer out = JsonWriter.create(16).beginObject().key(s).value(s).endObject().buffer();
      assertThat(out.getBytes()).doesNotContain((byte) '\n');
      JsonObject o = new JsonObject(out);
      assertThat(o.getString(s)).isEqualTo(s);
    }
  }

  @Test
  void writesIntoAGivenBuffer() {
    Buffer b = Buffer.buffer("prefix:");
    new JsonWriter(b).beginObject().key("a").value(1).endObject();
    assertThat(b.toString(UTF_8)).isEqualTo("prefix:{\"a\":1}");
  }
}
