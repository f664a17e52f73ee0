package dev.gyre.protocol;

/** An asynchronous message to a client (spec/client-protocol.md §2.3, §2.6). */
public sealed interface Push {

  record Pub(String channel, Publication publication) implements Push {}

  record Join(String channel, ClientInfo info) implements Push {}

  record Leave(String channel, ClientInfo info) implements Push {}

  record Unsubscribe(String channel, int code, String reason) implements Push {}

  record Message(byte[] data) implements Push {}

  record Subscribe(String channel, boolean recoverable, String epoch, long offset, boolean positioned, byte[] data)
      implements Push {}

  record Disconnect(int code, String reason) implements Push {}
}
