package dev.gyre.protocol.protobuf;

import dev.gyre.protocol.EmulationRequest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a Protobuf {@code EmulationRequest} body (spec/client-protocol.md §1.6, §2.4): field 1
 * {@code node} string, 2 {@code session} string, 3 {@code data} bytes (the varint-delimited
 * Protobuf command frame). The body is walked by hand so that every declared length is checked
 * against the bytes actually left before anything is copied: a huge length costs nothing. Unknown
 * fields are skipped as proto3 requires; a later occurrence of a field wins. Strings must be
 * UTF-8. Anything malformed — truncated varints or values, a field number 0, group wire types, no
 * session, no data — raises {@link EmulationRequest.MalformedException} and nothing else.
 */
public final class ProtobufEmulationRequestDecoder {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final byte[] body;
  private int pos;

  private ProtobufEmulationRequestDecoder(byte[] body) {
    this.body = body;
  }

  public static EmulationRequest decode(byte[] body) {
    return new ProtobufEmulationRequestDecoder(body).request();
  }

  private EmulationRequest request() {
    String session = "", node = "";
    int dataFrom = 0, dataLength = 0;
    while (pos < body.length) {
      long tag = varint();
      long field = tag >>> 3;
      int wireType = (int) (tag & 7);
      if (field == 0 || field > 0x1FFFFFFFL) throw malformed("bad field number");
      if (field <= 3 && wireType != LENGTH_DELIMITED) throw malformed("field " + field + " has the wrong wire type");
      switch (wireType) {
        case VARINT -> varint();
        case FIXED64 -> skip(8);
        case FIXED32 -> skip(4);
        case LENGTH_DELIMITED -> {
          int length = length();
          if (field == 1) node = utf8(pos, length);
          else if (field == 2) session = utf8(pos, length);
          else if (field == 3) {
            dataFrom = pos;
            dataLength = length;
          }
          pos += length;
        }
        default -> throw malformed("unsupported wire type " + wireType);
      }
    }
    if (session.isEmpty()) throw malformed("no session");
    if (dataLength == 0) throw malformed("no data");
    return new EmulationRequest(session, node, Arrays.copyOfRange(body, dataFrom, dataFrom + dataLength));
  }

  /** An unsigned varint of at most 10 bytes (64 bits). */
  private long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= body.length) throw malformed("truncated varint");
      byte b = body[pos++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
    throw malformed("varint too long");
  }

  /** A length prefix, checked against what is left of the body before it is used. */
  private int length() {
    long n = varint();
    if (n < 0 || n > body.length - pos) throw malformed("declared length beyond the body");
    return (int) n;
  }

  private void skip(int n) {
    if (n > body.length - pos) throw malformed("truncated value");
    pos += n;
  }

  private String utf8(int from, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, from, length)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("string is not UTF-8");
    }
  }

  private static EmulationRequest.MalformedException malformed(String why) {
    return new EmulationRequest.MalformedException(why);
  }
}
