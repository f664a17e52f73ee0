package dev.gyre.protocol.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.gyre.protocol.EmulationRequest;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectRequest;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Protobuf emulation request decoder (spec/client-protocol.md §1.6, §2.4): examples, a bound on
 * what a huge declared length costs, and a property test over 120,000 generated, mutated and random
 * bodies checked against protobuf-java's own parser. Fixed seed: reproducible.
 */
class ProtobufEmulationRequestDecoderTest {
  static final long SEED = 0x70626d75L;
  static final int CASES = 120_000;

  static byte[] request(String node, String session, byte[] data) {
    return dev.gyre.protocol.pb.EmulationRequest.newBuilder().setNode(node).setSession(session)
        .setData(ByteString.copyFrom(data)).build().toByteArray();
  }

  @Test
  void decodesTheThreeFields() throws Exception {
    byte[] frame = {8, 8, 1, 0x22, 4, 0x22, 2, 'j', 's'};
    EmulationRequest r = ProtobufEmulationRequestDecoder.decode(request("node-1", "sess-1", frame));
    assertThat(r.node()).isEqualTo("node-1");
    assertThat(r.session()).isEqualTo("sess-1");
    assertThat(r.data()).isEqualTo(frame);
    // the bytes are a real command frame
    assertThat(Command.parseDelimitedFrom(new java.io.ByteArrayInputStream(r.data())).getConnect())
        .isEqualTo(ConnectRequest.newBuilder().setName("js").build());
  }

  @Test
  void skipsUnknownFieldsOfEveryWireTypeAndTakesTheLastOccurrence() {
    byte[] known = request("n", "first", new byte[] {1});
    byte[] extra = {
        0x20, (byte) 0x96, 0x01,                 // field 4 varint
        0x29, 1, 2, 3, 4, 5, 6, 7, 8,            // field 5 fixed64
        0x35, 1, 2, 3, 4,                        // field 6 fixed32
        0x3a, 2, 'x', 'y',                       // field 7 bytes
        0x12, 6, 's', 'e', 'c', 'o', 'n', 'd'};  // field 2 again
    byte[] body = concat(known, extra);
    EmulationRequest r = ProtobufEmulationRequestDecoder.decode(body);
    assertThat(r.session()).isEqualTo("second");
    assertThat(r.data()).containsExactly(1);
  }

  @Test
  void rejectsMalformedBodies() {
    byte[][] bad = {
        {},                                             // no session, no data
        request("n", "", new byte[] {1}),               // no session
        request("n", "s", new byte[0]),                 // no data
        {0x12, (byte) 0x80},                            // truncated varint
        {0x12, 5, 'a'},                                 // length beyond the body
        {0x0b, 0x0c},                                   // group wire type
        {0x00, 0x00},                                   // field 0
        {0x08, 1},                                      // session field as a varint
        {0x12, 2, (byte) 0xc3, 0x28, 0x1a, 1, 1},       // session not UTF-8
        {0x29, 1, 2},                                   // truncated fixed64
        {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // varint beyond 64 bits
    };
    for (byte[] body : bad) {
      assertThatThrownBy(() -> ProtobufEmulationRequestDecoder.decode(body))
          .as(Arrays.toString(body)).isInstanceOf(EmulationRequest.MalformedException.class);
    }
  }

  @Test
  void aHugeDeclaredLengthIsRefusedWithoutAllocatingForIt() {
    byte[] body = {0x1a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3}; // data: 2^31-1 bytes
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (int i = 0; i < 1000; i++) decodeQuietly(body); // warm up, so that class loading is not counted
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100; i++) decodeQuietly(body);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertThat(allocated / 100).as("bytes allocated per rejected request").isLessThan(4096);
  }

  private static void decodeQuietly(byte[] body) {
    try {
      ProtobufEmulationRequestDecoder.decode(body);
      fail("accepted a length beyond the body");
    } catch (EmulationRequest.MalformedException expected) {
      // the point
    }
  }

