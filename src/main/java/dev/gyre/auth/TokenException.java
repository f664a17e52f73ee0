package dev.gyre.auth;

/** A token that cannot be used: either invalid (any reason) or expired. The reason is for logs only. */
public final class TokenException extends Exception {
  public enum Kind { INVALID, EXPIRED }

  private final Kind kind;

  public TokenException(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  static TokenException invalid(String reason) { return new TokenException(Kind.INVALID, reason); }
}
