package dev.gyre.protocol.json;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte-exact tests of {@link JsonReplyEncoder} against spec/client-protocol.md §1.3, §2 and the §8 transcripts. */
class JsonReplyEncoderTest {

  static final String UUID = "0d3b8a9e-7c47-4b56-9f0e-2a8f7b4a1c11";
  static final String UUID2 = "6a5f1e2d-3c4b-4a59-8e7f-1d2c3b4a5968";

  static byte[] b(String s) {
    return s == null ? null : s.getBytes(UTF_8);
  }

  static void assertJson(Buffer actual, String expected) {
    assertThat(actual.toString(UTF_8)).isEqualTo(expected);
    assertThat(actual.getBytes()).isEqualTo(expected.getBytes(UTF_8));
    assertThat(RawJson.isObject(actual.getBytes())).as("output is one JSON object").isTrue();
    assertThat(actual.getBytes()).as("no raw newline in output").doesNotContain((byte) '\n');
  }

  static Result.Connect connect(String client, String version, boolean expires, long ttl, byte[] data,
                                Map<String, Result.Subscribe> subs, int ping, boolean pong) {
    return new Result.Connect(client, version, expires, ttl, data, subs, ping, pong, "", "", 0);
  }

  static Publication pub(String data, long offset) {
    return new Publication(b(data), null, offset, Map.of());
  }

  static ClientInfo info(String user, String client) {
    return new ClientInfo(user, client, null, null);
  }

  @Test
  void pingIsExactlyEmptyObject_8_4() {
    assertThat(JsonReplyEncoder.PING.toString(UTF_8)).isEqualTo("{}");
    assertThat(JsonReplyEncoder.PING.length()).isEqualTo(2);
  }

  @Nested
  class Connect {

    @Test
    void connectReply_8_1() {
      assertJson(JsonReplyEncoder.reply(1, connect(UUID, "6.9.0 OSS", false, 0, null, Map.of(), 25, true)),
          "{\"id\":1,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\",\"ping\":25,\"pong\":true}}");
    }

    @Test
    void connectReplyWithExpiration_8_1() {
      assertJson(JsonReplyEncoder.reply(1, connect(UUID, "6.9.0 OSS", true, 3599, null, Map.of(), 25, true)),
          "{\"id\":1,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\",\"expires\":true,\"ttl\":3599,"
              + "\"ping\":25,\"pong\":true}}");
    }

    @Test
    void connectReplyWithSessionAndNode_8_10() {
      Result.Connect r = new Result.Connect(UUID, "6.9.0 OSS", false, 0, null, Map.of(), 25, true, UUID2, "node-1", 0);
      assertJson(JsonReplyEncoder.reply(1, r),
          "{\"id\":1,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\",\"ping\":25,\"pong\":true,"
              + "\"session\":\"" + UUID2 + "\",\"node\":\"node-1\"}}");
    }

    @Test
    void connectReplyWithoutPingAndPong_1_2() {
      // cf_ws_frame_ping_pong=true: no ping and no pong in the connect reply.
      assertJson(JsonReplyEncoder.reply(7, connect(UUID, "6.9.0 OSS", false, 0, null, null, 0, false)),
          "{\"id\":7,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\"}}");
    }

    @Test
    void connectReplyWithAllFieldsInFieldNumberOrder() {
      Map<String, Result.Subscribe> subs = new LinkedHashMap<>();
      subs.put("personal:#42", new Result.Subscribe(false, 0, true, "aBcDeFgH", List.of(), false, 7, true, null, false));
      subs.put("news", Result.Subscribe.EMPTY);
      Result.Connect r = new Result.Connect(UUID, "6.9.0 OSS", true, 60, b("{\"x\":\n1}"), subs, 25, true, "s", "n",
          1700000000123L);
      assertJson(JsonReplyEncoder.reply(4294967295L, r),
          "{\"id\":4294967295,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\",\"expires\":true,"
              + "\"ttl\":60,\"data\":{\"x\":1},\"subs\":{\"personal:#42\":{\"recoverable\":true,\"epoch\":\"aBcDeFgH\","
              + "\"offset\":7,\"positioned\":true},\"news\":{}},\"ping\":25,\"pong\":true,\"session\":\"s\","
              + "\"node\":\"n\",\"time\":1700000000123}}");
    }

