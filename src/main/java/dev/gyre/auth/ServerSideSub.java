package dev.gyre.auth;

/** A server-side subscription a connection token asks for ({@code channels} or {@code subs}). */
public record ServerSideSub(String channel, byte[] info, byte[] data, SubscribeOverride override) {}
