package dev.gyre.transport;

import dev.gyre.protocol.EmulationRequest;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.json.JsonEmulationRequestDecoder;
import dev.gyre.protocol.protobuf.ProtobufEmulationRequestDecoder;

import java.util.Locale;
import java.util.function.Function;

/**
 * Which wire format an HTTP-streaming connect request or an emulation request uses, by its
 * Content-Type (spec/client-protocol.md §1.4, §1.6): {@code application/octet-stream} selects
 * Protobuf, anything else JSON. SSE is JSON only (§1.5), so it asks {@link #isBinary} to refuse
 * an octet-stream body (415) instead of misreading it as JSON. This is the one place where a
 * codec and its emulation request decoder are chosen for the HTTP transports.
 */
final class WireFormats {
  private final ProtocolCodec protobuf;

  /** @param protobuf the Protobuf codec of this transport instance (it carries the command size limit) */
  WireFormats(ProtocolCodec protobuf) {
    this.protobuf = protobuf;
  }

  static boolean isBinary(String contentType) {
    return contentType != null
        && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
  }

  /** The codec for a connect request of this Content-Type. */
  ProtocolCodec codec(String contentType) {
    return isBinary(contentType) ? protobuf : JsonCodec.INSTANCE;
  }

  /**
   * The emulation request decoder for this Content-Type. A decoder throws only
   * {@link EmulationRequest.MalformedException}.
   */
  static Function<byte[], EmulationRequest> emulationDecoder(String contentType) {
    return isBinary(contentType) ? ProtobufEmulationRequestDecoder::decode : JsonEmulationRequestDecoder::decode;
  }
}
