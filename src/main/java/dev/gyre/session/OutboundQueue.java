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

  /**
   * The oldest message; {@link #rest} holds the others, created on the first burst only. At a low
   * publication rate a session never has more than one message queued, and this keeps the flush
   * of each session to the fewest objects (fan-out to thousands of sessions touches them cold).
   */
  private Buffer head;
  private ArrayDeque<Buffer> rest;
  private final int maxBytes;
  private final byte[] separator;
  private long bytes;

  OutboundQueue(int maxBytes, byte[] separator) {
    this.maxBytes = maxBytes;
    this.separator = separator;
  }

  /** Adds a message; returns false when the queue is over its byte budget. */
  boolean offer(Buffer message) {
    if (head == null) {
      head = message;
    } else {
      if (rest == null) rest = new ArrayDeque<>(4);
      rest.add(message);
    }
    bytes += message.length();
    return bytes <= maxBytes;
  }

  boolean isEmpty() { return head == null; }

  private Buffer poll() {
    Buffer first = head;
    head = rest == null ? null : rest.poll();
    return first;
  }

  long bytes() { return bytes; }

  /** Removes and joins queued messages into one frame of at most {@link #MAX_FRAME_BYTES} (or one message). */
  Buffer nextFrame() {
    Buffer first = poll();
    if (first == null) return null;
    bytes -= first.length();
    if (head == null) return first;
    Buffer frame = Buffer.buffer(Math.min(MAX_FRAME_BYTES, first.length() * 2 + 64)).appendBuffer(first);
    while (head != null && frame.length() + separator.length + head.length() <= MAX_FRAME_BYTES) {
      Buffer next = poll();
      bytes -= next.length();
      frame.appendBytes(separator).appendBuffer(next);
    }
    return frame;
  }

  void clear() {
    head = null;
    rest = null;
    bytes = 0;
  }
}
