package dev.gyre.protocol.json;

import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property test: whatever bytes arrive, {@link JsonCommandDecoder#decodeFrame} either returns
 * well-formed commands or throws {@link DisconnectException} with 3501 — never anything else.
 * Generated valid frames must decode to what was generated. Fixed seed: reproducible.
 */
class JsonCommandDecoderFuzzTest {
  static final long SEED = 0x6779726531L;
  static final int CASES = 20_000;

  static final String[] KEYS = {"connect", "subscribe", "unsubscribe", "publish", "presence", "presence_stats",
      "history", "rpc", "send", "refresh", "sub_refresh"};
  static final List<Class<? extends Request>> TYPES = List.of(Request.Connect.class, Request.Subscribe.class,
      Request.Unsubscribe.class, Request.Publish.class, Request.Presence.class, Request.PresenceStats.class,
      Request.History.class, Request.Rpc.class, Request.Send.class, Request.Refresh.class, Request.SubRefresh.class);

  static final String[] GOLDEN = {
      "{\"connect\":{\"token\":\"<JWT>\",\"name\":\"js\"},\"id\":1}\n{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}",
      "{\"subscribe\":{\"channel\":\"chat:index\",\"recoverable\":true,\"flag\":1,\"recover\":true,\"offset\":14,\"epoch\":\"XKjqWqvE\"},\"id\":6}",
      "{\"history\":{\"channel\":\"chat:index\",\"since\":{\"offset\":15,\"epoch\":\"XKjqWqvE\"},\"limit\":5,\"reverse\":true},\"id\":4}",
      "{\"presence\":{\"channel\":\"chat:index\"},\"id\":7}",
      "{\"publish\":{\"channel\":\"chat:index\",\"data\":{\"text\":\"hi\"}},\"id\":10}",
      "{\"rpc\":{\"method\":\"getCurrentYear\",\"data\":{}},\"id\":11}",
      "{\"send\":{\"data\":{\"hello\":\"server\"}}}",
      "{}",
      "{\"connect\":{\"subs\":{\"personal:#42\":{\"recover\":true,\"offset\":7,\"epoch\":\"e\"}},\"data\":[1,\"\\u00e9\"]},\"id\":1}",
      "{\"sub_refresh\":{\"channel\":\"$chat:secret\",\"token\":\"<newSubJWT>\"},\"id\":14}\n{\"refresh\":{\"token\":\"t\"},\"id\":13}\n",
  };

  /** A generated frame with the expected result of each command. */
  record Generated(String frame, List<Long> ids, List<Class<? extends Request>> types) {}

  @Test
  void decoderNeverThrowsAnythingButBadRequest() {
    Random rnd = new Random(SEED);
    List<byte[]> corpus = new ArrayList<>();
    for (String g : GOLDEN) corpus.add(g.getBytes(UTF_8));
    int decodedOk = 0, rejected = 0;
    for (int i = 0; i < CASES; i++) {
      int kind = rnd.nextInt(10);
      byte[] frame;
      Generated expected = null;
      if (kind < 2) {
        expected = generateFrame(rnd);
        frame = expected.frame().getBytes(UTF_8);
        if (corpus.size() < 500) corpus.add(frame);
      } else {
        byte[] base = rnd.nextInt(5) == 0
            ? generateFrame(rnd).frame().getBytes(UTF_8)
            : corpus.get(rnd.nextInt(corpus.size()));
        frame = switch (kind) {
          case 2 -> randomBytes(rnd);
          case 3 -> truncate(rnd, base);
          case 4, 5 -> flip(rnd, base);
          case 6 -> insertStructural(rnd, base);
          case 7 -> deleteChunk(rnd, base);
          case 8 -> splice(rnd, base, corpus.get(rnd.nextInt(corpus.size())));
          default -> duplicateChunk(rnd, base);
        };
      }
      List<Command> cmds;
      try {
        cmds = JsonCommandDecoder.decodeFrame(frame);
      } catch (DisconnectException e) {
        if (e.disconnect().code() != 3501 || !"bad request".equals(e.disconnect().reason())) {
          fail("case %d: unexpected disconnect %s for frame %s", i, e.disconnect(), show(frame));
        }
        if (expected != null) fail("case %d: valid frame rejected: %s", i, show(frame));
        rejected++;
        continue;
      } catch (Throwable t) {
        throw new AssertionError("case " + i + " (seed " + SEED + "): " + t + " for frame " + show(frame), t);
      }
      decodedOk++;
      checkInvariants(i, frame, cmds);
      if (expected != null) {
        assertThat(cmds).extracting(Command::id).as("case %d ids: %s", i, expected.frame())
            .containsExactlyElementsOf(expected.ids());
        for (int k = 0; k < cmds.size(); k++) {
          assertThat(cmds.get(k).request()).as("case %d cmd %d: %s", i, k, expected.frame())
              .isInstanceOf(expected.types().get(k));
        }
      }
    }
    // The mix must exercise both outcomes substantially.
    assertThat(decodedOk).isGreaterThan(CASES / 10);
    assertThat(rejected).isGreaterThan(CASES / 3);
  }

  /** Adversarial shapes within the 64 KiB frame limit (§1.2): no StackOverflowError, no other exception. */
  @Test
  void deepNestingAndLargeValuesWithinTheFrameLimit() {
    List<String> frames = new ArrayList<>();
    frames.add("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + "[".repeat(30000) + "]".repeat(30000) + "}}");
    frames.add("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + "[".repeat(60000) + "}}");
    frames.add("{\"id\":1,\"x\":" + "{\"a\":".repeat(10000) + "1" + "}".repeat(10000) + ",\"presence\":{}}");
    frames.add("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":\"" + "x".repeat(65000) + "\"}}");
    frames.add("{\"id\":1,\"publish\":{\"channel\":\"" + "\\u00e9".repeat(10000) + "\"}}");
    frames.add("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + "9".repeat(60000) + "}}");
    frames.add("{}\n".repeat(16000));
    frames.add("\n".repeat(65000));
    for (String f : frames) {
      byte[] frame = f.getBytes(UTF_8);
      try {
        List<Command> cmds = JsonCommandDecoder.decodeFrame(frame);
        checkInvariants(-1, frame, cmds);
      } catch (DisconnectException e) {
        assertThat(e.disconnect().code()).isEqualTo(3501);
      } catch (Throwable t) {
        throw new AssertionError("frame of " + frame.length + " bytes starting " + f.substring(0, 40) + ": " + t, t);
      }
    }
    // The well-formed ones among them must decode.
    assertThat(JsonCommandDecoder.decodeFrame("{}\n".repeat(16000).getBytes(UTF_8))).hasSize(16000);
    String longData = "\"" + "x".repeat(65000) + "\"";
    Request.Publish p = (Request.Publish) JsonCommandDecoder.decodeFrame(
        ("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + longData + "}}").getBytes(UTF_8)).get(0).request();
    assertThat(p.data()).isEqualTo(longData.getBytes(UTF_8));
  }

  static void checkInvariants(int i, byte[] frame, List<Command> cmds) {
    String ctx = "case " + i + ": " + show(frame);
    int len = frame.length;
    if (len > 0 && frame[len - 1] == '\n') len--;
    int segments = 1;
    for (int k = 0; k < len; k++) if (frame[k] == '\n') segments++;
    assertThat(cmds).as(ctx).isNotNull().hasSize(segments).doesNotContainNull();
    for (Command c : cmds) {
      assertThat(c.request()).as(ctx).isNotNull();
      assertThat(c.id()).as(ctx).isBetween(0L, 0xFFFFFFFFL);
      if (c.id() == 0) assertThat(c.request()).as(ctx).isInstanceOfAny(Request.Pong.class, Request.Send.class);
      if (c.request() instanceof Request.Unknown) assertThat(c.id()).as(ctx).isPositive();
      for (byte[] data : payloads(c.request())) {
        if (data == null) continue;
        assertThat(RawJson.isValid(data)).as("payload %s is valid JSON; %s", show(data), ctx).isTrue();
        assertThat(indexOf(frame, data)).as("payload %s occurs in the frame; %s", show(data), ctx)
            .isGreaterThanOrEqualTo(0);
        assertThat(data[0]).as(ctx).isNotIn((byte) ' ', (byte) '\t', (byte) '\r', (byte) '\n');
        assertThat(data[data.length - 1]).as(ctx).isNotIn((byte) ' ', (byte) '\t', (byte) '\r', (byte) '\n');
      }
    }
  }

  static List<byte[]> payloads(Request r) {
    List<byte[]> out = new ArrayList<>();
    if (r instanceof Request.Connect c) {
      out.add(c.data());
      c.subs().values().forEach(s -> out.add(s.data()));
    } else if (r instanceof Request.Subscribe s) {
      out.add(s.data());
    } else if (r instanceof Request.Publish p) {
      out.add(p.data());
    } else if (r instanceof Request.Rpc p) {
      out.add(p.data());
    } else if (r instanceof Request.Send p) {
      out.add(p.data());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // generation of valid frames

  static Generated generateFrame(Random rnd) {
    int n = 1 + rnd.nextInt(4);
    List<String> lines = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Class<? extends Request>> types = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = switch (rnd.nextInt(6)) {
        case 0 -> 0;
        case 1 -> 0xFFFFFFFFL - rnd.nextInt(3);
        default -> 1 + rnd.nextInt(100000);
      };
      boolean writeId = id != 0 || rnd.nextBoolean();
      List<String> members = new ArrayList<>();
      int first = Integer.MAX_VALUE;
      int reqCount = rnd.nextInt(8) == 0 ? 2 : (rnd.nextInt(10) == 0 ? 0 : 1);
      for (int r = 0; r < reqCount; r++) {
        int k = rnd.nextInt(KEYS.length);
        if (members.stream().anyMatch(m -> m.startsWith("\"" + KEYS[k] + "\":"))) continue;
        members.add("\"" + KEYS[k] + "\":" + requestBody(rnd, KEYS[k]));
        first = Math.min(first, k);
      }
      if (rnd.nextInt(4) == 0) members.add("\"x_unknown\":" + jsonValue(rnd, 2));
      if (rnd.nextInt(10) == 0) members.add("\"ping\":{}");
      if (writeId) members.add(rnd.nextInt(members.size() + 1), "\"id\":" + id);
      lines.add("{" + String.join(ws(rnd) + "," + ws(rnd), members) + "}");
      Class<? extends Request> type;
      if (first != Integer.MAX_VALUE && TYPES.get(first) == Request.Send.class) type = Request.Send.class;
      else if (id == 0) type = Request.Pong.class;
      else type = first == Integer.MAX_VALUE ? Request.Unknown.class : TYPES.get(first);
      ids.add(type == Request.Pong.class ? 0L : id);
      types.add(type);
    }
    String frame = String.join("\n", lines) + (rnd.nextInt(4) == 0 ? "\n" : "");
    return new Generated(frame, ids, types);
  }

  static String requestBody(Random rnd, String key) {
    List<String> f = new ArrayList<>();
    switch (key) {
      case "connect" -> {
        opt(rnd, f, "token", str(rnd));
        opt(rnd, f, "data", jsonValue(rnd, 3));
        if (rnd.nextBoolean()) {
          List<String> subs = new ArrayList<>();
          for (int i = rnd.nextInt(3); i > 0; i--) subs.add(str(rnd) + ":" + requestBody(rnd, "subscribe"));
          f.add("\"subs\":{" + String.join(",", subs) + "}");
        }
        opt(rnd, f, "name", str(rnd));
        opt(rnd, f, "version", str(rnd));
      }
      case "subscribe" -> {
        opt(rnd, f, "channel", str(rnd));
        opt(rnd, f, "token", str(rnd));
        opt(rnd, f, "recover", bool(rnd));
        opt(rnd, f, "epoch", str(rnd));
        opt(rnd, f, "offset", Long.toString(rnd.nextLong() & Long.MAX_VALUE));
        opt(rnd, f, "data", jsonValue(rnd, 3));
        opt(rnd, f, "positioned", bool(rnd));
        opt(rnd, f, "recoverable", bool(rnd));
        opt(rnd, f, "join_leave", bool(rnd));
        opt(rnd, f, "delta", str(rnd));
        opt(rnd, f, "flag", Long.toString(rnd.nextLong()));
        opt(rnd, f, "type", Integer.toString(rnd.nextInt()));
      }
      case "history" -> {
        opt(rnd, f, "channel", str(rnd));
        opt(rnd, f, "limit", Integer.toString(rnd.nextInt()));
        opt(rnd, f, "since", "{\"offset\":" + (rnd.nextLong() & Long.MAX_VALUE) + ",\"epoch\":" + str(rnd) + "}");
        opt(rnd, f, "reverse", bool(rnd));
      }
      case "rpc" -> {
        opt(rnd, f, "method", str(rnd));
        opt(rnd, f, "data", jsonValue(rnd, 3));
      }
      case "send" -> opt(rnd, f, "data", jsonValue(rnd, 3));
      case "refresh" -> opt(rnd, f, "token", str(rnd));
      case "sub_refresh" -> {
        opt(rnd, f, "channel", str(rnd));
        opt(rnd, f, "token", str(rnd));
      }
      default -> opt(rnd, f, "channel", str(rnd)); // unsubscribe, publish, presence, presence_stats
    }
    if (key.equals("publish")) opt(rnd, f, "data", jsonValue(rnd, 3));
    if (rnd.nextInt(5) == 0) f.add(rnd.nextInt(f.size() + 1), "\"unknown_field\":" + jsonValue(rnd, 2));
    java.util.Collections.shuffle(f, rnd);
    return "{" + ws(rnd) + String.join("," + ws(rnd), f) + ws(rnd) + "}";
  }

  static void opt(Random rnd, List<String> f, String name, String value) {
    int r = rnd.nextInt(6);
    if (r == 0) return;
    f.add("\"" + name + "\"" + ws(rnd) + ":" + ws(rnd) + (r == 1 ? "null" : value));
  }

  static String bool(Random rnd) {
    return rnd.nextBoolean() ? "true" : "false";
  }

  static String ws(Random rnd) {
    return switch (rnd.nextInt(8)) {
      case 0 -> " ";
      case 1 -> "\t";
      case 2 -> " \r ";
      default -> "";
    };
  }

  static String str(Random rnd) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = rnd.nextInt(12); i > 0; i--) {
      switch (rnd.nextInt(10)) {
        case 0 -> sb.append("\\\"");
        case 1 -> sb.append("\\\\");
        case 2 -> sb.append("\\n");
        case 3 -> sb.append("\\u00").append(Integer.toHexString(0x10 + rnd.nextInt(0xf0)));
        case 4 -> sb.append("\u00e9");
        case 5 -> sb.append("\ud83d\ude00");
        case 6 -> sb.append("\u65e5");
        default -> sb.append((char) ('a' + rnd.nextInt(26)));
      }
    }
    return sb.append('"').toString();
  }

  static String jsonValue(Random rnd, int depth) {
    int r = rnd.nextInt(depth > 0 ? 10 : 7);
    return switch (r) {
      case 0 -> str(rnd);
      case 1 -> Long.toString(rnd.nextLong());
      case 2 -> rnd.nextInt(1000) + "." + rnd.nextInt(100) + (rnd.nextBoolean() ? "e" + (rnd.nextInt(20) - 10) : "");
      case 3 -> "true";
      case 4 -> "false";
      case 5 -> "null";
      case 6 -> "1e3";
      case 7 -> {
        List<String> els = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) els.add(ws(rnd) + jsonValue(rnd, depth - 1) + ws(rnd));
        yield "[" + String.join(",", els) + "]";
      }
      default -> {
        List<String> els = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) els.add(str(rnd) + ws(rnd) + ":" + ws(rnd) + jsonValue(rnd, depth - 1));
        yield "{" + ws(rnd) + String.join("," + ws(rnd), els) + "}";
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // mutations

  static final byte[] STRUCTURAL = "{}[]\":,\n\\ 0-.eEtfn\r\t".getBytes(UTF_8);

  static byte randomByte(Random rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> STRUCTURAL[rnd.nextInt(STRUCTURAL.length)];
      case 1 -> (byte) (0x20 + rnd.nextInt(0x5f));
      default -> (byte) rnd.nextInt(256);
    };
  }

  static byte[] randomBytes(Random rnd) {
    byte[] b = new byte[rnd.nextInt(64)];
    for (int i = 0; i < b.length; i++) b[i] = randomByte(rnd);
    if (b.length > 0 && rnd.nextBoolean()) b[0] = '{';
    return b;
  }

  static byte[] truncate(Random rnd, byte[] base) {
    return Arrays.copyOf(base, rnd.nextInt(base.length + 1));
  }

  static byte[] flip(Random rnd, byte[] base) {
    byte[] b = base.clone();
    if (b.length == 0) return b;
    for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
      int pos = rnd.nextInt(b.length);
      b[pos] = rnd.nextBoolean() ? randomByte(rnd) : (byte) (b[pos] ^ (1 << rnd.nextInt(8)));
    }
    return b;
  }

  static byte[] insertStructural(Random rnd, byte[] base) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = rnd.nextInt(base.length + 1);
    out.write(base, 0, pos);
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) out.write(STRUCTURAL[rnd.nextInt(STRUCTURAL.length)]);
    out.write(base, pos, base.length - pos);
    return out.toByteArray();
  }

  static byte[] deleteChunk(Random rnd, byte[] base) {
    if (base.length == 0) return base;
    int from = rnd.nextInt(base.length);
    int to = Math.min(base.length, from + 1 + rnd.nextInt(8));
    byte[] b = new byte[base.length - (to - from)];
    System.arraycopy(base, 0, b, 0, from);
    System.arraycopy(base, to, b, from, base.length - to);
    return b;
  }

  static byte[] duplicateChunk(Random rnd, byte[] base) {
    if (base.length == 0) return base;
    int from = rnd.nextInt(base.length);
    int to = Math.min(base.length, from + 1 + rnd.nextInt(16));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(base, 0, to);
    out.write(base, from, base.length - from);
    return out.toByteArray();
  }

  static byte[] splice(Random rnd, byte[] a, byte[] b) {
    int pa = rnd.nextInt(a.length + 1);
    int pb = rnd.nextInt(b.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(a, 0, pa);
    if (rnd.nextBoolean()) out.write('\n');
    out.write(b, pb, b.length - pb);
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  static String show(byte[] b) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte x : b) {
      int c = x & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
      else sb.append(String.format("\\x%02x", c));
    }
    return sb.append('"').toString();
  }
}
