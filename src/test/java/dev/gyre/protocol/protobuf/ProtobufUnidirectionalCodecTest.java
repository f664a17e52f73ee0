package dev.gyre.protocol.protobuf;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bare Protobuf pushes for unidirectional transports (spec/client-protocol.md §1.7, §2.6), read
 * back with the uni gRPC transport's own generated messages (unistream.proto) to prove the wire
 * bytes are the same.
 */
class ProtobufUnidirectionalCodecTest {
  static final ProtobufUnidirectionalCodec CODEC = ProtobufUnidirectionalCodec.INSTANCE;

  static dev.gyre.unistream.pb.Push single(Buffer delimited) throws Exception {
    List<Buffer> parts = ProtobufUnidirectionalCodec.split(delimited);
    assertThat(parts).hasSize(1);
    return dev.gyre.unistream.pb.Push.parseFrom(parts.get(0).getBytes());
  }

  @Test
  void connectResultBecomesAConnectPushWithItsOwnNumbering() throws Exception {
    Result.Connect c = new Result.Connect("client-1", "6.9.0 OSS", true, 30, "{}".getBytes(UTF_8),
        Map.of("news", new Result.Subscribe(false, 0, true, "ep", List.of(), false, 7, true, null, false)),
        25, false, "session-1", "", 0);
    var connect = single(CODEC.reply(1, c)).getConnect();
    assertThat(connect.getClient()).isEqualTo("client-1");
    assertThat(connect.getVersion()).isEqualTo("6.9.0 OSS");
    assertThat(connect.getExpires()).isTrue();
    assertThat(connect.getTtl()).isEqualTo(30);
    assertThat(connect.getData().toStringUtf8()).isEqualTo("{}");
    assertThat(connect.getPing()).isEqualTo(25);
    assertThat(connect.getSession()).isEqualTo("session-1");
    assertThat(connect.getSubsMap().get("news").getOffset()).isEqualTo(7);
    assertThat(connect.getSubsMap().get("news").getEpoch()).isEqualTo("ep");
    assertThat(connect.getSubsMap().get("news").getRecoverable()).isTrue();
  }

  @Test
  void aSharedEncodedPushIsUnwrappedBySlicingTheSameBytes() throws Exception {
    byte[] data = new byte[300]; // a length that needs a two-byte varint
    data[0] = (byte) 0xff;
    Push.Pub pub = new Push.Pub("news", new Publication(data, new ClientInfo("u", "c", null, null), 5, Map.of("k", "v")));
    EncodedPush encoded = PushEncoding.encodeOnce(pub);
    Buffer bare = CODEC.select(encoded);
    var push = single(bare);
    assertThat(push.getChannel()).isEqualTo("news");
    assertThat(push.getPub().getData().toByteArray()).isEqualTo(data);
    assertThat(push.getPub().getOffset()).isEqualTo(5);
    assertThat(push.getPub().getTagsMap()).containsEntry("k", "v");
    assertThat(push.getPub().getInfo().getUser()).isEqualTo("u");
    // the same bytes as encoding the bare push directly
    assertThat(bare.getBytes()).isEqualTo(CODEC.push(pub).getBytes());
    // a slice, not a copy: a change to the shared bytes shows through
    int last = encoded.protobuf().length() - 1;
    encoded.protobuf().setByte(last, (byte) (encoded.protobuf().getByte(last) ^ 1));
    assertThat(bare.getByte(bare.length() - 1)).isEqualTo(encoded.protobuf().getByte(last));
  }

  @Test
  void pingIsTheEmptyPushAndABatchSplitsIntoItsPushes() throws Exception {
    assertThat(single(CODEC.ping())).isEqualTo(dev.gyre.unistream.pb.Push.getDefaultInstance());
    Buffer batch = Buffer.buffer().appendBuffer(CODEC.push(new Push.Disconnect(3503, "force disconnect")))
        .appendBuffer(CODEC.ping()).appendBuffer(CODEC.push(new Push.Message("m".getBytes(UTF_8))));
    List<Buffer> parts = ProtobufUnidirectionalCodec.split(batch);
    assertThat(parts).hasSize(3);
    assertThat(dev.gyre.unistream.pb.Push.parseFrom(parts.get(0).getBytes()).getDisconnect().getCode()).isEqualTo(3503);
    assertThat(parts.get(1).length()).isZero();
    assertThat(dev.gyre.unistream.pb.Push.parseFrom(parts.get(2).getBytes()).getMessage().getData().toStringUtf8())
        .isEqualTo("m");
  }

  @Test
  void refusesWhatItCannotCarry() {
    assertThatThrownBy(() -> CODEC.decodeFrame(new byte[] {0})).isInstanceOf(DisconnectException.class);
    assertThatThrownBy(() -> CODEC.reply(2, new Result.Publish())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtobufUnidirectionalCodec.split(Buffer.buffer(new byte[] {5, 1})))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CODEC.select(new EncodedPush(null, Buffer.buffer(new byte[] {2, 0x2a, 0}))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theUniGrpcConnectRequestDecodesAsTheClientProtocolOne() {
    byte[] request = dev.gyre.unistream.pb.ConnectRequest.newBuilder().setToken("t").setName("n")
        .putSubs("news", dev.gyre.unistream.pb.SubscribeRequest.newBuilder().setRecover(true).setOffset(3)
            .setEpoch("e").build()).build().toByteArray();
    var connect = ProtobufCommandDecoder.decodeConnectRequest(request);
    assertThat(connect.token()).isEqualTo("t");
    assertThat(connect.name()).isEqualTo("n");
    assertThat(connect.subs().get("news").recover()).isTrue();
    assertThat(connect.subs().get("news").offset()).isEqualTo(3);
    assertThat(connect.subs().get("news").epoch()).isEqualTo("e");
    assertThatThrownBy(() -> ProtobufCommandDecoder.decodeConnectRequest(new byte[] {(byte) 0xff}))
        .isInstanceOf(DisconnectException.class);
  }
}
