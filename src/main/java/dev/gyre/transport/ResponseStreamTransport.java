package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Push;
import dev.gyre.session.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A transport whose output is one endless HTTP response body: HTTP-streaming and SSE, both as
 * bidirectional emulation and unidirectional (spec/client-protocol.md §1.4, §1.5, §1.7).
 * Subclasses decide the framing of a batch of replies. Every batch is one write, which Vert.x
 * flushes at once. A disconnect is written as a disconnect push, then the response ends (§3.5).
 * Event-loop confined, like its session.
 */
abstract class ResponseStreamTransport implements Transport {
  private final String name;
  final HttpServerResponse response;
  final ProtocolCodec codec;
  private final String sessionId;
  private final boolean emulated;
  private Runnable onFinish = () -> {};
  private boolean finished;

  ResponseStreamTransport(String name, HttpServerResponse response, ProtocolCodec codec, String sessionId,
                          boolean emulated) {
    this.name = name;
    this.response = response;
    this.codec = codec;
    this.sessionId = sessionId;
    this.emulated = emulated;
  }

  /** The bytes to write for a batch of encoded replies (several joined by the codec's separator). */
  abstract Buffer frame(Buffer replies);

  /** What the body starts with before any reply, if anything. */
  Buffer preamble() { return null; }

  /** Adds an action to run once when the stream is over, whoever ended it. */
  void onFinish(Runnable action) {
    Runnable before = onFinish;
    onFinish = () -> {
      before.run();
      action.run();
    };
  }

  /** Sends the status and headers (already set on the response) and the preamble, at once. */
  void start() {
    Buffer pre = preamble();
    if (pre != null) response.write(pre);
    else response.writeHead();
  }

  /** The response is over: the server ended it, or the client went away. Idempotent. */
  void finish() {
    if (finished) return;
    finished = true;
    onFinish.run();
  }

  private boolean writable() {
    return !finished && !response.closed() && !response.ended();
  }

  @Override public String name() { return name; }

  @Override public boolean emulated() { return emulated; }

  @Override public boolean unidirectional() { return !emulated; }

  @Override public String sessionId() { return sessionId; }

  @Override
  public void write(Buffer replies) {
    if (writable()) response.write(frame(replies));
  }

  /** A response the client already closed is never full: writes to it are dropped. */
  @Override public boolean writeQueueFull() { return writable() && response.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { response.drainHandler(v -> onDrain.run()); }

  /** Commands of emulated sessions arrive one request at a time; there is no socket to pause. */
  @Override public void pause() {}

  @Override public void resume() {}

  @Override
  public void close(Disconnect d) {
    if (writable()) {
      response.write(frame(codec.push(new Push.Disconnect(d.code(), d.reason()))));
      response.end();
    }
    finish();
  }
}
