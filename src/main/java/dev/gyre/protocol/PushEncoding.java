package dev.gyre.protocol;

import dev.gyre.protocol.json.JsonCodec;

/** Encodes a push once in every wire format Gyre speaks, for fan-out to all subscribers. */
public final class PushEncoding {
  private PushEncoding() {}

  public static EncodedPush encodeOnce(Push push) {
    return new EncodedPush(JsonCodec.encodeOrNull(push), null);
  }
}
