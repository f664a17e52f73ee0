package dev.gyre.protocol.json;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolException;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.StreamPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests of the protocol records and code tables in dev.gyre.protocol (spec/client-protocol.md §2, §3). */
class ProtocolRecordsTest {

  @Test
  void errorCodesMatchTheSpecTable_3_1() {
    Map<Integer, String> expected = new LinkedHashMap<>();
    expected.put(100, "internal server error|true");
    expected.put(101, "unauthorized|false");
    expected.put(102, "unknown channel|false");
    expected.put(103, "permission denied|false");
    expected.put(104, "method not found|false");
    expected.put(105, "already subscribed|false");
    expected.put(106, "limit exceeded|false");
    expected.put(107, "bad request|false");
    expected.put(108, "not available|false");
    expected.put(109, "token expired|false");
    expected.put(110, "expired|false");
    expected.put(111, "too many requests|true");
    expected.put(112, "unrecoverable position|false");
    Map<Integer, String> actual = Arrays.stream(ErrorCode.values())
        .collect(Collectors.toMap(ErrorCode::code, e -> e.message() + "|" + e.temporary(), (a, b) -> a + "DUP" + b,
            LinkedHashMap::new));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void disconnectCodesMatchTheSpecTable_3_2() {
    Map<Integer, String> expected = new HashMap<>();
    expected.put(3001, "shutdown");
    expected.put(3004, "internal server error");
    expected.put(3005, "connection expired");
    expected.put(3006, "subscription expired");
    expected.put(3008, "slow");
    expected.put(3009, "write error");
    expected.put(3010, "insufficient state");
    expected.put(3011, "force reconnect");
    expected.put(3012, "no pong");
    expected.put(3013, "too many requests");
    expected.put(3500, "invalid token");
    expected.put(3501, "bad request");
    expected.put(3502, "stale");
    expected.put(3503, "force disconnect");
    expected.put(3504, "connection limit");
    expected.put(3505, "channel limit");
    expected.put(3506, "inappropriate protocol");
    expected.put(3507, "permission denied");
    expected.put(3508, "not available");
    for (DisconnectCode d : DisconnectCode.values()) {
      assertThat(expected).as("code %s is in the spec table", d).containsKey(d.code());
      assertThat(d.reason()).as("reason of %s", d).isEqualTo(expected.get(d.code()));
    }
    assertThat(Arrays.stream(DisconnectCode.values()).map(DisconnectCode::code).distinct().count())
        .isEqualTo(DisconnectCode.values().length);
    assertThat(DisconnectCode.BAD_REQUEST.code()).isEqualTo(3501);
  }

  @ParameterizedTest
  @EnumSource(DisconnectCode.class)
  void disconnectReasonsFitACloseFrameAndAreNotJson_3_5(DisconnectCode d) {
    assertThat(d.reason()).isNotEmpty();
    assertThat(d.reason().getBytes(UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(RawJson.isValid(d.reason().getBytes(UTF_8))).isFalse();
    Disconnect disc = d.toDisconnect();
    assertThat(disc.code()).isEqualTo(d.code());
    assertThat(disc.reason()).isEqualTo(d.reason());
    // 3000–3499 reconnect, 3500–3999 terminal.
    assertThat(disc.reconnect()).isEqualTo(d.code() < 3500);
  }

  @ParameterizedTest
  @CsvSource({
      "1000,true", "1009,true", "2999,true", "3000,true", "3001,true", "3499,true",
      "3500,false", "3501,false", "3999,false",
      "4000,true", "4499,true", "4500,false", "4999,false", "5000,true", "65535,true",
  })
  void reconnectRule_3_2(int code, boolean reconnect) {
    assertThat(new Disconnect(code, "x").reconnect()).isEqualTo(reconnect);
  }

  @Test
  void disconnectException() {
    DisconnectException e = new DisconnectException(DisconnectCode.BAD_REQUEST);
    assertThat(e.disconnect()).isEqualTo(new Disconnect(3501, "bad request"));
    assertThat(e.getMessage()).isEqualTo("bad request");
    assertThat(e.getStackTrace()).isEmpty();
    DisconnectException custom = new DisconnectException(new Disconnect(4500, "custom"));
    assertThat(custom.disconnect().code()).isEqualTo(4500);
    assertThat(custom.getMessage()).isEqualTo("custom");
  }

  @Test
  void protocolException() {
    ProtocolException e = new ProtocolException(ErrorCode.PERMISSION_DENIED);
    assertThat(e.error()).isSameAs(ErrorCode.PERMISSION_DENIED);
    assertThat(e.getMessage()).isEqualTo("permission denied");
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void publicationTagsAreNeverNullAndAreCopied() {
    assertThat(new Publication(null, null, 0, null).tags()).isNotNull().isEmpty();
    Map<String, String> tags = new HashMap<>();
    tags.put("a", "1");
    Publication p = new Publication("1".getBytes(UTF_8), null, 3, tags);
    tags.put("b", "2");
    assertThat(p.tags()).isEqualTo(Map.of("a", "1"));
    assertThatThrownBy(() -> p.tags().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(p.offset()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource({"0,false", "1,false", "2,true", "3,true", "6,true", "4,false", "-1,true"})
  void rejectUnrecoveredIsFlagBit1_2_5(long flag, boolean expected) {
    Request.Subscribe s = new Request.Subscribe("c", "", false, "", 0, null, false, false, false, "", flag, 0);
    assertThat(s.rejectUnrecovered()).isEqualTo(expected);
  }

  @Test
  void emptySubscribeResultHasOnlyDefaults() {
    Result.Subscribe e = Result.Subscribe.EMPTY;
    assertThat(e.expires()).isFalse();
    assertThat(e.ttl()).isZero();
    assertThat(e.recoverable()).isFalse();
    assertThat(e.epoch()).isEmpty();
    assertThat(e.publications()).isEmpty();
    assertThat(e.recovered()).isFalse();
    assertThat(e.offset()).isZero();
    assertThat(e.positioned()).isFalse();
    assertThat(e.data()).isNull();
    assertThat(e.wasRecovering()).isFalse();
  }

  @Test
  void valueRecordsHaveValueEquality() {
    assertThat(new StreamPosition(5, "e")).isEqualTo(new StreamPosition(5, "e")).isNotEqualTo(new StreamPosition(5, "f"));
    assertThat(new Command(1, new Request.Presence("c"))).isEqualTo(new Command(1, new Request.Presence("c")));
    assertThat(new Request.Pong()).isEqualTo(new Request.Pong());
    assertThat(new Request.Unknown()).isEqualTo(new Request.Unknown());
    assertThat(new Result.PresenceStats(1, 2)).isEqualTo(new Result.PresenceStats(1, 2));
    assertThat(new Result.History(List.of(), "e", 1)).isEqualTo(new Result.History(List.of(), "e", 1));
    ClientInfo ci = new ClientInfo("u", "c", null, null);
    assertThat(ci.user()).isEqualTo("u");
    assertThat(ci.client()).isEqualTo("c");
  }
}
