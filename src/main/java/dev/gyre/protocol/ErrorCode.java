package dev.gyre.protocol;

/**
 * The closed table of client-protocol error codes (spec/client-protocol.md §3.1).
 * Messages are fixed: client input is never echoed back in an error.
 */
public enum ErrorCode {
  INTERNAL(100, "internal server error", true),
  UNAUTHORIZED(101, "unauthorized", false),
  UNKNOWN_CHANNEL(102, "unknown channel", false),
  PERMISSION_DENIED(103, "permission denied", false),
  METHOD_NOT_FOUND(104, "method not found", false),
  ALREADY_SUBSCRIBED(105, "already subscribed", false),
  LIMIT_EXCEEDED(106, "limit exceeded", false),
  BAD_REQUEST(107, "bad request", false),
  NOT_AVAILABLE(108, "not available", false),
  TOKEN_EXPIRED(109, "token expired", false),
  EXPIRED(110, "expired", false),
  TOO_MANY_REQUESTS(111, "too many requests", true),
  UNRECOVERABLE_POSITION(112, "unrecoverable position", false);

  private final int code;
  private final String message;
  private final boolean temporary;

  ErrorCode(int code, String message, boolean temporary) {
    this.code = code;
    this.message = message;
    this.temporary = temporary;
  }

  public int code() { return code; }
  public String message() { return message; }
  public boolean temporary() { return temporary; }
}
