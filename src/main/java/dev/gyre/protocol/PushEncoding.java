package dev.gyre.protocol;

import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.protobuf.ProtobufReplyEncoder;

/** Encodes a push once in every wire format Gyre speaks, for fan-out to all subscribers. */
public final class PushEncoding {
  private PushEncoding() {}

  /**
   * The push in JSON (null when a payload is not valid JSON) and in Protobuf (never null: it
   * carries any payload), each as the exact bytes to queue for a subscriber of that format.
   */
  public static EncodedPush encodeOnce(Push push) {
    return new EncodedPush(JsonCodec.encodeOrNull(push), ProtobufReplyEncoder.push(push));
  }
}
