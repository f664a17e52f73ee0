package dev.gyre.history.redis;

/**
 * Redis cannot be reached (or did not answer within {@code engine.redis.io_timeout}): nothing was
 * stored. Requests fail with it at once, without touching the network, while the health probe
 * reports Redis down; the server API and the client protocol answer it with error 100.
 */
public final class RedisUnavailableException extends RuntimeException {
  public RedisUnavailableException(String message) {
    super(message, null, false, false);
  }
}
