package dev.gyre.session;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;

/**
 * The bytes waiting to be written to one client, bounded in bytes. Messages queued during one
 * event-loop turn are coalesced into one frame (newline-joined, as the JSON protocol allows) so
 * that a burst of pushes costs one write. When the transport's own queue is full, frames wait
 * here; past {@code maxBytes} the owner disconnects the client as slow. Not thread-safe: used on
 * the session's event loop only. Messages are joined with the codec's separator.
 */
final class OutboundQueue {
  /** Largest coalesced frame; a single larger message is still sent whole. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  private final ArrayDeque<Buffer> messages = new ArrayDeque<>();
  private final int maxBytes;
  private final byte[] separator;
  private long bytes;

  OutboundQueue(int maxBytes, byte[] separator) {
    this.maxBytes = maxBytes;
    this.separator = separator;
  }

  /** Adds a message; returns false when the queue is over its byte budget. */
  boolean offer(Buffer message) {
    messages.add(message);
    bytes += message.length();
    return bytes <= maxBytes;
  }

  boolean isEmpty() { return messages.isEmpty(); }

  long bytes() { return bytes; }

  /** Removes and joins queued messages into one frame of at most {@link #MAX_FRAME_BYTES} (or one message). */
  Buffer nextFrame() {
    Buffer first = messages.poll();
    if (first == null) return null;
    bytes -= first.length();
    if (messages.isEmpty()) return first;
    Buffer frame = Buffer.buffer(Math.min(MAX_FRAME_BYTES, first.length() * 2 + 64)).appendBuffer(first);
    while (!messages.isEmpty() && frame.length() + separator.length + messages.peek().length() <= MAX_FRAME_BYTES) {
      Buffer next = messages.poll();
      bytes -= next.length();
      frame.appendBytes(separator).appendBuffer(next);
    }
    return frame;
  }

  void clear() {
    messages.clear();
    bytes = 0;
  }
}
