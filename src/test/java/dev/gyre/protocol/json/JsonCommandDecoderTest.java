package dev.gyre.protocol.json;

import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.StreamPosition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unit tests for {@link JsonCommandDecoder} against spec/client-protocol.md §1.2, §1.3, §2, §8. */
class JsonCommandDecoderTest {

  // ---------------------------------------------------------------------------------------------
  // helpers

  static List<Command> decode(String frame) {
    return JsonCommandDecoder.decodeFrame(frame.getBytes(UTF_8));
  }

  static Command decodeOne(String frame) {
    List<Command> cmds = decode(frame);
    assertThat(cmds).hasSize(1);
    return cmds.get(0);
  }

  static void assertBadRequest(byte[] frame) {
    assertThatThrownBy(() -> JsonCommandDecoder.decodeFrame(frame))
        .isInstanceOfSatisfying(DisconnectException.class, e -> {
          assertThat(e.disconnect().code()).isEqualTo(3501);
          assertThat(e.disconnect().reason()).isEqualTo("bad request");
        });
  }

  static void assertBadRequest(String frame) {
    assertBadRequest(frame.getBytes(UTF_8));
  }

  /** Asserts the raw payload is exactly {@code expected}, which must occur verbatim in {@code frame}. */
  static void assertRaw(byte[] actual, String frame, String expected) {
    assertThat(frame).contains(expected);
    assertThat(actual).as("raw payload bytes").isNotNull();
    assertThat(new String(actual, UTF_8)).isEqualTo(expected);
    assertThat(actual).isEqualTo(expected.getBytes(UTF_8));
  }

  static <T extends Request> T request(Command c, Class<T> type) {
    assertThat(c.request()).isInstanceOf(type);
    return type.cast(c.request());
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class Framing {

    @Test
    void singleCommand() {
      Command c = decodeOne("{\"unsubscribe\":{\"channel\":\"chat:index\"},\"id\":12}");
      assertThat(c.id()).isEqualTo(12);
      assertThat(request(c, Request.Unsubscribe.class).channel()).isEqualTo("chat:index");
    }

    @Test
    void severalCommandsJoinedByNewlineAreReturnedInOrder() {
      String frame = "{\"connect\":{\"token\":\"<JWT>\",\"name\":\"js\"},\"id\":1}\n"
          + "{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}\n"
          + "{\"subscribe\":{\"channel\":\"news\",\"flag\":1},\"id\":3}\n"
          + "{}\n"
          + "{\"send\":{\"data\":1}}\n"
          + "{\"publish\":{\"channel\":\"chat:index\",\"data\":{\"text\":\"hi\"}},\"id\":4}";
      List<Command> cmds = decode(frame);
      assertThat(cmds).extracting(Command::id).containsExactly(1L, 2L, 3L, 0L, 0L, 4L);
      assertThat(cmds).<Object>extracting(c -> c.request().getClass()).containsExactly(
          Request.Connect.class, Request.Subscribe.class, Request.Subscribe.class, Request.Pong.class,
          Request.Send.class, Request.Publish.class);
      assertThat(((Request.Subscribe) cmds.get(1).request()).channel()).isEqualTo("chat:index");
      assertThat(((Request.Subscribe) cmds.get(2).request()).channel()).isEqualTo("news");
    }

    @Test
    void manyCommandsKeepOrder() {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= 1000; i++) {
        if (i > 1) sb.append('\n');
        sb.append("{\"presence\":{\"channel\":\"ch").append(i).append("\"},\"id\":").append(i).append('}');
      }
      List<Command> cmds = decode(sb.toString());
      assertThat(cmds).hasSize(1000);
      for (int i = 0; i < 1000; i++) {
        assertThat(cmds.get(i).id()).isEqualTo(i + 1);
        assertThat(((Request.Presence) cmds.get(i).request()).channel()).isEqualTo("ch" + (i + 1));
      }
    }

    @Test
    void singleTrailingNewlineIsTolerated() {
      assertThat(decode("{\"id\":1,\"presence\":{\"channel\":\"a\"}}\n")).hasSize(1);
      List<Command> two = decode("{\"id\":1,\"presence\":{\"channel\":\"a\"}}\n{\"id\":2,\"presence\":{\"channel\":\"b\"}}\n");
      assertThat(two).extracting(Command::id).containsExactly(1L, 2L);
    }

    @Test
    void pongWithTrailingNewline() {
      assertThat(decodeOne("{}\n").request()).isInstanceOf(Request.Pong.class);
    }

    @Test
    void whitespaceAroundTheObjectIsAllowed() {
      Command c = decodeOne("  \t{ \"id\" : 7 , \"presence\" : { \"channel\" : \"x\" } }\r ");
      assertThat(c.id()).isEqualTo(7);
      assertThat(request(c, Request.Presence.class).channel()).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                   // empty frame
        "\n",                                 // newline alone
        "\n\n",
        "{}\n\n",                             // two trailing newlines: the second line is empty
        "{\"id\":1,\"presence\":{}}\n\n{\"id\":2,\"presence\":{}}", // blank line in the middle
        "\n{\"id\":1,\"presence\":{}}",       // leading blank line
        " ",                                  // whitespace only
        "\t\r",
        "{\"id\":1,\"presence\":{}}\n ",      // second line whitespace only
        "{\"id\":1,\"presence\":{}}\n\r\n",
    })
    void emptyOrBlankLinesAreBadRequest(String frame) {
      assertBadRequest(frame);
    }

    @Test
    void prettyPrintedObjectSpanningLinesIsBadRequest() {
      // Newlines are the command separator (§1.2): a pretty-printed object is split into fragments.
      assertBadRequest("{\n\"id\":1,\n\"presence\":{\"channel\":\"a\"}\n}");
    }

    @Test
    void oneBadCommandRejectsTheWholeFrame() {
      assertBadRequest("{\"id\":1,\"presence\":{\"channel\":\"a\"}}\n{\"id\":2,\"presence\":{\"channel\":5}}");
      assertBadRequest("{\"id\":1,\"presence\":{\"channel\":\"a\"}}\n{\"id\":2,");
    }

