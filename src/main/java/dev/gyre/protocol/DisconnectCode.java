package dev.gyre.protocol;

/**
 * The closed table of disconnect codes (spec/client-protocol.md §3.2), sent as the
 * WebSocket close status with the fixed reason. 3000–3499 ask the SDK to reconnect,
 * 3500–3999 are terminal. Reasons are non-empty plain text and shorter than 123 bytes.
 */
public enum DisconnectCode {
  SHUTDOWN(3001, "shutdown"),
  INTERNAL(3004, "internal server error"),
  EXPIRED(3005, "connection expired"),
  SUBSCRIPTION_EXPIRED(3006, "subscription expired"),
  SLOW(3008, "slow"),
  WRITE_ERROR(3009, "write error"),
  INSUFFICIENT_STATE(3010, "insufficient state"),
  FORCE_RECONNECT(3011, "force reconnect"),
  NO_PONG(3012, "no pong"),
  TOO_MANY_REQUESTS(3013, "too many requests"),
  INVALID_TOKEN(3500, "invalid token"),
  BAD_REQUEST(3501, "bad request"),
  STALE(3502, "stale"),
  FORCE_DISCONNECT(3503, "force disconnect"),
  CONNECTION_LIMIT(3504, "connection limit"),
  CHANNEL_LIMIT(3505, "channel limit"),
  INAPPROPRIATE_PROTOCOL(3506, "inappropriate protocol"),
  PERMISSION_DENIED(3507, "permission denied"),
  NOT_AVAILABLE(3508, "not available");

  private final int code;
  private final String reason;

  DisconnectCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() { return code; }
  public String reason() { return reason; }
  public Disconnect toDisconnect() { return new Disconnect(code, reason); }
}
