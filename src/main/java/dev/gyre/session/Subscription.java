package dev.gyre.session;

/**
 * One channel subscription of a session. {@code committed} becomes true once the subscribe reply
 * (or connect reply for server-side subscriptions) is queued: pushes are delivered only after it,
 * so the reply always precedes the channel's pushes.
 */
final class Subscription {
  final String channel;
  final boolean serverSide;
  boolean committed;
  boolean pushJoinLeave;
  boolean emitJoinLeave;
  boolean presence;
  long expireAt;
  byte[] chanInfo;
  long expiryTimer = -1;

  Subscription(String channel, boolean serverSide) {
    this.channel = channel;
    this.serverSide = serverSide;
  }
}
