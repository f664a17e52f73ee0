package dev.gyre.transport;

import dev.gyre.protocol.EmulationRequest;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.json.JsonEmulationRequestDecoder;

import java.util.Locale;
import java.util.function.Function;

/**
 * Which wire format an HTTP-streaming connect request or an emulation request uses, by its
 * Content-Type (spec/client-protocol.md §1.4, §1.6): {@code application/octet-stream} selects
 * Protobuf, anything else JSON. Gyre does not speak Protobuf on these endpoints yet, so an
 * octet-stream request is answered 415 instead of being misread as JSON. This is the one place
 * where a binary codec and its emulation request decoder plug in.
 */
final class WireFormats {
  private WireFormats() {}

  static boolean isBinary(String contentType) {
    return contentType != null
        && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
  }

  /** The codec for a connect request of this Content-Type, or null when that format is not served (415). */
  static ProtocolCodec codec(String contentType) {
    return isBinary(contentType) ? null : JsonCodec.INSTANCE;
  }

  /**
   * The emulation request decoder for this Content-Type, or null when that format is not served
   * (415). A decoder throws only {@link EmulationRequest.MalformedException}.
   */
  static Function<byte[], EmulationRequest> emulationDecoder(String contentType) {
    return isBinary(contentType) ? null : JsonEmulationRequestDecoder::decode;
  }
}
