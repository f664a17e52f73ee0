package dev.gyre.history;

/** A read {@code since} a position of another epoch: the client's position cannot be served. */
public final class UnrecoverablePositionException extends RuntimeException {
  public UnrecoverablePositionException() {
    super("unrecoverable position", null, false, false);
  }
}
