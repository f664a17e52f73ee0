package dev.gyre.protocol.json;

import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * JSON for unidirectional transports (spec/client-protocol.md §1.7): the client reads bare
 * {@code Push} objects, not replies. The connect result travels as the {@code {"connect":{…}}}
 * push, which is exactly a connect reply without an id; pushes are written without their
 * {@code {"push":…}} wrapper, and a push encoded once for all subscribers is unwrapped by slicing
 * the shared bytes, not by encoding again. The server ping {@code {}} reads as an empty push.
 */
public final class JsonUnidirectionalCodec implements ProtocolCodec {
  public static final JsonUnidirectionalCodec INSTANCE = new JsonUnidirectionalCodec();
  private static final byte[] PUSH_PREFIX = "{\"push\":".getBytes(StandardCharsets.US_ASCII);

  private JsonUnidirectionalCodec() {}

  @Override public String name() { return "json"; }

  @Override public boolean binary() { return false; }

  /** A unidirectional client sends no command frames. */
  @Override
  public List<Command> decodeFrame(byte[] frame) {
    throw new DisconnectException(DisconnectCode.BAD_REQUEST);
  }

  /** The connect result as a bare connect push (the id is not part of a push). */
  @Override
  public Buffer reply(long id, Result result) {
    return JsonCodec.INSTANCE.reply(0, result);
  }

  /** Not written to unidirectional clients: a connect error becomes a disconnect instead. */
  @Override
  public Buffer error(long id, ErrorCode error) {
    return JsonCodec.INSTANCE.error(id, error);
  }

  @Override
  public Buffer push(Push push) {
    return JsonReplyEncoder.barePush(push);
  }

  @Override
  public Buffer ping() {
    return JsonReplyEncoder.PING;
  }

  @Override
  public Buffer select(EncodedPush push) {
    Buffer wrapped = push.json();
    return wrapped == null ? null : unwrap(wrapped);
  }

  @Override
  public byte[] separator() {
    return JsonCodec.INSTANCE.separator();
  }

  /** {@code {"push":X}} → {@code X}, sharing the bytes. */
  static Buffer unwrap(Buffer wrapped) {
    int len = wrapped.length();
    if (len < PUSH_PREFIX.length + 1 || wrapped.getByte(len - 1) != '}') throw notWrapped();
    for (int i = 0; i < PUSH_PREFIX.length; i++) {
      if (wrapped.getByte(i) != PUSH_PREFIX[i]) throw notWrapped();
    }
    return wrapped.slice(PUSH_PREFIX.length, len - 1);
  }

  private static IllegalArgumentException notWrapped() {
    return new IllegalArgumentException("not a reply-wrapped JSON push");
  }
}
