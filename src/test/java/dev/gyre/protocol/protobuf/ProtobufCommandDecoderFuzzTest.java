package dev.gyre.protocol.protobuf;

import com.google.protobuf.ByteString;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.HistoryRequest;
import dev.gyre.protocol.pb.PresenceRequest;
import dev.gyre.protocol.pb.PresenceStatsRequest;
import dev.gyre.protocol.pb.PublishRequest;
import dev.gyre.protocol.pb.RPCRequest;
import dev.gyre.protocol.pb.RefreshRequest;
import dev.gyre.protocol.pb.SendRequest;
import dev.gyre.protocol.pb.StreamPosition;
import dev.gyre.protocol.pb.SubRefreshRequest;
import dev.gyre.protocol.pb.SubscribeRequest;
import dev.gyre.protocol.pb.UnsubscribeRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property test: whatever bytes arrive, {@link ProtobufCommandDecoder#decodeFrame} either returns
 * commands or throws {@link DisconnectException} with 3501 — never anything else. Generated valid
 * frames decode to exactly the generated ids and request types. Fixed seed: reproducible.
 */
class ProtobufCommandDecoderFuzzTest {
  static final long SEED = 0x70726f746fL;
  static final int CASES = 120_000;
  static final int LIMIT = 4096;

  static final List<Class<? extends Request>> TYPES = List.of(Request.Connect.class, Request.Subscribe.class,
      Request.Unsubscribe.class, Request.Publish.class, Request.Presence.class, Request.PresenceStats.class,
      Request.History.class, Request.Rpc.class, Request.Send.class, Request.Refresh.class, Request.SubRefresh.class);

  final ProtobufCodec codec = new ProtobufCodec(LIMIT);

  record Generated(byte[] frame, List<Long> ids, List<Class<? extends Request>> types) {}

  @Test
  void decoderNeverThrowsAnythingButBadRequest() {
    Random rnd = new Random(SEED);
    List<byte[]> corpus = new ArrayList<>();
    for (int i = 0; i < 64; i++) corpus.add(generate(rnd).frame());
    int decoded = 0, rejected = 0, validChecked = 0;
    for (int i = 0; i < CASES; i++) {
      int kind = rnd.nextInt(10);
      Generated expected = null;
      byte[] frame;
      if (kind < 2) {
        expected = generate(rnd);
        frame = expected.frame();
      } else if (kind < 4) {
        frame = new byte[rnd.nextInt(64)];
        rnd.nextBytes(frame);
      } else {
        frame = mutate(rnd, corpus.get(rnd.nextInt(corpus.size())));
      }
      List<Command> out;
      try {
        out = codec.decodeFrame(frame);
      } catch (DisconnectException e) {
        assertThat(e.disconnect().code()).as("disconnect code").isEqualTo(3501);
        if (expected != null) fail("a valid generated frame was rejected: " + Arrays.toString(frame));
        rejected++;
        continue;
      } catch (Throwable t) {
        throw new AssertionError("decoder threw " + t + " for frame " + Arrays.toString(frame), t);
      }
      decoded++;
      assertThat(out).isNotEmpty();
      for (Command c : out) {
        assertThat(c.request()).isNotNull();
        assertThat(c.id()).isBetween(0L, 0xFFFFFFFFL);
        if (c.id() == 0) assertThat(c.request()).isInstanceOfAny(Request.Pong.class, Request.Send.class);
      }
      if (expected != null) {
        validChecked++;
        assertThat(out).extracting(Command::id).containsExactlyElementsOf(expected.ids());
        for (int k = 0; k < out.size(); k++) assertThat(out.get(k).request()).isInstanceOf(expected.types().get(k));
      }
    }
    assertThat(decoded).as("frames decoded").isGreaterThan(CASES / 10);
    assertThat(rejected).as("frames rejected").isGreaterThan(CASES / 10);
    assertThat(validChecked).isGreaterThan(CASES / 10);
  }

  static Generated generate(Random rnd) {
    int n = 1 + rnd.nextInt(4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Long> ids = new ArrayList<>();
    List<Class<? extends Request>> types = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int type = rnd.nextInt(TYPES.size());
      long id = type == 8 ? 0 : 1 + rnd.nextInt(1_000_000);
      dev.gyre.protocol.pb.Command.Builder b = dev.gyre.protocol.pb.Command.newBuilder().setId((int) id);
      ByteString data = ByteString.copyFrom(bytes(rnd, rnd.nextInt(20)));
      String s = "ch" + rnd.nextInt(100);
      switch (type) {
        case 0 -> b.setConnect(ConnectRequest.newBuilder().setToken(s).setData(data).setName("js")
            .putSubs(s, SubscribeRequest.newBuilder().setRecover(true).setOffset(rnd.nextInt(1000)).build()));
        case 1 -> b.setSubscribe(SubscribeRequest.newBuilder().setChannel(s).setFlag(rnd.nextInt(4))
            .setOffset(rnd.nextInt(100)).setEpoch("e").setRecover(rnd.nextBoolean()).setData(data));
        case 2 -> b.setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel(s));
        case 3 -> b.setPublish(PublishRequest.newBuilder().setChannel(s).setData(data));
        case 4 -> b.setPresence(PresenceRequest.newBuilder().setChannel(s));
        case 5 -> b.setPresenceStats(PresenceStatsRequest.newBuilder().setChannel(s));
        case 6 -> b.setHistory(HistoryRequest.newBuilder().setChannel(s).setLimit(rnd.nextInt(10) - 1)
            .setSince(StreamPosition.newBuilder().setOffset(rnd.nextInt(100)).setEpoch("e")));
        case 7 -> b.setRpc(RPCRequest.newBuilder().setMethod(s).setData(data));
        case 8 -> b.setSend(SendRequest.newBuilder().setData(data));
        case 9 -> b.setRefresh(RefreshRequest.newBuilder().setToken(s));
        default -> b.setSubRefresh(SubRefreshRequest.newBuilder().setChannel(s).setToken(s));
      }
      try {
        b.build().writeDelimitedTo(out);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      ids.add(id);
      types.add(TYPES.get(type));
    }
    return new Generated(out.toByteArray(), ids, types);
  }

  static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** Bit flips, byte changes, truncation, duplication, insertion, huge or overlong length prefixes. */
  static byte[] mutate(Random rnd, byte[] src) {
    byte[] f = src.clone();
    int ops = 1 + rnd.nextInt(3);
    for (int o = 0; o < ops && f.length > 0; o++) {
      switch (rnd.nextInt(7)) {
        case 0 -> f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
        case 2 -> f = Arrays.copyOf(f, rnd.nextInt(f.length));
        case 3 -> {
          byte[] g = Arrays.copyOf(f, f.length * 2);
          System.arraycopy(f, 0, g, f.length, f.length);
          f = g;
        }
        case 4 -> {
          int at = rnd.nextInt(f.length + 1);
          byte[] ins = bytes(rnd, 1 + rnd.nextInt(4));
          byte[] g = new byte[f.length + ins.length];
          System.arraycopy(f, 0, g, 0, at);
          System.arraycopy(ins, 0, g, at, ins.length);
          System.arraycopy(f, at, g, at + ins.length, f.length - at);
          f = g;
        }
        case 5 -> {
          byte[] prefix = rnd.nextBoolean() ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}
              : new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
          byte[] g = new byte[prefix.length + f.length];
          System.arraycopy(prefix, 0, g, 0, prefix.length);
          System.arraycopy(f, 0, g, prefix.length, f.length);
          f = g;
        }
        default -> f[0] = (byte) rnd.nextInt(128); // a different first length
      }
    }
    return f;
  }
}
