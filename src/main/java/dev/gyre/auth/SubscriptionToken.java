package dev.gyre.auth;

/** The verified claims of a subscription JWT. {@code expireAt} is unix seconds, 0 = never. */
public record SubscriptionToken(String user, String channel, String client, long expireAt, byte[] info, byte[] data,
                                SubscribeOverride override) {}
