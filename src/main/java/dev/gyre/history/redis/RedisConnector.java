package dev.gyre.history.redis;

import dev.gyre.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A node's link to Redis: vertx-redis-client's connection pool, plus a health probe that decides
 * whether Redis is usable. While Redis is up the probe sends PING every {@value #PROBE_INTERVAL_MS}
 * ms; the first connection failure (of a request or of a PING) marks it down, and from then on
 * requests fail at once with {@link RedisUnavailableException}, without queueing anything, while
 * the probe retries with an exponential backoff ({@value #MIN_BACKOFF_MS} ms doubling to
 * {@value #MAX_BACKOFF_MS} ms). The pool opens fresh connections by itself, so the first PING
 * that succeeds brings Redis back: no restart. Requests that do go out are bounded twice: the
 * pool's waiting queue ({@value #MAX_POOL_WAITING}, then an immediate failure) and
 * {@code io_timeout}. Thread-safe; every future completes on the caller's context.
 */
public final class RedisConnector {
  private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);
  static final long PROBE_INTERVAL_MS = 1000;
  static final long MIN_BACKOFF_MS = 100;
  static final long MAX_BACKOFF_MS = 2000;
  static final int MAX_POOL_SIZE = 16;
  static final int MAX_POOL_WAITING = 4096;

  private enum State { CONNECTING, UP, DOWN }

  private final VertxInternal vertx;
  private final Redis client;
  private final long ioTimeoutMs;
  private final String endpoint;
  private volatile State state = State.CONNECTING;
  private volatile String problem = "not connected yet";
  private long backoffMs = MIN_BACKOFF_MS;
  private long timer = -1;
  private boolean closed;

  private RedisConnector(Vertx vertx, Redis client, long ioTimeoutMs, String endpoint) {
    this.vertx = (VertxInternal) vertx;
    this.client = client;
    this.ioTimeoutMs = ioTimeoutMs;
    this.endpoint = endpoint;
  }

  /** Creates the pool and starts probing at once. */
  public static RedisConnector create(Vertx vertx, RedisConfig c) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis()))
        .setTcpNoDelay(true).setTcpKeepAlive(true);
    if (c.tls()) {
      net.setSsl(true).setTrustAll(c.tlsInsecureSkipVerify());
      if (c.tlsInsecureSkipVerify()) net.setHostnameVerificationAlgorithm("");
      if (!c.tlsServerCaPem().isEmpty()) net.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(c.tlsServerCaPem())));
    }
    RedisOptions o = new RedisOptions().setConnectionString(c.address()).setNetClientOptions(net)
        .setMaxPoolSize(MAX_POOL_SIZE).setMaxPoolWaiting(MAX_POOL_WAITING)
        .setMaxWaitingHandlers(MAX_POOL_WAITING);
    if (!c.user().isEmpty()) o.setUser(c.user());
    if (!c.password().isEmpty()) o.setPassword(c.password());
    RedisConnector r = new RedisConnector(vertx, Redis.createClient(vertx, o), c.ioTimeout().toMillis(),
        c.redactedAddress());
    r.probe();
    return r;
  }

  /**
   * Sends one command. Fails with {@link RedisUnavailableException} when Redis is down or the
   * connection fails; a Redis error reply fails with the reply (a {@link Response}) as cause.
   */
  public Future<Response> send(Request request) {
    Promise<Response> p = vertx.getOrCreateContext().promise();
    if (state == State.DOWN) {
      p.fail(new RedisUnavailableException("redis unavailable: " + problem));
      return p.future();
    }
    client.send(request).timeout(ioTimeoutMs, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded() || isReply(ar.cause())) {
        p.handle(ar);
      } else if (isOverload(ar.cause())) {
        p.fail(new RedisUnavailableException("redis overloaded: " + ar.cause().getMessage()));
      } else {
        requestFailed(ar.cause());
        p.fail(new RedisUnavailableException("redis unavailable: " + describe(ar.cause())));
      }
    });
    return p.future();
  }

  /** Null while Redis answers; otherwise why it is not usable (for /health). */
  public String problem() {
    return state == State.UP ? null : problem;
  }

  public Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (timer >= 0) vertx.cancelTimer(timer);
    }
    return client.close();
  }

  private void probe() {
    client.send(Request.cmd(Command.PING)).timeout(ioTimeoutMs, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) markUp();
      else probeFailed(ar.cause());
    });
  }

  private synchronized void markUp() {
    if (state != State.UP) log.info("redis at {} is reachable", endpoint);
    state = State.UP;
    problem = null;
    backoffMs = MIN_BACKOFF_MS;
    schedule(PROBE_INTERVAL_MS);
  }

  /** A request's connection failed: Redis is down until a PING succeeds. */
  private synchronized void requestFailed(Throwable cause) {
    if (state == State.DOWN) return; // the probe is already retrying
    log.warn("redis at {} is unavailable: {}; retrying with backoff", endpoint, describe(cause));
    state = State.DOWN;
    problem = describe(cause);
    backoffMs = MIN_BACKOFF_MS;
    schedule(backoffMs);
  }

  private synchronized void probeFailed(Throwable cause) {
    if (state != State.DOWN) {
      log.warn("redis at {} is unavailable: {}; retrying with backoff", endpoint, describe(cause));
      backoffMs = MIN_BACKOFF_MS;
    } else {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    state = State.DOWN;
    problem = describe(cause);
    schedule(backoffMs);
  }

  private void schedule(long delayMs) {
    if (closed) return;
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = vertx.setTimer(delayMs, t -> {
      synchronized (this) {
        if (timer != t) return;
        timer = -1;
      }
      probe();
    });
  }

  /** A Redis error reply (the request reached Redis), as opposed to a lost connection. */
  static boolean isReply(Throwable t) {
    // The client reports a connection closed under a request as an error "reply" of its own.
    return t instanceof Response && !String.valueOf(t).startsWith("CONNECTION_CLOSED");
  }

  private static boolean isOverload(Throwable t) {
    String m = t.getMessage();
    return m != null && m.contains("wait queue");
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (t instanceof java.util.concurrent.TimeoutException || (m != null && m.startsWith("Timeout"))) return "timed out";
    return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
  }
}