    @Test
    void emptySubsMapIsOmitted() {
      assertJson(JsonReplyEncoder.reply(1, connect(UUID, "v", false, 0, new byte[0], Map.of(), 25, true)),
          "{\"id\":1,\"connect\":{\"client\":\"" + UUID + "\",\"version\":\"v\",\"ping\":25,\"pong\":true}}");
    }
  }

  @Nested
  class Subscribe {

    @Test
    void emptySubscribeResult_8_1() {
      assertJson(JsonReplyEncoder.reply(2, Result.Subscribe.EMPTY), "{\"id\":2,\"subscribe\":{}}");
    }

    @Test
    void recoverableSubscribe_8_2() {
      Result.Subscribe r = new Result.Subscribe(false, 0, true, "XKjqWqvE", List.of(), false, 12, true, null, false);
      assertJson(JsonReplyEncoder.reply(2, r),
          "{\"id\":2,\"subscribe\":{\"recoverable\":true,\"epoch\":\"XKjqWqvE\",\"offset\":12,\"positioned\":true}}");
    }

    @Test
    void recoveredWithPublications_8_5() {
      Result.Subscribe r = new Result.Subscribe(false, 0, true, "XKjqWqvE",
          List.of(pub("{\"text\":\"m15\"}", 15), pub("{\"text\":\"m16\"}", 16)), true, 14, true, null, true);
      assertJson(JsonReplyEncoder.reply(6, r),
          "{\"id\":6,\"subscribe\":{\"recoverable\":true,\"epoch\":\"XKjqWqvE\",\"publications\":[{\"data\":"
              + "{\"text\":\"m15\"},\"offset\":15},{\"data\":{\"text\":\"m16\"},\"offset\":16}],\"recovered\":true,"
              + "\"offset\":14,\"positioned\":true,\"was_recovering\":true}}");
    }

    @Test
    void recoveredNothingMissed_8_5() {
      Result.Subscribe r = new Result.Subscribe(false, 0, true, "XKjqWqvE", List.of(), true, 14, true, null, true);
      assertJson(JsonReplyEncoder.reply(6, r),
          "{\"id\":6,\"subscribe\":{\"recoverable\":true,\"epoch\":\"XKjqWqvE\",\"recovered\":true,\"offset\":14,"
              + "\"positioned\":true,\"was_recovering\":true}}");
    }

    @Test
    void unrecoverable_8_5() {
      Result.Subscribe r = new Result.Subscribe(false, 0, true, "bNhCzCnL", List.of(), false, 3, true, null, true);
      assertJson(JsonReplyEncoder.reply(6, r),
          "{\"id\":6,\"subscribe\":{\"recoverable\":true,\"epoch\":\"bNhCzCnL\",\"offset\":3,\"positioned\":true,"
              + "\"was_recovering\":true}}");
      Result.Subscribe zero = new Result.Subscribe(false, 0, true, "bNhCzCnL", null, false, 0, true, null, true);
      assertJson(JsonReplyEncoder.reply(6, zero),
          "{\"id\":6,\"subscribe\":{\"recoverable\":true,\"epoch\":\"bNhCzCnL\",\"positioned\":true,"
              + "\"was_recovering\":true}}");
    }

    @Test
    void allFieldsInFieldNumberOrder() {
      Result.Subscribe r = new Result.Subscribe(true, 3600, true, "e", List.of(pub("1", 1)), true, 1, true,
          b("{\"d\":\n[1,\n2]}"), true);
      assertJson(JsonReplyEncoder.reply(3, r),
          "{\"id\":3,\"subscribe\":{\"expires\":true,\"ttl\":3600,\"recoverable\":true,\"epoch\":\"e\","
              + "\"publications\":[{\"data\":1,\"offset\":1}],\"recovered\":true,\"offset\":1,\"positioned\":true,"
              + "\"data\":{\"d\":[1,2]},\"was_recovering\":true}}");
    }
  }

  @Nested
  class OtherResults {

