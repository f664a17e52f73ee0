package dev.gyre.auth;

/** Per-subscription overrides of namespace options, from a token's {@code override} object; null = keep. */
public record SubscribeOverride(Boolean presence, Boolean joinLeave, Boolean forcePushJoinLeave,
                                Boolean forcePositioning, Boolean forceRecovery) {
  public static final SubscribeOverride NONE = new SubscribeOverride(null, null, null, null, null);
}
