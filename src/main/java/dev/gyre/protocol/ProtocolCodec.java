package dev.gyre.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One wire format of the client protocol (JSON, later Protobuf), at the edge between a
 * transport's bytes and the protocol records. Implementations are stateless and thread-safe.
 */
public interface ProtocolCodec {

  /** "json" or "protobuf". */
  String name();

  /** Whether frames are binary (Protobuf) rather than text (JSON). */
  boolean binary();

  /**
   * Decodes one transport frame into its commands, in order.
   *
   * @throws DisconnectException with 3501 when the frame is malformed or empty
   */
  List<Command> decodeFrame(byte[] frame);

  /**
   * Encodes a successful reply.
   *
   * @throws DisconnectException with 3506 when a payload in it cannot be carried in this format
   */
  Buffer reply(long id, Result result);

  Buffer error(long id, ErrorCode error);

  /** Encodes a push wrapped in a reply, as bidirectional transports carry it. */
  Buffer push(Push push);

  /** The server ping: an empty reply. */
  Buffer ping();

  /** This format's bytes of a push encoded once for all formats, or null when it cannot carry it. */
  Buffer select(EncodedPush push);

  /** What separates two encoded messages inside one frame ("\n" for JSON, nothing for Protobuf). */
  byte[] separator();
}