    @Test
    void publishAndUnsubscribe_8_8() {
      assertJson(JsonReplyEncoder.reply(10, new Result.Publish()), "{\"id\":10,\"publish\":{}}");
      assertJson(JsonReplyEncoder.reply(12, new Result.Unsubscribe()), "{\"id\":12,\"unsubscribe\":{}}");
    }

    @Test
    void rpc_8_8() {
      assertJson(JsonReplyEncoder.reply(11, new Result.Rpc(b("{\"year\":2026}"))),
          "{\"id\":11,\"rpc\":{\"data\":{\"year\":2026}}}");
      assertJson(JsonReplyEncoder.reply(11, new Result.Rpc(null)), "{\"id\":11,\"rpc\":{}}");
      assertJson(JsonReplyEncoder.reply(11, new Result.Rpc(new byte[0])), "{\"id\":11,\"rpc\":{}}");
      assertJson(JsonReplyEncoder.reply(11, new Result.Rpc(b("\"s\""))), "{\"id\":11,\"rpc\":{\"data\":\"s\"}}");
    }

    @Test
    void refreshAndSubRefresh_8_8() {
      assertJson(JsonReplyEncoder.reply(13, new Result.Refresh("", "", true, 3600)),
          "{\"id\":13,\"refresh\":{\"expires\":true,\"ttl\":3600}}");
      assertJson(JsonReplyEncoder.reply(13, new Result.Refresh(null, null, true, 3600)),
          "{\"id\":13,\"refresh\":{\"expires\":true,\"ttl\":3600}}");
      assertJson(JsonReplyEncoder.reply(13, new Result.Refresh(UUID, "6.9.0 OSS", true, 3600)),
          "{\"id\":13,\"refresh\":{\"client\":\"" + UUID + "\",\"version\":\"6.9.0 OSS\",\"expires\":true,"
              + "\"ttl\":3600}}");
      assertJson(JsonReplyEncoder.reply(13, new Result.Refresh("", "", false, 0)), "{\"id\":13,\"refresh\":{}}");
      assertJson(JsonReplyEncoder.reply(14, new Result.SubRefresh(true, 3600)),
          "{\"id\":14,\"sub_refresh\":{\"expires\":true,\"ttl\":3600}}");
      assertJson(JsonReplyEncoder.reply(14, new Result.SubRefresh(false, 0)), "{\"id\":14,\"sub_refresh\":{}}");
    }

    @Test
    void history_8_6() {
      Result.History r = new Result.History(List.of(pub("{\"text\":\"m15\"}", 15), pub("{\"text\":\"m16\"}", 16)),
          "XKjqWqvE", 16);
      assertJson(JsonReplyEncoder.reply(3, r),
          "{\"id\":3,\"history\":{\"publications\":[{\"data\":{\"text\":\"m15\"},\"offset\":15},{\"data\":"
              + "{\"text\":\"m16\"},\"offset\":16}],\"epoch\":\"XKjqWqvE\",\"offset\":16}}");
    }

    @Test
    void historyPositionOnly_8_6() {
      assertJson(JsonReplyEncoder.reply(3, new Result.History(List.of(), "XKjqWqvE", 16)),
          "{\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"XKjqWqvE\",\"offset\":16}}");
    }

    @Test
    void historyAlwaysHasPublicationsEpochAndOffset_1_3() {
      assertJson(JsonReplyEncoder.reply(3, new Result.History(List.of(), "", 0)),
          "{\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"\",\"offset\":0}}");
      assertJson(JsonReplyEncoder.reply(3, new Result.History(List.of(), null, 0)),
          "{\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"\",\"offset\":0}}");
    }

    @Test
    void historyPublicationWithInfoAndTags() {
      Publication p = new Publication(b("{\"a\":1}"), new ClientInfo("42", UUID, b("{\"name\":\"Bob\"}"), null), 5,
          Map.of("k", "v"));
      assertJson(JsonReplyEncoder.reply(3, new Result.History(List.of(p), "e", 5)),
          "{\"id\":3,\"history\":{\"publications\":[{\"data\":{\"a\":1},\"info\":{\"user\":\"42\",\"client\":\"" + UUID
              + "\",\"conn_info\":{\"name\":\"Bob\"}},\"offset\":5,\"tags\":{\"k\":\"v\"}}],\"epoch\":\"e\","
              + "\"offset\":5}}");
    }

