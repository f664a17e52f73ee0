package dev.gyre.api;

/** Server API error codes (spec/server-api.md §3) with their fixed messages and transport-mode statuses. */
public enum ApiError {
  INTERNAL(100, "internal server error", 500),
  UNKNOWN_CHANNEL(102, "unknown channel", 404),
  NOT_FOUND(104, "not found", 404),
  BAD_REQUEST(107, "bad request", 400),
  NOT_AVAILABLE(108, "not available", 400),
  UNRECOVERABLE_POSITION(112, "unrecoverable position", 416),
  CONFLICT(113, "conflict", 409);

  private final int code;
  private final String message;
  private final int httpStatus;

  ApiError(int code, String message, int httpStatus) {
    this.code = code;
    this.message = message;
    this.httpStatus = httpStatus;
  }

  public int code() { return code; }
  public String message() { return message; }
  public int httpStatus() { return httpStatus; }
}
