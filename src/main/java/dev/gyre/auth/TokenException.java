package dev.gyre.auth;

/**
 * A token that cannot be used: invalid (any reason), expired, or not checkable now because the
 * JWKS key set it needs could not be loaded (the client should retry, as after an internal
 * error). The reason is for logs only.
 */
public final class TokenException extends Exception {
  public enum Kind { INVALID, EXPIRED, KEYS_UNAVAILABLE }

  private final Kind kind;

  public TokenException(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  static TokenException invalid(String reason) { return new TokenException(Kind.INVALID, reason); }
}