    @Test
    void presence_8_7() {
      Map<String, ClientInfo> m = new LinkedHashMap<>();
      m.put(UUID, info("42", UUID));
      m.put(UUID2, new ClientInfo("43", UUID2, b("{\"name\":\"Bob\"}"), null));
      assertJson(JsonReplyEncoder.reply(7, new Result.Presence(m)),
          "{\"id\":7,\"presence\":{\"presence\":{\"" + UUID + "\":{\"user\":\"42\",\"client\":\"" + UUID + "\"},\""
              + UUID2 + "\":{\"user\":\"43\",\"client\":\"" + UUID2 + "\",\"conn_info\":{\"name\":\"Bob\"}}}}}");
    }

    @Test
    void emptyPresenceStillHasPresenceMap_1_3() {
      assertJson(JsonReplyEncoder.reply(7, new Result.Presence(Map.of())), "{\"id\":7,\"presence\":{\"presence\":{}}}");
    }

    @Test
    void presenceOfAnonymousClientsKeepsEmptyUser() {
      assertJson(JsonReplyEncoder.reply(7, new Result.Presence(Map.of("c", new ClientInfo("", "c", null, b("[1]"))))),
          "{\"id\":7,\"presence\":{\"presence\":{\"c\":{\"user\":\"\",\"client\":\"c\",\"chan_info\":[1]}}}}");
    }

    @Test
    void presenceStats_8_7() {
      assertJson(JsonReplyEncoder.reply(8, new Result.PresenceStats(2, 2)),
          "{\"id\":8,\"presence_stats\":{\"num_clients\":2,\"num_users\":2}}");
      assertJson(JsonReplyEncoder.reply(8, new Result.PresenceStats(0, 0)),
          "{\"id\":8,\"presence_stats\":{\"num_clients\":0,\"num_users\":0}}");
      assertJson(JsonReplyEncoder.reply(8, new Result.PresenceStats(3, 0)),
          "{\"id\":8,\"presence_stats\":{\"num_clients\":3,\"num_users\":0}}");
    }

    @Test
    void largeIdIsANumber() {
      assertJson(JsonReplyEncoder.reply(4294967295L, new Result.Publish()), "{\"id\":4294967295,\"publish\":{}}");
    }
  }

  @Nested
  class Errors {

    @Test
    void permissionDenied_8_9() {
      assertJson(JsonReplyEncoder.error(2, ErrorCode.PERMISSION_DENIED),
          "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}");
    }

    @Test
    void tokenExpired_8_9() {
      assertJson(JsonReplyEncoder.error(1, ErrorCode.TOKEN_EXPIRED),
          "{\"id\":1,\"error\":{\"code\":109,\"message\":\"token expired\"}}");
    }

    @Test
    void internalIsTemporary_8_9() {
      assertJson(JsonReplyEncoder.error(4, ErrorCode.INTERNAL),
          "{\"id\":4,\"error\":{\"code\":100,\"message\":\"internal server error\",\"temporary\":true}}");
      assertJson(JsonReplyEncoder.error(5, ErrorCode.TOO_MANY_REQUESTS),
          "{\"id\":5,\"error\":{\"code\":111,\"message\":\"too many requests\",\"temporary\":true}}");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCode(ErrorCode e) {
      String expected = "{\"id\":9,\"error\":{\"code\":" + e.code() + ",\"message\":\"" + e.message() + "\""
          + (e.temporary() ? ",\"temporary\":true" : "") + "}}";
      Buffer out = JsonReplyEncoder.error(9, e);
      assertJson(out, expected);
      assertThat(out.toString(UTF_8)).doesNotContain("null").doesNotContain("\"result\"");
    }
  }

  @Nested
  class Pushes {

    @Test
    void publicationWithOffset_8_3() {
      assertJson(JsonReplyEncoder.push(new Push.Pub("chat:index", pub("{\"text\":\"hello\"}", 13))),
          "{\"push\":{\"channel\":\"chat:index\",\"pub\":{\"data\":{\"text\":\"hello\"},\"offset\":13}}}");
    }

