package dev.gyre.transport;

import dev.gyre.protocol.ProtocolCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events, JSON only (spec/client-protocol.md §1.5, §1.7): the body starts with
 * {@code \r\n}, then every reply is its own event {@code data: <json>\n\n}. A batch from the
 * session's queue holds replies joined by {@code \n}; JSON replies never contain a raw newline,
 * so splitting on it recovers them, and the batch's events go out in one write.
 */
final class SseTransport extends ResponseStreamTransport {
  private static final Buffer PREAMBLE = Buffer.buffer("\r\n");
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = {'\n', '\n'};

  SseTransport(String name, HttpServerResponse response, ProtocolCodec codec, String sessionId, boolean emulated) {
    super(name, response, codec, sessionId, emulated);
    response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8");
  }

  @Override
  Buffer preamble() {
    return PREAMBLE;
  }

  @Override
  Buffer frame(Buffer replies) {
    int len = replies.length();
    Buffer out = Buffer.buffer(len + 16);
    int start = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || replies.getByte(i) == '\n') {
        if (i > start) out.appendBytes(DATA).appendBuffer(replies, start, i - start).appendBytes(END);
        start = i + 1;
      }
    }
    return out;
  }
}