    @Test
    void decodeCommandHonoursOffsetAndLength() {
      String prefix = "garbage{{{\n";
      String cmd = "{\"rpc\":{\"method\":\"m\",\"data\":[1, 2]},\"id\":11}";
      String frame = prefix + cmd + "\ntrailing}}}";
      byte[] bytes = frame.getBytes(UTF_8);
      Command c = JsonCommandDecoder.decodeCommand(bytes, prefix.length(), cmd.length());
      assertThat(c.id()).isEqualTo(11);
      Request.Rpc rpc = request(c, Request.Rpc.class);
      assertThat(rpc.method()).isEqualTo("m");
      assertRaw(rpc.data(), frame, "[1, 2]");
    }
  }

  @Nested
  class MalformedInput {

    @ParameterizedTest
    @ValueSource(strings = {
        "{",
        "}",
        "{\"id\":1",
        "{\"id\":1,",
        "{\"id\":1,}",
        "{\"id\":}",
        "{\"id\"}",
        "{\"id\" 1}",
        "{id:1}",
        "{'id':1}",
        "{\"id\":01}",
        "{\"id\":1}}",
        "{\"id\":1} x",
        "{\"id\":1}x",
        "{\"id\":1}{\"id\":2}",
        "{\"id\":1} {}",
        "{\"id\":1},",
        "[{\"id\":1}]",
        "[]",
        "1",
        "0",
        "-1",
        "1.5",
        "\"connect\"",
        "null",
        "true",
        "false",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":NaN}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":{\"a\":1,}}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":{\"a\":1}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":[1,2}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":\"x\ty\"}}",   // raw control char in a string
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":\"\\q\"}}",    // invalid escape
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":\"\\u12\"}}",  // short unicode escape
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":tru}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":nul}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":truex}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":-}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":1.}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":.5}}",
        "{\"id\":1,\"publish\":{\"channel\":\"a\",\"data\":+1}}",
        "{\"id\":1,\"foo\":[1,2}",                                      // malformed inside an ignored key
        "{\"id\":1,\"foo\":{\"a\":}}",
        "/* c */{\"id\":1}",
        "{\"id\":1}// c",
        "{\"id\":1,\"connect\":{\"name\":\"js\"}",
    })
    void malformedJsonIsBadRequest(String frame) {
      assertBadRequest(frame);
    }

    @Test
    void binaryGarbageIsBadRequest() {
      assertBadRequest(new byte[] {0x00});
      assertBadRequest(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b, 0x7d});
      assertBadRequest(new byte[] {0x08, 0x01, 0x22, 0x04, 0x22, 0x02, 0x6A, 0x73}); // protobuf connect (§8.11)
    }

    @Test
    void trailingGarbageAfterSecondCommandIsBadRequest() {
      assertBadRequest("{\"id\":1,\"presence\":{}}\n{\"id\":2,\"presence\":{}} 1");
    }
  }

  @Nested
  class WrongTypes {

    @ParameterizedTest
    @ValueSource(strings = {
        // id: u32
        "{\"id\":\"1\",\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":1.5,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":1.0,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":1e2,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":-1,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":4294967296,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":9223372036854775807,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":99999999999999999999999,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":true,\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":[1],\"presence\":{\"channel\":\"a\"}}",
        "{\"id\":{},\"presence\":{\"channel\":\"a\"}}",
        // request values that are not objects
        "{\"id\":1,\"connect\":[]}",
        "{\"id\":1,\"connect\":\"x\"}",
        "{\"id\":1,\"connect\":1}",
        "{\"id\":1,\"subscribe\":true}",
        "{\"id\":1,\"unsubscribe\":[]}",
        "{\"id\":1,\"publish\":\"x\"}",
        "{\"id\":1,\"presence\":1}",
        "{\"id\":1,\"presence_stats\":[]}",
        "{\"id\":1,\"history\":\"x\"}",
        "{\"id\":1,\"rpc\":1}",
        "{\"id\":1,\"send\":\"x\"}",
        "{\"send\":[]}",
        "{\"id\":1,\"refresh\":[]}",
        "{\"id\":1,\"sub_refresh\":1}",
        // strings
        "{\"id\":1,\"subscribe\":{\"channel\":1}}",
        "{\"id\":1,\"subscribe\":{\"channel\":true}}",
        "{\"id\":1,\"subscribe\":{\"channel\":[\"a\"]}}",
        "{\"id\":1,\"subscribe\":{\"channel\":{}}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"token\":1}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"epoch\":12}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"delta\":false}}",
        "{\"id\":1,\"unsubscribe\":{\"channel\":1}}",
        "{\"id\":1,\"publish\":{\"channel\":1}}",
        "{\"id\":1,\"presence\":{\"channel\":[]}}",
        "{\"id\":1,\"presence_stats\":{\"channel\":{}}}",
        "{\"id\":1,\"history\":{\"channel\":1}}",
        "{\"id\":1,\"rpc\":{\"method\":1}}",
        "{\"id\":1,\"refresh\":{\"token\":1}}",
        "{\"id\":1,\"sub_refresh\":{\"channel\":1}}",
        "{\"id\":1,\"sub_refresh\":{\"channel\":\"a\",\"token\":[]}}",
        "{\"id\":1,\"connect\":{\"token\":5}}",
        "{\"id\":1,\"connect\":{\"name\":1}}",
        "{\"id\":1,\"connect\":{\"version\":false}}",
        // u64 offsets
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"offset\":-1}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"offset\":\"5\"}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"offset\":1.5}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":{\"offset\":-1}}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":{\"offset\":\"1\"}}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":{\"epoch\":1}}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":5}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":[]}}",
        // booleans
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"recover\":\"true\"}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"recover\":1}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"positioned\":\"false\"}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"recoverable\":0}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"join_leave\":\"yes\"}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"reverse\":\"true\"}}",
        // i64 / i32
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"flag\":\"1\"}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"flag\":1.0}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"type\":\"1\"}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"type\":2147483648}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"type\":4294967296}}",
        "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"type\":-2147483649}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"limit\":\"10\"}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"limit\":2147483648}}",
        "{\"id\":1,\"history\":{\"channel\":\"a\",\"limit\":1.5}}",
        // maps
        "{\"id\":1,\"connect\":{\"subs\":[]}}",
        "{\"id\":1,\"connect\":{\"subs\":\"a\"}}",
        "{\"id\":1,\"connect\":{\"subs\":{\"ch\":5}}}",
        "{\"id\":1,\"connect\":{\"subs\":{\"ch\":[]}}}",
        "{\"id\":1,\"connect\":{\"subs\":{\"ch\":{\"offset\":-1}}}}",
        "{\"id\":1,\"connect\":{\"subs\":{\"ch\":{\"recover\":\"true\"}}}}",
    })
    void wrongTypesAreBadRequest(String frame) {
      assertBadRequest(frame);
    }

    @Test
    void boundaryValuesAreAccepted() {
      assertThat(decodeOne("{\"id\":4294967295,\"presence\":{\"channel\":\"a\"}}").id()).isEqualTo(4294967295L);
      Request.Subscribe s = request(decodeOne(
          "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"offset\":9223372036854775807,\"type\":2147483647,"
              + "\"flag\":-9223372036854775808}}"), Request.Subscribe.class);
      assertThat(s.offset()).isEqualTo(Long.MAX_VALUE);
      assertThat(s.type()).isEqualTo(Integer.MAX_VALUE);
      assertThat(s.flag()).isEqualTo(Long.MIN_VALUE);
      Request.History h = request(decodeOne("{\"id\":1,\"history\":{\"channel\":\"a\",\"limit\":-2147483648}}"),
          Request.History.class);
      assertThat(h.limit()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void offsetBeyondDoublePrecisionIsExact() {
      Request.Subscribe s = request(decodeOne(
          "{\"id\":1,\"subscribe\":{\"channel\":\"a\",\"offset\":9007199254740993}}"), Request.Subscribe.class);
      assertThat(s.offset()).isEqualTo(9007199254740993L);
    }
  }

  @Nested
  class UnknownKeysAndNulls {

    @Test
    void unknownKeysAreIgnoredAtEveryLevel() {
      Command c = decodeOne("{\"foo\":{\"bar\":[1,2,{\"x\":\"y\"}],\"n\":null},\"method\":5,\"params\":[],"
          + "\"subscribe\":{\"channel\":\"a\",\"tf\":{\"op\":\"and\",\"nodes\":[{\"key\":\"k\"}]},\"phase\":1,"
          + "\"cursor\":\"c\",\"limit\":5,\"asc\":true,\"unknown\":[[[]]]},\"id\":2,\"zzz\":\"\"}");
      assertThat(c.id()).isEqualTo(2);
      Request.Subscribe s = request(c, Request.Subscribe.class);
      assertThat(s.channel()).isEqualTo("a");
    }

    @Test
    void unknownKeysInsideEveryRequestAreIgnored() {
      String x = "\"x\":{\"y\":[1,{}]},";
      assertThat(request(decodeOne("{\"id\":1,\"connect\":{" + x + "\"headers\":{\"a\":\"b\"},\"flag\":1,\"dict\":\"d\","
          + "\"profile\":\"p\",\"name\":\"js\"}}"), Request.Connect.class).name()).isEqualTo("js");
      assertThat(request(decodeOne("{\"id\":1,\"unsubscribe\":{" + x + "\"channel\":\"c\"}}"), Request.Unsubscribe.class)
          .channel()).isEqualTo("c");
      assertThat(request(decodeOne("{\"id\":1,\"publish\":{" + x + "\"type\":1,\"key\":\"k\",\"removed\":true,"
          + "\"channel\":\"c\"}}"), Request.Publish.class).channel()).isEqualTo("c");
      assertThat(request(decodeOne("{\"id\":1,\"presence\":{" + x + "\"channel\":\"c\"}}"), Request.Presence.class)
          .channel()).isEqualTo("c");
      assertThat(request(decodeOne("{\"id\":1,\"presence_stats\":{" + x + "\"channel\":\"c\"}}"),
          Request.PresenceStats.class).channel()).isEqualTo("c");
      Request.History h = request(decodeOne("{\"id\":1,\"history\":{" + x + "\"since\":{" + x + "\"offset\":3},"
          + "\"channel\":\"c\"}}"), Request.History.class);
      assertThat(h.channel()).isEqualTo("c");
      assertThat(h.since()).isEqualTo(new StreamPosition(3, ""));
      assertThat(request(decodeOne("{\"id\":1,\"rpc\":{" + x + "\"method\":\"m\"}}"), Request.Rpc.class).method())
          .isEqualTo("m");
      assertThat(request(decodeOne("{\"send\":{" + x + "\"data\":1}}"), Request.Send.class).data())
          .isEqualTo("1".getBytes(UTF_8));
      assertThat(request(decodeOne("{\"id\":1,\"refresh\":{" + x + "\"token\":\"t\"}}"), Request.Refresh.class).token())
          .isEqualTo("t");
      Request.SubRefresh sr = request(decodeOne("{\"id\":1,\"sub_refresh\":{" + x + "\"type\":1,\"track\":[],"
          + "\"untrack\":[\"a\"],\"channel\":\"c\",\"token\":\"t\"}}"), Request.SubRefresh.class);
      assertThat(sr.channel()).isEqualTo("c");
      assertThat(sr.token()).isEqualTo("t");
    }

    @Test
    void nullValuesAreTreatedAsAbsent() {
      Request.Subscribe s = request(decodeOne("{\"id\":3,\"subscribe\":{\"channel\":\"a\",\"token\":null,\"recover\":null,"
          + "\"epoch\":null,\"offset\":null,\"data\":null,\"positioned\":null,\"recoverable\":null,\"join_leave\":null,"
          + "\"delta\":null,\"flag\":null,\"type\":null,\"tf\":null}}"), Request.Subscribe.class);
      assertThat(s.channel()).isEqualTo("a");
      assertThat(s.token()).isEmpty();
      assertThat(s.recover()).isFalse();
      assertThat(s.epoch()).isEmpty();
      assertThat(s.offset()).isZero();
      assertThat(s.data()).isNull();
      assertThat(s.positioned()).isFalse();
      assertThat(s.recoverable()).isFalse();
      assertThat(s.joinLeave()).isFalse();
      assertThat(s.delta()).isEmpty();
      assertThat(s.flag()).isZero();
      assertThat(s.type()).isZero();
    }

    @Test
    void nullChannelIsEmpty() {
      assertThat(request(decodeOne("{\"id\":1,\"presence\":{\"channel\":null}}"), Request.Presence.class).channel())
          .isEmpty();
    }

    @Test
    void nullIdIsZeroSoTheCommandIsAPong() {
      Command c = decodeOne("{\"id\":null,\"presence\":{\"channel\":\"a\"}}");
      assertThat(c.id()).isZero();
      assertThat(c.request()).isInstanceOf(Request.Pong.class);
    }

    @Test
    void nullRequestIsAbsentSoTheNextOneIsUsed() {
      Command c = decodeOne("{\"id\":2,\"connect\":null,\"subscribe\":{\"channel\":\"x\"}}");
      assertThat(request(c, Request.Subscribe.class).channel()).isEqualTo("x");
    }

    @Test
    void allRequestsNullWithIdIsUnknown() {
      Command c = decodeOne("{\"id\":2,\"connect\":null,\"subscribe\":null,\"unsubscribe\":null,\"publish\":null,"
          + "\"presence\":null,\"presence_stats\":null,\"history\":null,\"rpc\":null,\"send\":null,\"refresh\":null,"
          + "\"sub_refresh\":null}");
      assertThat(c.id()).isEqualTo(2);
      assertThat(c.request()).isInstanceOf(Request.Unknown.class);
    }

    @Test
    void nullSendWithoutIdIsAPong() {
      assertThat(decodeOne("{\"send\":null}").request()).isInstanceOf(Request.Pong.class);
    }

    @Test
    void nullInsideConnectAndHistory() {
      Request.Connect c = request(decodeOne("{\"id\":1,\"connect\":{\"token\":null,\"data\":null,\"subs\":null,"
          + "\"name\":null,\"version\":null}}"), Request.Connect.class);
      assertThat(c.token()).isEmpty();
      assertThat(c.data()).isNull();
      assertThat(c.subs()).isEmpty();
      assertThat(c.name()).isEmpty();
      assertThat(c.version()).isEmpty();
      Request.Connect withNullSub = request(decodeOne("{\"id\":1,\"connect\":{\"subs\":{\"a\":null,\"b\":{}}}}"),
          Request.Connect.class);
      assertThat(withNullSub.subs()).containsOnlyKeys("b");
      Request.History h = request(decodeOne("{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":null,\"limit\":null,"
          + "\"reverse\":null}}"), Request.History.class);
      assertThat(h.since()).isNull();
      assertThat(h.limit()).isZero();
      assertThat(h.reverse()).isFalse();
      Request.History h2 = request(decodeOne("{\"id\":1,\"history\":{\"channel\":\"a\",\"since\":{\"offset\":null,"
          + "\"epoch\":null}}}"), Request.History.class);
      assertThat(h2.since()).isEqualTo(new StreamPosition(0, ""));
    }
  }

  @Nested
  class PongSendUnknown {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"id\":0}",
        "{\"id\":0,\"subscribe\":{\"channel\":\"x\"}}",
        "{\"connect\":{\"name\":\"js\"}}",                  // an id-less connect is a pong (§3.2)
        "{\"ping\":{}}",
        "{\"foo\":1}",
        "{\"id\":0,\"refresh\":{\"token\":\"t\"}}",
        "{\"id\":0,\"sub_refresh\":{\"channel\":\"c\"}}",
    })
    void idZeroWithoutSendIsPong(String frame) {
      Command c = decodeOne(frame);
      assertThat(c.id()).isZero();
      assertThat(c.request()).isInstanceOf(Request.Pong.class);
    }

    @Test
    void sendWithIdZeroIsSend() {
      String frame = "{\"send\":{\"data\":{\"hello\":\"server\"}}}";
      Command c = decodeOne(frame);
      assertThat(c.id()).isZero();
      assertRaw(request(c, Request.Send.class).data(), frame, "{\"hello\":\"server\"}");
    }

    @Test
    void sendWithExplicitIdZeroAndEmptySend() {
      Command c = decodeOne("{\"id\":0,\"send\":{}}");
      assertThat(c.id()).isZero();
      assertThat(request(c, Request.Send.class).data()).isNull();
    }

    @Test
    void sendWithPositiveIdIsStillSend() {
      Command c = decodeOne("{\"id\":9,\"send\":{\"data\":\"x\"}}");
      assertThat(c.id()).isEqualTo(9);
      assertThat(request(c, Request.Send.class).data()).isEqualTo("\"x\"".getBytes(UTF_8));
    }

    @Test
    void sendBeatsRefreshAndSubRefreshEvenWithIdZero() {
      Command c = decodeOne("{\"sub_refresh\":{\"channel\":\"c\"},\"refresh\":{},\"send\":{\"data\":1}}");
      assertThat(c.id()).isZero();
      assertThat(c.request()).isInstanceOf(Request.Send.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":3}",
        "{\"id\":3,\"ping\":{}}",                             // v2 has no ping command (§2.1)
        "{\"ping\":{},\"id\":3}",
        "{\"id\":3,\"foo\":{\"channel\":\"a\"}}",
        "{\"id\":3,\"method\":1,\"params\":{}}",               // v1 style
        "{\"id\":4294967295}",
    })
    void positiveIdWithoutKnownRequestIsUnknown(String frame) {
      Command c = decodeOne(frame);
      assertThat(c.id()).isPositive();
      assertThat(c.request()).isInstanceOf(Request.Unknown.class);
    }
  }

  @Nested
  class Precedence {

    static final List<String> ORDER = List.of("connect", "subscribe", "unsubscribe", "publish", "presence",
        "presence_stats", "history", "rpc", "send", "refresh", "sub_refresh");
    static final List<Class<? extends Request>> TYPES = List.of(Request.Connect.class, Request.Subscribe.class,
        Request.Unsubscribe.class, Request.Publish.class, Request.Presence.class, Request.PresenceStats.class,
        Request.History.class, Request.Rpc.class, Request.Send.class, Request.Refresh.class,
        Request.SubRefresh.class);

    static Stream<Arguments> pairs() {
      List<Arguments> out = new ArrayList<>();
      for (int i = 0; i < ORDER.size(); i++) {
        for (int j = i + 1; j < ORDER.size(); j++) {
          out.add(Arguments.of(i, j));
        }
      }
      return out.stream();
    }

    static String req(String key) {
      return "\"" + key + "\":{\"channel\":\"ch-" + key + "\"}";
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("pairs")
    void earlierRequestInDispatchOrderWins(int i, int j) {
      Class<? extends Request> expected = TYPES.get(i);
      String a = req(ORDER.get(i));
      String b = req(ORDER.get(j));
      assertThat(decodeOne("{\"id\":5," + a + "," + b + "}").request()).isInstanceOf(expected);
      assertThat(decodeOne("{" + b + "," + a + ",\"id\":5}").request()).isInstanceOf(expected);
      assertThat(decodeOne("{\"id\":5," + b + "," + a + "}").id()).isEqualTo(5);
    }

    @Test
    void allPresentInReverseOrderPicksConnect() {
      StringBuilder sb = new StringBuilder("{");
      for (int i = ORDER.size() - 1; i >= 0; i--) sb.append(req(ORDER.get(i))).append(',');
      sb.append("\"id\":1}");
      assertThat(decodeOne(sb.toString()).request()).isInstanceOf(Request.Connect.class);
    }

    @Test
    void eachAloneDecodesToItsType() {
      for (int i = 0; i < ORDER.size(); i++) {
        assertThat(decodeOne("{\"id\":1," + req(ORDER.get(i)) + "}").request()).isInstanceOf(TYPES.get(i));
      }
    }

    @Test
    void channelOfTheWinnerIsKept() {
      Command c = decodeOne("{\"id\":1,\"presence_stats\":{\"channel\":\"b\"},\"presence\":{\"channel\":\"a\"}}");
      assertThat(request(c, Request.Presence.class).channel()).isEqualTo("a");
    }
  }

  @Nested
  class Requests {

    @Test
    void connectWithAllFields() {
      String frame = "{\"connect\":{\"token\":\"eyJ.tok.en\",\"data\":{\"k\": [1, 2]},\"subs\":{\"personal:#42\":"
          + "{\"recover\":true,\"epoch\":\"aBcDeFgH\",\"offset\":7},\"news\":{\"offset\":0},\"z\":{\"channel\":\"other\","
          + "\"data\":\"d\"}},\"name\":\"js\",\"version\":\"5.7.1\",\"headers\":{\"X\":\"y\"},\"flag\":1},\"id\":1}";
      Command c = decodeOne(frame);
      assertThat(c.id()).isEqualTo(1);
      Request.Connect r = request(c, Request.Connect.class);
      assertThat(r.token()).isEqualTo("eyJ.tok.en");
      assertRaw(r.data(), frame, "{\"k\": [1, 2]}");
      assertThat(r.name()).isEqualTo("js");
      assertThat(r.version()).isEqualTo("5.7.1");
      assertThat(r.subs()).containsOnlyKeys("personal:#42", "news", "z");
      assertThat(new ArrayList<>(r.subs().keySet())).containsExactly("personal:#42", "news", "z");
      Request.Subscribe p = r.subs().get("personal:#42");
      assertThat(p.channel()).isEqualTo("personal:#42");
      assertThat(p.recover()).isTrue();
      assertThat(p.epoch()).isEqualTo("aBcDeFgH");
      assertThat(p.offset()).isEqualTo(7);
      assertThat(p.token()).isEmpty();
      assertThat(p.data()).isNull();
      Request.Subscribe n = r.subs().get("news");
      assertThat(n.channel()).isEqualTo("news");
      assertThat(n.recover()).isFalse();
      assertThat(n.offset()).isZero();
      assertThat(n.epoch()).isEmpty();
      Request.Subscribe z = r.subs().get("z");
      assertThat(z.channel()).as("the map key is the channel").isEqualTo("z");
      assertRaw(z.data(), frame, "\"d\"");
    }

    @Test
    void connectAnonymousAndEmpty() {
      Request.Connect r = request(decodeOne("{\"connect\":{\"name\":\"js\"},\"id\":1}"), Request.Connect.class);
      assertThat(r.token()).isEmpty();
      assertThat(r.data()).isNull();
      assertThat(r.subs()).isEmpty();
      assertThat(r.name()).isEqualTo("js");
      assertThat(r.version()).isEmpty();
      Request.Connect e = request(decodeOne("{\"id\":1,\"connect\":{}}"), Request.Connect.class);
      assertThat(e.token()).isEmpty();
      assertThat(e.subs()).isEmpty();
      assertThat(request(decodeOne("{\"id\":1,\"connect\":{\"subs\":{}}}"), Request.Connect.class).subs()).isEmpty();
    }

    @Test
    void subscribeWithAllFields() {
      String frame = "{\"subscribe\":{\"channel\":\"chat:index\",\"token\":\"subJWT\",\"recover\":true,"
          + "\"epoch\":\"XKjqWqvE\",\"offset\":14,\"data\":{\"a\":[{}]},\"positioned\":true,\"recoverable\":true,"
          + "\"join_leave\":true,\"delta\":\"fossil\",\"flag\":3,\"type\":2},\"id\":6}";
      Command c = decodeOne(frame);
      assertThat(c.id()).isEqualTo(6);
      Request.Subscribe s = request(c, Request.Subscribe.class);
      assertThat(s.channel()).isEqualTo("chat:index");
      assertThat(s.token()).isEqualTo("subJWT");
      assertThat(s.recover()).isTrue();
      assertThat(s.epoch()).isEqualTo("XKjqWqvE");
      assertThat(s.offset()).isEqualTo(14);
      assertRaw(s.data(), frame, "{\"a\":[{}]}");
      assertThat(s.positioned()).isTrue();
      assertThat(s.recoverable()).isTrue();
      assertThat(s.joinLeave()).isTrue();
      assertThat(s.delta()).isEqualTo("fossil");
      assertThat(s.flag()).isEqualTo(3);
      assertThat(s.rejectUnrecovered()).isTrue();
      assertThat(s.type()).isEqualTo(2);
    }

    @Test
    void subscribeMinimal() {
      Request.Subscribe s = request(decodeOne("{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}"),
          Request.Subscribe.class);
      assertThat(s.channel()).isEqualTo("chat:index");
      assertThat(s.flag()).isEqualTo(1);
      assertThat(s.rejectUnrecovered()).isFalse();
      assertThat(s.token()).isEmpty();
      assertThat(s.epoch()).isEmpty();
      assertThat(s.delta()).isEmpty();
      assertThat(s.data()).isNull();
      assertThat(s.recover() || s.positioned() || s.recoverable() || s.joinLeave()).isFalse();
      assertThat(s.offset()).isZero();
      assertThat(s.type()).isZero();
    }

    @Test
    void subscribeWithEmptyChannelDecodes() {
      // The 3501 for an empty channel is the dispatcher's business; the decoder keeps "".
      assertThat(request(decodeOne("{\"id\":2,\"subscribe\":{}}"), Request.Subscribe.class).channel()).isEmpty();
    }

    @Test
    void subscribeFalseBooleansAndNegativeFlag() {
      Request.Subscribe s = request(decodeOne("{\"id\":2,\"subscribe\":{\"channel\":\"a\",\"recover\":false,"
          + "\"positioned\":false,\"recoverable\":false,\"join_leave\":false,\"flag\":-1,\"type\":-1}}"),
          Request.Subscribe.class);
      assertThat(s.recover() || s.positioned() || s.recoverable() || s.joinLeave()).isFalse();
      assertThat(s.flag()).isEqualTo(-1);
      assertThat(s.type()).isEqualTo(-1);
    }

    @Test
    void unsubscribe() {
      Command c = decodeOne("{\"unsubscribe\":{\"channel\":\"chat:index\"},\"id\":12}");
      assertThat(c.id()).isEqualTo(12);
      assertThat(request(c, Request.Unsubscribe.class).channel()).isEqualTo("chat:index");
    }

    @Test
    void publish() {
      String frame = "{\"publish\":{\"channel\":\"chat:index\",\"data\":{\"text\":\"hi\"}},\"id\":10}";
      Command c = decodeOne(frame);
      assertThat(c.id()).isEqualTo(10);
      Request.Publish p = request(c, Request.Publish.class);
      assertThat(p.channel()).isEqualTo("chat:index");
      assertRaw(p.data(), frame, "{\"text\":\"hi\"}");
      assertThat(request(decodeOne("{\"publish\":{\"channel\":\"c\"},\"id\":10}"), Request.Publish.class).data())
          .isNull();
    }

    @Test
    void presenceAndPresenceStats() {
      Command p = decodeOne("{\"presence\":{\"channel\":\"chat:index\"},\"id\":7}");
      assertThat(p.id()).isEqualTo(7);
      assertThat(request(p, Request.Presence.class).channel()).isEqualTo("chat:index");
      Command s = decodeOne("{\"presence_stats\":{\"channel\":\"chat:index\"},\"id\":8}");
      assertThat(s.id()).isEqualTo(8);
      assertThat(request(s, Request.PresenceStats.class).channel()).isEqualTo("chat:index");
    }

    @Test
    void historyWithSinceLimitReverse() {
      Command c = decodeOne("{\"history\":{\"channel\":\"chat:index\",\"since\":{\"offset\":15,\"epoch\":\"XKjqWqvE\"},"
          + "\"limit\":5,\"reverse\":true},\"id\":4}");
      assertThat(c.id()).isEqualTo(4);
      Request.History h = request(c, Request.History.class);
      assertThat(h.channel()).isEqualTo("chat:index");
      assertThat(h.since()).isEqualTo(new StreamPosition(15, "XKjqWqvE"));
      assertThat(h.limit()).isEqualTo(5);
      assertThat(h.reverse()).isTrue();
    }

    @Test
    void historyPositionOnlyAndEmptySince() {
      Request.History h = request(decodeOne("{\"history\":{\"channel\":\"chat:index\"},\"id\":3}"), Request.History.class);
      assertThat(h.channel()).isEqualTo("chat:index");
      assertThat(h.since()).isNull();
      assertThat(h.limit()).isZero();
      assertThat(h.reverse()).isFalse();
      Request.History e = request(decodeOne("{\"history\":{\"channel\":\"c\",\"since\":{},\"limit\":-1},\"id\":3}"),
          Request.History.class);
      assertThat(e.since()).isEqualTo(new StreamPosition(0, ""));
      assertThat(e.limit()).isEqualTo(-1);
    }

    @Test
    void rpc() {
      String frame = "{\"rpc\":{\"method\":\"getCurrentYear\",\"data\":{}},\"id\":11}";
      Command c = decodeOne(frame);
      assertThat(c.id()).isEqualTo(11);
      Request.Rpc r = request(c, Request.Rpc.class);
      assertThat(r.method()).isEqualTo("getCurrentYear");
      assertRaw(r.data(), frame, "{}");
      Request.Rpc noMethod = request(decodeOne("{\"rpc\":{\"data\":[]},\"id\":11}"), Request.Rpc.class);
      assertThat(noMethod.method()).isEmpty();
      assertThat(noMethod.data()).isEqualTo("[]".getBytes(UTF_8));
    }

    @Test
    void refreshAndSubRefresh() {
      Command r = decodeOne("{\"refresh\":{\"token\":\"<newJWT>\"},\"id\":13}");
      assertThat(r.id()).isEqualTo(13);
      assertThat(request(r, Request.Refresh.class).token()).isEqualTo("<newJWT>");
      assertThat(request(decodeOne("{\"refresh\":{},\"id\":13}"), Request.Refresh.class).token()).isEmpty();
      Command s = decodeOne("{\"sub_refresh\":{\"channel\":\"$chat:secret\",\"token\":\"<newSubJWT>\"},\"id\":14}");
      assertThat(s.id()).isEqualTo(14);
      Request.SubRefresh sr = request(s, Request.SubRefresh.class);
      assertThat(sr.channel()).isEqualTo("$chat:secret");
      assertThat(sr.token()).isEqualTo("<newSubJWT>");
    }

    @Test
    void stringsAreUnescaped() {
      Request.Subscribe s = request(decodeOne("{\"id\":1,\"subscribe\":{\"channel\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\","
          + "\"token\":\"caf\u00e9 \u65e5\u672c\"}}"), Request.Subscribe.class);
      assertThat(s.channel()).isEqualTo("a\"b\\c/d\n\u00e9\ud83d\ude00");
      assertThat(s.token()).isEqualTo("caf\u00e9 \u65e5\u672c");
    }

    @Test
    void duplicateKeysLastOneWins() {
      Command c = decodeOne("{\"id\":1,\"id\":2,\"presence\":{\"channel\":\"a\",\"channel\":\"b\"}}");
      assertThat(c.id()).isEqualTo(2);
      assertThat(request(c, Request.Presence.class).channel()).isEqualTo("b");
    }
  }

  @Nested
  class GoldenClientFrames {

    @Test
    void connectAndSubscribeInOneFrame_8_1() {
      List<Command> cmds = decode("{\"connect\":{\"token\":\"<JWT>\",\"name\":\"js\"},\"id\":1}\n"
          + "{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}");
      assertThat(cmds).hasSize(2);
      Request.Connect c = request(cmds.get(0), Request.Connect.class);
      assertThat(cmds.get(0).id()).isEqualTo(1);
      assertThat(c.token()).isEqualTo("<JWT>");
      assertThat(c.name()).isEqualTo("js");
      Request.Subscribe s = request(cmds.get(1), Request.Subscribe.class);
      assertThat(cmds.get(1).id()).isEqualTo(2);
      assertThat(s.channel()).isEqualTo("chat:index");
      assertThat(s.flag()).isEqualTo(1);
    }

    @Test
    void subscribeOptions_8_1() {
      Request.Subscribe s = request(decodeOne("{\"subscribe\":{\"channel\":\"chat:index\",\"positioned\":true,"
          + "\"recoverable\":true,\"join_leave\":true,\"flag\":1},\"id\":2}"), Request.Subscribe.class);
      assertThat(s.positioned()).isTrue();
      assertThat(s.recoverable()).isTrue();
      assertThat(s.joinLeave()).isTrue();
      assertThat(s.recover()).isFalse();
      Request.Subscribe t = request(decodeOne("{\"subscribe\":{\"channel\":\"$chat:secret\",\"token\":\"<subJWT>\","
          + "\"flag\":1},\"id\":3}"), Request.Subscribe.class);
      assertThat(t.channel()).isEqualTo("$chat:secret");
      assertThat(t.token()).isEqualTo("<subJWT>");
    }

    @Test
    void reconnectWithRecovery_8_5() {
      List<Command> cmds = decode("{\"connect\":{\"token\":\"<JWT>\",\"name\":\"js\"},\"id\":5}\n"
          + "{\"subscribe\":{\"channel\":\"chat:index\",\"recoverable\":true,\"flag\":1,\"recover\":true,\"offset\":14,"
          + "\"epoch\":\"XKjqWqvE\"},\"id\":6}");
      assertThat(cmds).extracting(Command::id).containsExactly(5L, 6L);
      Request.Subscribe s = request(cmds.get(1), Request.Subscribe.class);
      assertThat(s.recover()).isTrue();
      assertThat(s.recoverable()).isTrue();
      assertThat(s.offset()).isEqualTo(14);
      assertThat(s.epoch()).isEqualTo("XKjqWqvE");
    }

    @Test
    void goldenSingleCommandsDecode_8_6_to_8_8() {
      assertThat(decodeOne("{\"history\":{\"channel\":\"chat:index\",\"limit\":10},\"id\":3}").request())
          .isEqualTo(new Request.History("chat:index", 10, null, false));
      assertThat(decodeOne("{\"presence\":{\"channel\":\"chat:index\"},\"id\":7}").request())
          .isEqualTo(new Request.Presence("chat:index"));
      assertThat(decodeOne("{\"presence_stats\":{\"channel\":\"chat:index\"},\"id\":8}").request())
          .isEqualTo(new Request.PresenceStats("chat:index"));
      assertThat(decodeOne("{\"unsubscribe\":{\"channel\":\"chat:index\"},\"id\":12}").request())
          .isEqualTo(new Request.Unsubscribe("chat:index"));
      assertThat(decodeOne("{\"refresh\":{\"token\":\"<newJWT>\"},\"id\":13}").request())
          .isEqualTo(new Request.Refresh("<newJWT>"));
      assertThat(decodeOne("{\"sub_refresh\":{\"channel\":\"$chat:secret\",\"token\":\"<newSubJWT>\"},\"id\":14}")
          .request()).isEqualTo(new Request.SubRefresh("$chat:secret", "<newSubJWT>"));
    }

    @Test
    void emulationPayloadDecodes_8_10() {
      Command c = decodeOne("{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}");
      assertThat(c.id()).isEqualTo(2);
      assertThat(request(c, Request.Subscribe.class).channel()).isEqualTo("chat:index");
    }
  }

  @Nested
  class RawPayloads {

    static Stream<String> values() {
      return Stream.of(
          "{ \"a\" : [1, [2, {\"b\": null}] ] , \"c\" :\t\"x\" }",
          "{}",
          "{\"nested\":{\"deep\":[[[],[{}]]]}}",
          "[1,\"two\",{\"3\":4},[],null,true]",
          "[ ]",
          "[]",
          "\"he said \\\"hi\\\" \\\\ \\/ \\n \\t \\u00e9 \\ud83d\\ude00 caf\u00e9 \u65e5\u672c \ud83d\ude00\"",
          "\"\"",
          "\"}\\\"{,:[]\"",
          "1.50",
          "1e3",
          "-0.0",
          "1E+10",
          "-12.5e-3",
          "0",
          "-7",
          "123456789012345678901234567890",
          "true",
          "false");
    }

    static Stream<Arguments> placements() {
      List<Arguments> out = new ArrayList<>();
      values().forEach(v -> {
        for (int pos = 0; pos < 3; pos++) out.add(Arguments.of(v, pos));
      });
      return out.stream();
    }

    /** Builds a 3-command frame with {@code value} as publish data of the command at {@code pos}. */
    @ParameterizedTest(name = "[{1}] {0}")
    @MethodSource("placements")
    void publishDataIsKeptAsExactBytesAtAnyPositionInTheFrame(String value, int pos) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i == pos) lines.add("{\"publish\":{\"channel\":\"c" + i + "\",\"data\": " + value + " },\"id\":" + (i + 1) + "}");
        else lines.add("{\"id\":" + (i + 1) + ",\"publish\":{\"data\":{\"filler\":\"" + "x".repeat(i * 7 + 3)
            + "\"},\"channel\":\"c" + i + "\"}}");
      }
      String frame = String.join("\n", lines);
      List<Command> cmds = decode(frame);
      assertThat(cmds).hasSize(3);
      for (int i = 0; i < 3; i++) {
        Request.Publish p = request(cmds.get(i), Request.Publish.class);
        assertThat(p.channel()).isEqualTo("c" + i);
        if (i == pos) assertRaw(p.data(), frame, value);
        else assertRaw(p.data(), frame, "{\"filler\":\"" + "x".repeat(i * 7 + 3) + "\"}");
      }
    }

    @ParameterizedTest
    @MethodSource("values")
    void dataOfEveryRequestKindIsExact(String value) {
      String frame = "{\"id\":1,\"presence\":{\"channel\":\"pad\"}}\n"
          + "{\"id\":2,\"connect\":{\"data\":" + value + ",\"subs\":{\"s\":{\"data\":" + value + "}}}}\n"
          + "{\"id\":3,\"subscribe\":{\"channel\":\"c\",\"data\":" + value + "}}\n"
          + "{\"id\":4,\"rpc\":{\"data\":" + value + ",\"method\":\"m\"}}\n"
          + "{\"send\":{\"data\":" + value + "}}\n"
          + "{\"id\":5,\"publish\":{\"data\":" + value + "}}\n";
      List<Command> cmds = decode(frame);
      assertThat(cmds).hasSize(6);
      Request.Connect c = request(cmds.get(1), Request.Connect.class);
      assertRaw(c.data(), frame, value);
      assertRaw(c.subs().get("s").data(), frame, value);
      assertRaw(request(cmds.get(2), Request.Subscribe.class).data(), frame, value);
      assertRaw(request(cmds.get(3), Request.Rpc.class).data(), frame, value);
      assertRaw(request(cmds.get(4), Request.Send.class).data(), frame, value);
      assertRaw(request(cmds.get(5), Request.Publish.class).data(), frame, value);
    }

    @Test
    void nonAsciiBeforeThePayloadDoesNotShiftIt() {
      // Multi-byte UTF-8 characters earlier in the frame: offsets are byte offsets, not char offsets.
      String frame = "{\"id\":1,\"presence\":{\"channel\":\"\u00e9\u00e9\u00e9\ud83d\ude00\"}}\n"
          + "{\"id\":2,\"publish\":{\"channel\":\"\u65e5\u672c\u8a9e\",\"data\":{\"t\":\"\u00fc\"}}}";
      List<Command> cmds = decode(frame);
      assertThat(request(cmds.get(0), Request.Presence.class).channel()).isEqualTo("\u00e9\u00e9\u00e9\ud83d\ude00");
      Request.Publish p = request(cmds.get(1), Request.Publish.class);
      assertThat(p.channel()).isEqualTo("\u65e5\u672c\u8a9e");
      assertRaw(p.data(), frame, "{\"t\":\"\u00fc\"}");
    }

    @Test
    void payloadCopiesAreIndependentOfTheFrame() {
      byte[] frame = "{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":[1]}}".getBytes(UTF_8);
      Request.Publish p = (Request.Publish) JsonCommandDecoder.decodeFrame(frame).get(0).request();
      java.util.Arrays.fill(frame, (byte) 'z');
      assertThat(new String(p.data(), StandardCharsets.UTF_8)).isEqualTo("[1]");
    }

    @Test
    void payloadWithCarriageReturnsIsKept() {
      String frame = "{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":{\r\"a\":\r1}}}";
      assertRaw(request(decodeOne(frame), Request.Publish.class).data(), frame, "{\r\"a\":\r1}");
    }
  }

  @Test
  void mapOfSubsIsNotShared() {
    Request.Connect a = (Request.Connect) decodeOne("{\"id\":1,\"connect\":{\"subs\":{\"x\":{}}}}").request();
    Request.Connect b = (Request.Connect) decodeOne("{\"id\":1,\"connect\":{\"subs\":{\"y\":{}}}}").request();
    assertThat(a.subs()).containsOnlyKeys("x");
    assertThat(b.subs()).containsOnlyKeys("y");
    assertThat(a.subs()).isInstanceOf(Map.class);
  }
}