    @Test
    void publicationWithInfo_8_3() {
      Publication p = new Publication(b("{\"text\":\"hi\"}"), info("42", UUID), 14, Map.of());
      assertJson(JsonReplyEncoder.push(new Push.Pub("chat:index", p)),
          "{\"push\":{\"channel\":\"chat:index\",\"pub\":{\"data\":{\"text\":\"hi\"},\"info\":{\"user\":\"42\","
              + "\"client\":\"" + UUID + "\"},\"offset\":14}}}");
    }

    @Test
    void publicationWithoutHistory_8_3() {
      assertJson(JsonReplyEncoder.push(new Push.Pub("news", pub("{\"text\":\"hello\"}", 0))),
          "{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":{\"text\":\"hello\"}}}}");
    }

    @Test
    void publicationWithTags() {
      Publication p = new Publication(b("{}"), null, 1, Map.of("k", "v\"x"));
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", p)),
          "{\"push\":{\"channel\":\"c\",\"pub\":{\"data\":{},\"offset\":1,\"tags\":{\"k\":\"v\\\"x\"}}}}");
      Publication noOffset = new Publication(b("1"), null, 0, Map.of("a", ""));
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", noOffset)),
          "{\"push\":{\"channel\":\"c\",\"pub\":{\"data\":1,\"tags\":{\"a\":\"\"}}}}");
    }

    @Test
    void publicationWithSeveralTagsIsValidJson() {
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < 5; i++) tags.put("k" + i, "v" + i);
      Buffer out = JsonReplyEncoder.push(new Push.Pub("c", new Publication(b("[]"), null, 2, tags)));
      JsonObject pubObj = new JsonObject(out).getJsonObject("push").getJsonObject("pub");
      assertThat(pubObj.fieldNames()).containsExactly("data", "offset", "tags");
      assertThat(pubObj.getJsonObject("tags").getMap()).isEqualTo(Map.of("k0", "v0", "k1", "v1", "k2", "v2", "k3", "v3",
          "k4", "v4"));
    }

