package dev.gyre.protocol.json;

import dev.gyre.protocol.EmulationRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property test: whatever body arrives at the emulation endpoint, the decoder returns a request
 * or throws {@link EmulationRequest.MalformedException} (→ 400) — never anything else. Generated
 * valid bodies decode to what was generated. Fixed seed: reproducible.
 */
class JsonEmulationRequestDecoderFuzzTest {
  static final long SEED = 0x656d756cL;
  static final int CASES = 120_000;

  static final String[] GOLDEN = {
      "{\"session\":\"8b6f\",\"node\":\"n1\",\"data\":\"{\\\"subscribe\\\":{\\\"channel\\\":\\\"chat:index\\\",\\\"flag\\\":1},\\\"id\\\":2}\"}",
      "{\"session\":\"8b6f\",\"node\":\"n1\",\"data\":\"{}\"}",
      "{\"node\":\"n1\",\"data\":\"{\\\"publish\\\":{\\\"channel\\\":\\\"c\\\",\\\"data\\\":{\\\"t\\\":\\\"\\\\u00e9\\\"}},\\\"id\\\":3}\\n{}\",\"session\":\"x\"}",
  };
  static final String ALPHABET = "{}[]\":,\\ntrufalsenul0123456789.-+eE \t\r\nsession node data \\u00e9";

  @Test
  void decoderRejectsOnlyWithMalformed() {
    Random rnd = new Random(SEED);
    int ok = 0, rejected = 0;
    for (int i = 0; i < CASES; i++) {
      int kind = rnd.nextInt(10);
      byte[] body;
      JsonObject expected = null;
      if (kind < 2) {
        expected = generate(rnd);
        body = expected.encode().getBytes(UTF_8);
      } else if (kind < 7) {
        body = mutate(rnd, GOLDEN[rnd.nextInt(GOLDEN.length)].getBytes(UTF_8));
      } else if (kind < 9) {
        body = randomText(rnd);
      } else {
        body = new byte[rnd.nextInt(64)];
        rnd.nextBytes(body);
      }
      try {
        EmulationRequest r = JsonEmulationRequestDecoder.decode(body);
        ok++;
        assertThat(r.session()).isNotEmpty();
        assertThat(r.data()).isNotEmpty();
        if (expected != null) {
          assertThat(r.session()).isEqualTo(expected.getString("session"));
          assertThat(r.node()).isEqualTo(expected.getString("node"));
          assertThat(new String(r.data(), UTF_8)).isEqualTo(expected.getString("data"));
        }
      } catch (EmulationRequest.MalformedException e) {
        rejected++;
        if (expected != null) fail("a generated valid body was rejected: " + expected.encode());
      } catch (Throwable t) {
        fail("decoder threw " + t + " for " + Arrays.toString(body), t);
      }
    }
    assertThat(ok + rejected).isEqualTo(CASES);
    assertThat(ok).as("some bodies decode").isGreaterThan(CASES / 10);
    assertThat(rejected).as("some bodies are rejected").isGreaterThan(CASES / 10);
  }

  static JsonObject generate(Random rnd) {
    return new JsonObject().put("session", word(rnd, 1 + rnd.nextInt(36))).put("node", word(rnd, rnd.nextInt(36)))
        .put("data", frameText(rnd));
  }

  static String frameText(Random rnd) {
    StringBuilder b = new StringBuilder();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append('\n');
      b.append("{\"subscribe\":{\"channel\":\"").append(word(rnd, 1 + rnd.nextInt(10))).append("\"},\"id\":")
          .append(1 + rnd.nextInt(1000)).append('}');
    }
    return b.toString();
  }

  static String word(Random rnd, int len) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int c = rnd.nextInt(100);
      b.append(c < 90 ? (char) ('a' + rnd.nextInt(26)) : c < 95 ? "\"\\/é€".charAt(rnd.nextInt(5)) : (char) rnd.nextInt(32));
    }
    return b.toString();
  }

  static byte[] mutate(Random rnd, byte[] src) {
    byte[] b = Arrays.copyOf(src, src.length);
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int op = rnd.nextInt(4);
      if (b.length == 0) break;
      int at = rnd.nextInt(b.length);
      switch (op) {
        case 0 -> b[at] = (byte) ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
        case 1 -> b[at] = (byte) rnd.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        default -> { // duplicate a slice
          int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, at + len);
          System.arraycopy(b, at, out, at + len, b.length - at);
          b = out;
        }
      }
    }
    return b;
  }

  static byte[] randomText(Random rnd) {
    StringBuilder b = new StringBuilder();
    int len = rnd.nextInt(80);
    for (int i = 0; i < len; i++) b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
    return b.toString().getBytes(UTF_8);
  }
}
