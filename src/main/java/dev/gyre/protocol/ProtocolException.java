package dev.gyre.protocol;

/** A command answered with a protocol error reply; the connection stays open. */
public final class ProtocolException extends RuntimeException {
  private final ErrorCode error;

  public ProtocolException(ErrorCode error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ErrorCode error() { return error; }
}