  /**
   * Whatever body arrives, the decoder returns a request or throws MalformedException — nothing
   * else; generated valid bodies decode to what was generated; and whatever it accepts,
   * protobuf-java parses to the same fields.
   */
  @Test
  void propertyOnlyMalformedAndAgreesWithProtobufJava() {
    Random rnd = new Random(SEED);
    int ok = 0, rejected = 0;
    for (int i = 0; i < CASES; i++) {
      int kind = rnd.nextInt(10);
      byte[] body;
      dev.gyre.protocol.pb.EmulationRequest expected = null;
      if (kind < 2) {
        expected = generate(rnd);
        body = expected.toByteArray();
      } else if (kind < 8) {
        body = mutate(rnd, generate(rnd).toByteArray());
      } else {
        body = new byte[rnd.nextInt(48)];
        rnd.nextBytes(body);
      }
      EmulationRequest r;
      try {
        r = ProtobufEmulationRequestDecoder.decode(body);
      } catch (EmulationRequest.MalformedException e) {
        rejected++;
        if (expected != null) fail("a generated valid body was rejected: " + Arrays.toString(body));
        continue;
      } catch (Throwable t) {
        fail("decoder threw " + t + " for " + Arrays.toString(body), t);
        return;
      }
      ok++;
      assertThat(r.session()).isNotEmpty();
      assertThat(r.data()).isNotEmpty();
      dev.gyre.protocol.pb.EmulationRequest reference;
      try {
        reference = dev.gyre.protocol.pb.EmulationRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        fail("accepted a body protobuf-java rejects: " + Arrays.toString(body));
        return;
      }
      assertThat(r.session()).isEqualTo(reference.getSession());
      assertThat(r.node()).isEqualTo(reference.getNode());
      assertThat(r.data()).isEqualTo(reference.getData().toByteArray());
    }
    assertThat(ok + rejected).isEqualTo(CASES);
    assertThat(ok).as("some bodies decode").isGreaterThan(CASES / 10);
    assertThat(rejected).as("some bodies are rejected").isGreaterThan(CASES / 10);
  }

  static dev.gyre.protocol.pb.EmulationRequest generate(Random rnd) {
    Command.Builder c = Command.newBuilder().setId(rnd.nextInt(100));
    if (rnd.nextBoolean()) c.setConnect(ConnectRequest.newBuilder().setToken(word(rnd, rnd.nextInt(40))).setName("js"));
    byte[] frame = PbFrames.delimited(c.build());
    var b = dev.gyre.protocol.pb.EmulationRequest.newBuilder().setSession(word(rnd, 1 + rnd.nextInt(36)))
        .setNode(word(rnd, rnd.nextInt(12))).setData(ByteString.copyFrom(frame));
    if (rnd.nextInt(5) == 0) {
      b.setUnknownFields(UnknownFieldSet.newBuilder().addField(4 + rnd.nextInt(20),
          UnknownFieldSet.Field.newBuilder().addVarint(rnd.nextLong()).build()).build());
    }
    return b.build();
  }

  static String word(Random rnd, int n) {
    String alphabet = "abcdef0123456789-é";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    return s.toString();
  }

  static byte[] mutate(Random rnd, byte[] in) {
    byte[] b = in.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(5)) {
        case 0 -> b[at] = (byte) rnd.nextInt(256);
        case 1 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
        case 2 -> b = Arrays.copyOf(b, at);                          // truncate
        case 3 -> b = concat(Arrays.copyOf(b, at), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            Arrays.copyOfRange(b, at, b.length));                    // a huge varint inserted
        default -> b = concat(b, Arrays.copyOfRange(b, 0, Math.min(b.length, 1 + rnd.nextInt(8))));
      }
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Delimited encoding helper. */
  static final class PbFrames {
    static byte[] delimited(Command c) {
      var out = new java.io.ByteArrayOutputStream();
      try {
        c.writeDelimitedTo(out);
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      return out.toByteArray();
    }
  }
}
