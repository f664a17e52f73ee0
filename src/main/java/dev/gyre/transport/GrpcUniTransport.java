package dev.gyre.transport;

import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.protobuf.ProtobufUnidirectionalCodec;
import dev.gyre.session.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * The unidirectional gRPC stream of one {@code Consume} call (spec/client-protocol.md §1.7): every
 * push is its own gRPC message. The session hands over batches of length-delimited pushes (the
 * Protobuf unidirectional codec's form); they are split here and written message by message,
 * sharing the batch's bytes. A disconnect is a disconnect push, then the end of the stream with
 * status OK. Event-loop confined, like its session.
 */
final class GrpcUniTransport implements Transport {
  private final GrpcServerResponse<Buffer, Buffer> response;
  private final String sessionId;
  private Runnable onFinish = () -> {};
  private boolean finished;

  GrpcUniTransport(GrpcServerResponse<Buffer, Buffer> response, String sessionId) {
    this.response = response;
    this.sessionId = sessionId;
  }

  /** Sets the action to run once when the stream is over, whoever ended it. */
  void onFinish(Runnable action) {
    this.onFinish = action;
  }

  /** The call is over: the server ended it, or the client cancelled it. Idempotent. */
  void finish() {
    if (finished) return;
    finished = true;
    onFinish.run();
  }

  @Override public String name() { return "uni_grpc"; }

  @Override public boolean unidirectional() { return true; }

  @Override public String sessionId() { return sessionId; }

  @Override
  public void write(Buffer batch) {
    if (finished) return;
    try {
      for (Buffer push : ProtobufUnidirectionalCodec.split(batch)) response.write(push);
    } catch (IllegalStateException cancelled) {
      finish(); // the stream failed (cancelled, reset) before its handlers told us
    }
  }

  /** A cancelled call is never full: writes to it are dropped. */
  @Override public boolean writeQueueFull() { return !finished && response.writeQueueFull(); }

  @Override public void drainHandler(Runnable onDrain) { response.drainHandler(v -> onDrain.run()); }

  /** The client sent its one request already; there is nothing to pause. */
  @Override public void pause() {}

  @Override public void resume() {}

  @Override
  public void close(Disconnect d) {
    if (!finished) {
      write(ProtobufUnidirectionalCodec.INSTANCE.push(new Push.Disconnect(d.code(), d.reason())));
      response.end();
    }
    finish();
  }
}
