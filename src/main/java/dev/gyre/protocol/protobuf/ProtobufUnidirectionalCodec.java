package dev.gyre.protocol.protobuf;

import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.pb.Connect;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Protobuf for unidirectional transports (spec/client-protocol.md §1.7, §2.6): the client reads
 * bare {@code Push} messages, each length-delimited here so that a transport can split a batch
 * into messages (uni gRPC sends each as its own gRPC message). The connect result becomes a
 * {@code Connect} push (numbered differently from {@code ConnectResult}); the ping is an empty
 * push. A push encoded once for all subscribers — a delimited {@code Reply} whose only field is
 * the push — is unwrapped by slicing the shared bytes: {@code len 0x22 pushLen push} →
 * {@code pushLen push}, nothing is encoded again per subscriber. Stateless.
 */
public final class ProtobufUnidirectionalCodec implements ProtocolCodec {
  public static final ProtobufUnidirectionalCodec INSTANCE = new ProtobufUnidirectionalCodec();
  /** Reply field 4 (push), wire type 2. */
  private static final int PUSH_TAG = 0x22;
  private static final byte[] NO_SEPARATOR = new byte[0];

  private ProtobufUnidirectionalCodec() {}

  @Override public String name() { return "protobuf"; }

  @Override public boolean binary() { return true; }

  /** A unidirectional client sends no command frames. */
  @Override
  public List<Command> decodeFrame(byte[] frame) {
    throw new DisconnectException(DisconnectCode.BAD_REQUEST);
  }

  /** The connect result as a bare connect push; a unidirectional client gets no other reply. */
  @Override
  public Buffer reply(long id, Result result) {
    if (!(result instanceof Result.Connect c)) {
      throw new IllegalArgumentException("a unidirectional client gets no reply but connect");
    }
    Connect.Builder b = Connect.newBuilder().setClient(ProtobufReplyEncoder.str(c.client()))
        .setVersion(ProtobufReplyEncoder.str(c.version())).setData(ProtobufReplyEncoder.bytes(c.data()))
        .setExpires(c.expires()).setTtl((int) c.ttl()).setPing(c.ping()).setPong(c.pong())
        .setSession(ProtobufReplyEncoder.str(c.session())).setNode(ProtobufReplyEncoder.str(c.node()))
        .setTime(c.time());
    if (c.subs() != null) c.subs().forEach((channel, s) -> b.putSubs(channel, ProtobufReplyEncoder.subscribe(s)));
    return ProtobufReplyEncoder.delimited(dev.gyre.protocol.pb.Push.newBuilder().setConnect(b).build());
  }

  /** Not written to unidirectional clients: a connect error becomes a disconnect instead. */
  @Override
  public Buffer error(long id, ErrorCode error) {
    return ProtobufReplyEncoder.error(id, error);
  }

  @Override
  public Buffer push(Push push) {
    return ProtobufReplyEncoder.delimited(ProtobufReplyEncoder.pushMessage(push));
  }

  /** The empty push, delimited: the single byte 0x00. */
  @Override
  public Buffer ping() {
    return ProtobufReplyEncoder.PING;
  }

  @Override
  public Buffer select(EncodedPush push) {
    return unwrap(push.protobuf());
  }

  @Override
  public byte[] separator() {
    return NO_SEPARATOR;
  }

  /** A delimited {@code Reply{push: P}} → delimited {@code P}, sharing the bytes. */
  static Buffer unwrap(Buffer wrapped) {
    int[] outer = varint(wrapped, 0);
    int start = outer[1];
    if (start + outer[0] != wrapped.length() || start >= wrapped.length()
        || (wrapped.getByte(start) & 0xFF) != PUSH_TAG) {
      throw notWrapped();
    }
    int[] inner = varint(wrapped, start + 1);
    if (inner[1] + inner[0] != wrapped.length()) throw notWrapped();
    return wrapped.slice(start + 1, wrapped.length());
  }

  /** {value, position after it} of the varint at {@code pos}. */
  private static int[] varint(Buffer b, int pos) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= b.length()) throw notWrapped();
      byte x = b.getByte(pos++);
      value |= (x & 0x7F) << shift;
      if ((x & 0x80) == 0) return new int[] {value, pos};
    }
    throw notWrapped();
  }

  private static IllegalArgumentException notWrapped() {
    return new IllegalArgumentException("not a delimited reply-wrapped Protobuf push");
  }

  /** Each delimited message of a batch, as slices of it (for transports that send messages one by one). */
  public static List<Buffer> split(Buffer batch) {
    List<Buffer> out = new java.util.ArrayList<>(4);
    int pos = 0;
    while (pos < batch.length()) {
      int[] len = varint(batch, pos);
      int end = len[1] + len[0];
      if (len[0] < 0 || end > batch.length()) throw notWrapped();
      out.add(batch.slice(len[1], end));
      pos = end;
    }
    return out;
  }
}
