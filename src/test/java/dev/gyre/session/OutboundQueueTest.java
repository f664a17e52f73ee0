package dev.gyre.session;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-client queue: order, coalescing under the frame cap, byte accounting, the budget. */
class OutboundQueueTest {
  private static final byte[] NL = {'\n'};

  private static Buffer msg(String s) {
    return Buffer.buffer(s);
  }

  private static List<String> drain(OutboundQueue q) {
    List<String> frames = new ArrayList<>();
    for (Buffer f = q.nextFrame(); f != null; f = q.nextFrame()) frames.add(f.toString(StandardCharsets.UTF_8));
    return frames;
  }

  @Test
  void aSingleMessageGoesOutAsItIs() {
    OutboundQueue q = new OutboundQueue(1024, NL);
    Buffer m = msg("{\"a\":1}");
    assertThat(q.offer(m)).isTrue();
    assertThat(q.isEmpty()).isFalse();
    assertThat(q.nextFrame()).isSameAs(m);
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.bytes()).isZero();
    assertThat(q.nextFrame()).isNull();
  }

  @Test
  void queuedMessagesAreJoinedInOrderWithTheSeparator() {
    OutboundQueue q = new OutboundQueue(1024, NL);
    for (int i = 0; i < 5; i++) q.offer(msg("m" + i));
    assertThat(q.bytes()).isEqualTo(10);
    assertThat(drain(q)).containsExactly("m0\nm1\nm2\nm3\nm4");
    assertThat(q.bytes()).isZero();
    // The queue keeps working after a burst: later messages, in order.
    q.offer(msg("x"));
    q.offer(msg("y"));
    assertThat(drain(q)).containsExactly("x\ny");
  }

  @Test
  void framesStayUnderTheCapAndAnOversizedMessageGoesAlone() {
    OutboundQueue q = new OutboundQueue(1 << 20, new byte[0]);
    String big = "b".repeat(OutboundQueue.MAX_FRAME_BYTES + 10);
    String half = "h".repeat(OutboundQueue.MAX_FRAME_BYTES / 2);
    q.offer(msg("a"));
    q.offer(msg(big));
    q.offer(msg(half));
    q.offer(msg(half));
    q.offer(msg("z"));
    List<String> frames = drain(q);
    assertThat(frames).containsExactly("a", big, half + half, "z");
    assertThat(frames).allSatisfy(f -> assertThat(f.length() <= OutboundQueue.MAX_FRAME_BYTES || f.equals(big)).isTrue());
  }

  @Test
  void offerReportsWhenTheByteBudgetIsPassed() {
    OutboundQueue q = new OutboundQueue(10, NL);
    assertThat(q.offer(msg("12345"))).isTrue();
    assertThat(q.offer(msg("67890"))).isTrue();
    assertThat(q.offer(msg("x"))).isFalse();
    q.clear();
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.bytes()).isZero();
    assertThat(q.offer(msg("again"))).isTrue();
    assertThat(drain(q)).containsExactly("again");
  }
}