    @Test
    void publicationWithInfoAndChanInfo() {
      Publication p = new Publication(b("\"s\""), new ClientInfo("", "c", b("{\"a\":1}"), b("[true]")), 3, Map.of());
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", p)),
          "{\"push\":{\"channel\":\"c\",\"pub\":{\"data\":\"s\",\"info\":{\"user\":\"\",\"client\":\"c\","
              + "\"conn_info\":{\"a\":1},\"chan_info\":[true]},\"offset\":3}}}");
    }

    @Test
    void publicationWithoutData() {
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", new Publication(null, null, 0, null))),
          "{\"push\":{\"channel\":\"c\",\"pub\":{}}}");
    }

    @Test
    void join_8_3() {
      assertJson(JsonReplyEncoder.push(new Push.Join("chat:index",
              new ClientInfo("43", UUID, b("{\"name\":\"Bob\"}"), null))),
          "{\"push\":{\"channel\":\"chat:index\",\"join\":{\"info\":{\"user\":\"43\",\"client\":\"" + UUID
              + "\",\"conn_info\":{\"name\":\"Bob\"}}}}}");
    }

    @Test
    void leave_8_3() {
      assertJson(JsonReplyEncoder.push(new Push.Leave("chat:index", info("43", UUID))),
          "{\"push\":{\"channel\":\"chat:index\",\"leave\":{\"info\":{\"user\":\"43\",\"client\":\"" + UUID + "\"}}}}");
    }

    @Test
    void leaveWithConnInfoAndChanInfo() {
      assertJson(JsonReplyEncoder.push(new Push.Leave("c", new ClientInfo("u", "id", b("{\"n\":\n1}"), b("2")))),
          "{\"push\":{\"channel\":\"c\",\"leave\":{\"info\":{\"user\":\"u\",\"client\":\"id\",\"conn_info\":{\"n\":1},"
              + "\"chan_info\":2}}}}");
    }

    @Test
    void joinOfAnonymousAlwaysHasUserAndClient_2_4() {
      assertJson(JsonReplyEncoder.push(new Push.Join("c", info("", ""))),
          "{\"push\":{\"channel\":\"c\",\"join\":{\"info\":{\"user\":\"\",\"client\":\"\"}}}}");
    }

    @Test
    void unsubscribe_8_5_and_8_9() {
      assertJson(JsonReplyEncoder.push(new Push.Unsubscribe("chat:index", 2500, "insufficient state")),
          "{\"push\":{\"channel\":\"chat:index\",\"unsubscribe\":{\"code\":2500,\"reason\":\"insufficient state\"}}}");
      assertJson(JsonReplyEncoder.push(new Push.Unsubscribe("chat:index", 2000, "server unsubscribe")),
          "{\"push\":{\"channel\":\"chat:index\",\"unsubscribe\":{\"code\":2000,\"reason\":\"server unsubscribe\"}}}");
    }

    @Test
    void message_8_9() {
      assertJson(JsonReplyEncoder.push(new Push.Message(b("{\"alert\":\"hi\"}"))),
          "{\"push\":{\"message\":{\"data\":{\"alert\":\"hi\"}}}}");
      assertJson(JsonReplyEncoder.push(new Push.Message(null)), "{\"push\":{\"message\":{}}}");
    }

    @Test
    void subscribe_8_9() {
      assertJson(JsonReplyEncoder.push(new Push.Subscribe("personal:#42", true, "aBcDeFgH", 7, true, null)),
          "{\"push\":{\"channel\":\"personal:#42\",\"subscribe\":{\"recoverable\":true,\"epoch\":\"aBcDeFgH\","
              + "\"offset\":7,\"positioned\":true}}}");
      assertJson(JsonReplyEncoder.push(new Push.Subscribe("c", false, "", 0, false, b("{\"d\":1}"))),
          "{\"push\":{\"channel\":\"c\",\"subscribe\":{\"data\":{\"d\":1}}}}");
      assertJson(JsonReplyEncoder.push(new Push.Subscribe("c", false, "", 0, false, null)),
          "{\"push\":{\"channel\":\"c\",\"subscribe\":{}}}");
    }

    @Test
    void disconnect_8_9() {
      assertJson(JsonReplyEncoder.push(new Push.Disconnect(3001, "shutdown")),
          "{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}}");
    }

    @Test
    void barePushesForUnidirectionalTransports() {
      assertJson(JsonReplyEncoder.barePush(new Push.Disconnect(3001, "shutdown")),
          "{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}");
      assertJson(JsonReplyEncoder.barePush(new Push.Pub("news", pub("{\"text\":\"hello\"}", 0))),
          "{\"channel\":\"news\",\"pub\":{\"data\":{\"text\":\"hello\"}}}");
      assertJson(JsonReplyEncoder.barePush(new Push.Message(b("1"))), "{\"message\":{\"data\":1}}");
      assertJson(JsonReplyEncoder.barePush(new Push.Join("c", info("u", "c"))),
          "{\"channel\":\"c\",\"join\":{\"info\":{\"user\":\"u\",\"client\":\"c\"}}}");
    }

    @Test
    void pushesNeverCarryAnId() {
      assertThat(JsonReplyEncoder.push(new Push.Message(b("1"))).toString(UTF_8)).doesNotContain("\"id\"");
    }
  }

  @Nested
  class RawPayloadNewlines {

    @Test
    void rawNewlinesAreRemovedFromEveryPayload() {
      byte[] pretty = b("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}\n");
      String stripped = "{  \"a\": [    1,    2  ],  \"b\": \"x\"}";
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", new Publication(pretty, null, 0, Map.of()))),
          "{\"push\":{\"channel\":\"c\",\"pub\":{\"data\":" + stripped + "}}}");
      assertJson(JsonReplyEncoder.push(new Push.Message(pretty)),
          "{\"push\":{\"message\":{\"data\":" + stripped + "}}}");
      assertJson(JsonReplyEncoder.reply(1, new Result.Rpc(pretty)), "{\"id\":1,\"rpc\":{\"data\":" + stripped + "}}");
      assertJson(JsonReplyEncoder.push(new Push.Join("c", new ClientInfo("u", "c", pretty, pretty))),
          "{\"push\":{\"channel\":\"c\",\"join\":{\"info\":{\"user\":\"u\",\"client\":\"c\",\"conn_info\":" + stripped
              + ",\"chan_info\":" + stripped + "}}}}");
    }

    @Test
    void newlinesAtEveryPositionAreRemovedButCarriageReturnsKept() {
      byte[] data = b("\n\n[\r\n1\n,\n\n2]\n\n");
      assertJson(JsonReplyEncoder.reply(1, new Result.Rpc(data)), "{\"id\":1,\"rpc\":{\"data\":[\r1,2]}}");
    }

    @Test
    void escapedNewlinesInsideStringsAreKept() {
      assertJson(JsonReplyEncoder.push(new Push.Message(b("\"line1\\nline2\""))),
          "{\"push\":{\"message\":{\"data\":\"line1\\nline2\"}}}");
    }
  }

  @Nested
  class StringEscaping {

    @Test
    void channelAndReasonEscaping() {
      String channel = "a\"b\\c\nd\te\u0001f\r\u001f\u0000/";
      assertJson(JsonReplyEncoder.push(new Push.Unsubscribe(channel, 2000, "r\"\\\n\t\u0001")),
          "{\"push\":{\"channel\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\r\\u001f\\u0000/\",\"unsubscribe\":{\"code\":2000,"
              + "\"reason\":\"r\\\"\\\\\\n\\t\\u0001\"}}}");
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() {
      String channel = "caf\u00e9:\u65e5\u672c:\ud83d\ude00";
      Buffer out = JsonReplyEncoder.push(new Push.Disconnect(4000, "\u00fcber " + channel));
      String expected = "{\"push\":{\"disconnect\":{\"code\":4000,\"reason\":\"\u00fcber " + channel + "\"}}}";
      assertJson(out, expected);
      assertThat(out.length()).isEqualTo(expected.getBytes(UTF_8).length);
      assertJson(JsonReplyEncoder.push(new Push.Leave(channel, info("\u00e9", "c"))),
          "{\"push\":{\"channel\":\"" + channel + "\",\"leave\":{\"info\":{\"user\":\"\u00e9\",\"client\":\"c\"}}}}");
    }

    @Test
    void keysOfPresenceAndTagsAreEscaped() {
      assertJson(JsonReplyEncoder.reply(1, new Result.Presence(Map.of("a\"\n", info("u", "a\"\n")))),
          "{\"id\":1,\"presence\":{\"presence\":{\"a\\\"\\n\":{\"user\":\"u\",\"client\":\"a\\\"\\n\"}}}}");
      assertJson(JsonReplyEncoder.push(new Push.Pub("c", new Publication(b("1"), null, 0, Map.of("k\\", "\t")))),
          "{\"push\":{\"channel\":\"c\",\"pub\":{\"data\":1,\"tags\":{\"k\\\\\":\"\\t\"}}}}");
    }

    @Test
    void encodedStringsRoundTripThroughAJsonParser() {
      StringBuilder all = new StringBuilder();
      for (char c = 0; c < 0x80; c++) all.append(c);
      all.append("\u00e9\u2028\u2029\ud83d\ude00\uffff");
      String s = all.toString();
      Buffer out = JsonReplyEncoder.push(new Push.Unsubscribe(s, 2500, s));
      assertThat(out.getBytes()).doesNotContain((byte) '\n');
      JsonObject o = new JsonObject(out).getJsonObject("push");
      assertThat(o.getString("channel")).isEqualTo(s);
      assertThat(o.getJsonObject("unsubscribe").getString("reason")).isEqualTo(s);
      assertThat(o.getJsonObject("unsubscribe").getInteger("code")).isEqualTo(2500);
    }
  }

  @Test
  void unknownResultOrPushTypeIsRejected() {
    assertThatThrownBy(() -> JsonReplyEncoder.reply(1, null)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> JsonReplyEncoder.push(null)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void buffersAreIndependent() {
    Buffer a = JsonReplyEncoder.reply(1, new Result.Publish());
    Buffer b = JsonReplyEncoder.reply(1, new Result.Publish());
    a.appendString("x");
    assertThat(b.toString(UTF_8)).isEqualTo("{\"id\":1,\"publish\":{}}");
  }
}
