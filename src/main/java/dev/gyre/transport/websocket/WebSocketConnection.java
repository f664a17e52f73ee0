package dev.gyre.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/**
 * One server WebSocket, as the last handler of its Netty pipeline (after the frame decoder and
 * encoder that the handshake installed). Gyre holds tens of thousands of these idle, so it keeps
 * nothing per connection but this handler: no HTTP request, no write queue of its own (the
 * channel's outbound buffer and its writability are the backpressure), no read queue (pausing
 * stops reading from the socket).
 *
 * <p>It joins fragments into messages under a size limit, answers pings, runs the closing
 * handshake (a close frame, then TCP closed when the peer answers or after the closing timeout),
 * and reports to a {@link WebSocketListener} on the owner's Vert.x context. Every method must be
 * called on the connection's event loop; a call from elsewhere is moved there.
 */
public final class WebSocketConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
  private final ContextInternal context;
  private final int maxMessageSize;
  private final long closingTimeoutMs;
  private final long writeTimeoutMs;
  private String subprotocol;
  private ChannelHandlerContext chctx;
  private WebSocketListener listener;
  private ByteArrayOutputStream fragments;
  private boolean fragmentsBinary;
  private boolean discarding;
  private boolean unreadable;
  private boolean closeSent;
  private boolean closeReceived;
  private boolean closedReported;
  private ScheduledFuture<?> closingTimer;
  private ScheduledFuture<?> stallTimer;
  private Runnable drainHandler;
  private ChannelFuture handshake;
  /** Events that came before the listener: frames the client sent right behind its upgrade request. */
  private ArrayList<Consumer<WebSocketListener>> early;

  WebSocketConnection(ContextInternal context, int maxMessageSize, long closingTimeoutMs, long writeTimeoutMs) {
    this.context = context;
    this.maxMessageSize = maxMessageSize;
    this.closingTimeoutMs = closingTimeoutMs;
    this.writeTimeoutMs = writeTimeoutMs;
  }

  /**
   * Called once the 101 response is on its way.
   *
   * @param answered the write of the 101 response: frames written before it completes would reach
   *                 the HTTP encoder, so they wait for it
   */
  void handshakeAnswered(String subprotocol, ChannelFuture answered) {
    this.subprotocol = subprotocol;
    this.handshake = answered.isDone() ? null : answered;
  }

  /** Whether a call must wait: it is off the event loop, or the 101 response is still being written. */
  private boolean mustDefer() {
    if (!chctx.executor().inEventLoop()) return true;
    if (handshake != null && handshake.isDone()) handshake = null;
    return handshake != null;
  }

  /** Runs the call on the event loop once the 101 response is out. */
  private void defer(Runnable call) {
    if (!chctx.executor().inEventLoop()) chctx.executor().execute(call);
    else handshake.addListener(f -> call.run());
  }

  /** The subprotocol agreed in the handshake, or null. */
  public String subprotocol() { return subprotocol; }

  /** Sets the listener and hands it what arrived before it. */
  void listener(WebSocketListener listener) {
    this.listener = listener;
    ArrayList<Consumer<WebSocketListener>> pending = early;
    early = null;
    if (pending != null) for (Consumer<WebSocketListener> call : pending) emit(call);
  }

  /** Whether a close frame was sent or the TCP connection is gone: writes are then dropped. */
  public boolean isClosed() {
    return closeSent || chctx == null || !chctx.channel().isActive();
  }

  /** Writes one text frame over the buffer's bytes (shared, not copied: encode once). */
  public void writeText(Buffer message) {
    write(new TextWebSocketFrame(true, 0, ((BufferInternal) message).getByteBuf()));
  }

  /** Writes one binary frame over the buffer's bytes. */
  public void writeBinary(Buffer message) {
    write(new BinaryWebSocketFrame(true, 0, ((BufferInternal) message).getByteBuf()));
  }

  public void writePing() {
    write(new PingWebSocketFrame());
  }

  private void write(WebSocketFrame frame) {
    if (mustDefer()) {
      defer(() -> write(frame));
      return;
    }
    if (isClosed()) {
      frame.release();
      return;
    }
    chctx.writeAndFlush(frame, chctx.voidPromise());
  }

  /** Whether the socket's outbound buffer is past its high-water mark. */
  public boolean writeQueueFull() {
    return !isClosed() && !chctx.channel().isWritable();
  }

  /** Runs once when a full outbound buffer drains below its low-water mark. */
  public void drainHandler(Runnable handler) {
    this.drainHandler = handler;
  }

  /** Stops reading from the socket; messages already read are still delivered. */
  public void pause() {
    if (chctx != null) chctx.channel().config().setAutoRead(false);
  }

  public void resume() {
    if (chctx != null) chctx.channel().config().setAutoRead(true);
  }

  /**
   * Starts the closing handshake: a close frame with the code and reason, then the TCP
   * connection is closed when the peer answers, or after the closing timeout if it never does.
   */
  public void close(int code, String reason) {
    if (mustDefer()) {
      defer(() -> close(code, reason));
      return;
    }
    if (closeSent) return;
    closeSent = true;
    discarding = true;
    if (!chctx.channel().isActive()) return;
    var written = chctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
    if (closeReceived || unreadable) {
      written.addListener(ChannelFutureListener.CLOSE);
    } else {
      closingTimer = chctx.executor().schedule(() -> { chctx.close(); }, closingTimeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  // ---- Netty callbacks (event loop) ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.chctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      // The empty end of the upgrade request, or anything else left by the HTTP codec.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (frame instanceof PingWebSocketFrame) {
      if (closeSent) frame.release();
      else ctx.writeAndFlush(new PongWebSocketFrame(frame.content()), ctx.voidPromise());
    } else if (frame instanceof PongWebSocketFrame) {
      frame.release();
      if (!closeSent) emit(WebSocketListener::onPong);
    } else if (frame instanceof CloseWebSocketFrame close) {
      onCloseFrame(close);
    } else {
      try {
        onDataFrame(frame);
      } finally {
        frame.release();
      }
    }
  }

  private void onDataFrame(WebSocketFrame frame) {
    if (discarding) return;
    ByteBuf content = frame.content();
    boolean continuation = frame instanceof ContinuationWebSocketFrame;
    if (!continuation && fragments == null && frame.isFinalFragment()) {
      byte[] data = ByteBufUtil.getBytes(content);
      boolean binary = frame instanceof BinaryWebSocketFrame;
      emit(l -> l.onMessage(data, binary));
      return;
    }
    if (continuation != (fragments != null)) {
      protocolError("unexpected continuation frame");
      return;
    }
    if (!continuation) {
      fragments = new ByteArrayOutputStream(Math.min(maxMessageSize, Math.max(256, content.readableBytes() * 2)));
      fragmentsBinary = frame instanceof BinaryWebSocketFrame;
    }
    if (fragments.size() + content.readableBytes() > maxMessageSize) {
      fragments = null;
      tooBig();
      return;
    }
    byte[] chunk = ByteBufUtil.getBytes(content);
    fragments.write(chunk, 0, chunk.length);
    if (frame.isFinalFragment()) {
      byte[] data = fragments.toByteArray();
      boolean binary = fragmentsBinary;
      fragments = null;
      emit(l -> l.onMessage(data, binary));
    }
  }

  private void onCloseFrame(CloseWebSocketFrame close) {
    int code = close.statusCode();
    close.release();
    if (closeReceived) return;
    closeReceived = true;
    discarding = true;
    if (closeSent) {
      // The peer answered our close: the handshake is complete.
      chctx.close();
    } else {
      closeSent = true;
      CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null);
      chctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void tooBig() {
    discarding = true;
    emit(WebSocketListener::onTooBig);
  }

  private void protocolError(String reason) {
    discarding = true;
    close(WebSocketCloseStatus.PROTOCOL_ERROR.code(), reason);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      // The frame decoder now discards all input: the peer's answer to our close frame would
      // never be read, so TCP is closed as soon as the close frame is out.
      unreadable = true;
      if (corrupt.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
        tooBig();
      } else {
        log.debug("WebSocket protocol violation: {}", corrupt.getMessage());
        protocolError(corrupt.closeStatus().reasonText());
      }
    } else {
      // Connection reset and the like: nothing to answer, the socket is done.
      ctx.close();
    }
  }

  /**
   * The socket stays unwritable past the write timeout: the client reads too slowly or not at all.
   * Like Centrifugo's write deadline, the connection is dropped (a close frame could not get
   * through either); the session learns it from {@link WebSocketListener#onClosed()}.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      if (stallTimer == null && writeTimeoutMs > 0) {
        stallTimer = ctx.executor().schedule(() -> {
          stallTimer = null;
          if (!ctx.channel().isWritable()) {
            log.debug("WebSocket write stalled for {} ms: connection dropped", writeTimeoutMs);
            ctx.close();
          }
        }, writeTimeoutMs, TimeUnit.MILLISECONDS);
      }
      return;
    }
    if (stallTimer != null) {
      stallTimer.cancel(false);
      stallTimer = null;
    }
    Runnable handler = drainHandler;
    if (handler != null && ctx.channel().isWritable()) {
      drainHandler = null;
      context.emit(handler, Runnable::run);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (closingTimer != null) closingTimer.cancel(false);
    if (stallTimer != null) stallTimer.cancel(false);
    fragments = null;
    drainHandler = null;
    if (!closedReported) {
      closedReported = true;
      emit(WebSocketListener::onClosed);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // Vert.x's server shutdown event: the transport closes its sessions itself.
    ReferenceCountUtil.release(evt);
  }

  private void emit(Consumer<WebSocketListener> call) {
    WebSocketListener l = listener;
    if (l != null) {
      context.emit(l, call::accept);
    } else {
      if (early == null) early = new ArrayList<>(2);
      early.add(call);
    }
  }
}
