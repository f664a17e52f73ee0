package dev.gyre.transport;

import dev.gyre.protocol.ProtocolCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * HTTP-streaming (spec/client-protocol.md §1.4, §1.7): JSON replies each followed by
 * {@code \n}; binary formats are written as they come, already length-delimited.
 */
final class HttpStreamTransport extends ResponseStreamTransport {
  private static final byte NEWLINE = '\n';

  HttpStreamTransport(String name, HttpServerResponse response, ProtocolCodec codec, String sessionId,
                      boolean emulated) {
    super(name, response, codec, sessionId, emulated);
  }

  @Override
  Buffer frame(Buffer replies) {
    if (codec.binary()) return replies;
    return Buffer.buffer(replies.length() + 1).appendBuffer(replies).appendByte(NEWLINE);
  }
}
