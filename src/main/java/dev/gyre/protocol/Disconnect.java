package dev.gyre.protocol;

/** A disconnect to deliver: a built-in {@link DisconnectCode} or an application code from the server API. */
public record Disconnect(int code, String reason) {
  /** Whether the official SDKs reconnect after this code (spec/client-protocol.md §3.2). */
  public boolean reconnect() {
    return code < 3500 || (code >= 4000 && code < 4500) || code >= 5000;
  }
}
