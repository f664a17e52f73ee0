package dev.gyre.session;

import dev.gyre.broker.ChannelMessage;
import dev.gyre.config.ChannelOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * One channel subscription of a session. Until {@code committed} (its reply queued), channel
 * messages are buffered, then replayed through the normal delivery path, so the reply always
 * precedes the channel's pushes and nothing published meanwhile is lost. A positioned
 * subscription tracks the stream position it has delivered up to.
 */
final class Subscription {
  /** Most messages held while a subscription is being set up; past it the client is too slow. */
  static final int MAX_BUFFERED = 10_000;

  final String channel;
  final boolean serverSide;
  final ChannelOptions options;
  boolean committed;
  boolean pushJoinLeave;
  boolean emitJoinLeave;
  boolean presence;
  boolean positioned;
  boolean recoverable;
  /** Stream top seen by the last position check while this subscription was behind it; 0 = none. */
  long suspectTop;
  /** Reading history to fill a gap: channel messages wait in the buffer meanwhile. */
  boolean filling;
  String epoch = "";
  long offset;
  long expireAt;
  byte[] chanInfo;
  long expiryTimer = -1;
  List<ChannelMessage> buffer = new ArrayList<>();

  Subscription(String channel, boolean serverSide, ChannelOptions options) {
    this.channel = channel;
    this.serverSide = serverSide;
    this.options = options;
  }
}
