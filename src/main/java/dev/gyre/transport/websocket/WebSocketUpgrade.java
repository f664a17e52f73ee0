package dev.gyre.transport.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns an HTTP/1.1 upgrade request into a {@link WebSocketConnection}: validates the request,
 * answers the handshake (RFC 6455, version 13) and hands the socket from Vert.x's HTTP
 * connection to the WebSocket handler, so that the HTTP request, its headers and Vert.x's
 * per-connection write queues are not kept for the connection's lifetime (Gyre's idle-connection
 * memory budget). Vert.x still accepts the socket and parses the request; the same port keeps
 * serving the API and the other transports.
 */
public final class WebSocketUpgrade {
  /** Bytes of body an upgrade request may carry (they are discarded). */
  private static final int MAX_BODY = 8192;

  /**
   * @param subprotocols     offered subprotocols the server accepts, in preference order
   * @param maxMessageSize   largest message (after joining fragments); past it, {@link WebSocketListener#onTooBig()}
   * @param closingTimeoutMs how long the peer has to answer a close frame before TCP is closed
   * @param writeTimeoutMs   how long the socket may stay unwritable before the connection is dropped; 0 = never
   */
  public record Options(List<String> subprotocols, int maxMessageSize, long closingTimeoutMs, long writeTimeoutMs) {}

  private WebSocketUpgrade() {}

  /**
   * Upgrades the request. {@code onOpen} runs on the request's context once the handshake is
   * answered, before any frame is read, and returns the listener for the new connection. An invalid
   * request is answered here with its HTTP status (400, 405, 413, 426) and the future fails; the
   * future succeeds once the connection is open.
   */
  public static Future<WebSocketConnection> upgrade(HttpServerRequest req, Options options,
                                                    Function<WebSocketConnection, WebSocketListener> onOpen) {
    ContextInternal context = ((HttpServerRequestInternal) req).context();
    Promise<WebSocketConnection> promise = context.promise();
    int status = refusal(req);
    if (status != 0) {
      var response = req.response().setStatusCode(status);
      if (status == 426) response.putHeader("Sec-WebSocket-Version", "13");
      response.end();
      promise.fail("WebSocket upgrade refused with " + status);
      return promise.future();
    }
    if (req.isEnded()) {
      handshake(req, context, options, onOpen, promise);
      return promise.future();
    }
    int[] bodyBytes = new int[1];
    req.handler(chunk -> bodyBytes[0] += chunk.length());
    req.exceptionHandler(promise::tryFail);
    req.endHandler(v -> {
      if (bodyBytes[0] > MAX_BODY) {
        req.response().setStatusCode(413).end().onComplete(ar -> req.connection().close());
        promise.tryFail("WebSocket upgrade request body too large");
      } else {
        handshake(req, context, options, onOpen, promise);
      }
    });
    req.resume();
    return promise.future();
  }

  /** The HTTP status that refuses the request, or 0 when it is a valid version-13 upgrade. */
  static int refusal(HttpServerRequest req) {
    if (req.version() != HttpVersion.HTTP_1_1 || !(req.connection() instanceof ConnectionBase)) return 400;
    if (req.method() != io.vertx.core.http.HttpMethod.GET) return 405;
    String upgrade = req.getHeader(HttpHeaders.UPGRADE);
    String connection = req.getHeader(HttpHeaders.CONNECTION);
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) return 400;
    if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) return 400;
    if (!"13".equals(req.getHeader("Sec-WebSocket-Version"))) return 426;
    if (req.getHeader("Sec-WebSocket-Key") == null) return 400;
    return 0;
  }

  private static void handshake(HttpServerRequest req, ContextInternal context, Options options,
                                Function<WebSocketConnection, WebSocketListener> onOpen,
                                Promise<WebSocketConnection> promise) {
    Channel channel = ((ConnectionBase) req.connection()).channel();
    if (!channel.eventLoop().inEventLoop() || !channel.isActive()) {
      promise.tryFail("WebSocket upgrade off its event loop or on a closed socket");
      channel.close();
      return;
    }
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    req.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
    FullHttpRequest request = new DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        HttpMethod.GET, req.uri(), Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(options.maxMessageSize())
        .allowExtensions(false)             // no per-message deflate: an inflated message could pass the limit
        .closeOnProtocolViolation(false)    // WebSocketConnection answers violations itself
        .build();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshaker13(req.path(), String.join(",", options.subprotocols()), decoder);
    // Vert.x's HTTP connection handler leaves the pipeline, and with it the request and its
    // queues. It goes first: the handshake below hands the bytes already read past the request
    // (frames a client sent without waiting for the 101) to the frame decoder at once, and its
    // frames must reach the WebSocket handler.
    WebSocketConnection ws = new WebSocketConnection(context, options.maxMessageSize(), options.closingTimeoutMs(),
        options.writeTimeoutMs());
    channel.pipeline().replace("handler", "websocket", ws);
    ChannelFuture answered;
    try {
      // Swaps the HTTP decoder for the frame decoder, adds the frame encoder, writes the 101.
      answered = handshaker.handshake(channel, request, null, channel.newPromise());
    } catch (WebSocketHandshakeException e) {
      // refusal() checked what the handshaker checks; the HTTP side is gone, so only TCP can end it.
      channel.close();
      promise.tryFail(e);
      return;
    }
    answered.addListener(f -> {
      if (!f.isSuccess()) channel.close();
    });
    ws.handshakeAnswered(handshaker.selectedSubprotocol(), answered);
    ws.listener(onOpen.apply(ws));
    channel.config().setAutoRead(true);
    promise.tryComplete(ws);
  }
}
