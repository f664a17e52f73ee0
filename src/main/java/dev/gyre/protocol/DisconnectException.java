package dev.gyre.protocol;

/** A command whose outcome is closing the connection with the given code. */
public final class DisconnectException extends RuntimeException {
  private final Disconnect disconnect;

  public DisconnectException(DisconnectCode code) {
    this(code.toDisconnect());
  }

  public DisconnectException(Disconnect disconnect) {
    super(disconnect.reason(), null, false, false);
    this.disconnect = disconnect;
  }

  public Disconnect disconnect() { return disconnect; }
}
