package dev.gyre.protocol.protobuf;

import dev.gyre.protocol.Command;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * The Protobuf format: binary frames holding length-delimited {@code Command}s and
 * {@code Reply}s (spec/client-protocol.md §1.2, §1.3). Every payload can be carried, so
 * encoding never fails with 3506. Stateless and thread-safe.
 */
public final class ProtobufCodec implements ProtocolCodec {
  private static final byte[] NO_SEPARATOR = new byte[0];

  private final ProtobufCommandDecoder decoder;

  /** @param maxMessageSize the largest accepted command, in bytes (the WebSocket message size limit) */
  public ProtobufCodec(int maxMessageSize) {
    this.decoder = new ProtobufCommandDecoder(maxMessageSize);
  }

  @Override public String name() { return "protobuf"; }

  @Override public boolean binary() { return true; }

  @Override
  public List<Command> decodeFrame(byte[] frame) {
    return decoder.decodeFrame(frame);
  }

  @Override
  public Buffer reply(long id, Result result) {
    return ProtobufReplyEncoder.reply(id, result);
  }

  @Override
  public Buffer error(long id, ErrorCode error) {
    return ProtobufReplyEncoder.error(id, error);
  }

  @Override
  public Buffer push(Push push) {
    return ProtobufReplyEncoder.push(push);
  }

  @Override
  public Buffer ping() {
    return ProtobufReplyEncoder.PING;
  }

  @Override
  public Buffer select(EncodedPush push) {
    return push.protobuf();
  }

  /** Delimited messages are simply concatenated. */
  @Override
  public byte[] separator() {
    return NO_SEPARATOR;
  }
}
