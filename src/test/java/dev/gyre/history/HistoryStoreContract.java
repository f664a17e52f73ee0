package dev.gyre.history;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link HistoryStore} contract, written once: every implementation's test extends this
 * class and supplies a store whose clock the test controls.
 */
public abstract class HistoryStoreContract {
  public static final StreamOptions OPTIONS = new StreamOptions(10, Duration.ofSeconds(60), Duration.ofSeconds(3600));

  protected final AtomicLong clock = new AtomicLong(1_000_000);

  /** A fresh, empty store reading time from {@link #clock} (milliseconds). */
  protected abstract HistoryStore store();

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Publication pub(String text) {
    return new Publication(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8),
        new ClientInfo("u", "c", null, null), 0, Map.of("k", text));
  }

  public static String text(Publication p) {
    String s = new String(p.data(), StandardCharsets.UTF_8);
    return s.substring(1, s.length() - 1);
  }

  private StreamPosition append(HistoryStore s, String ch, String text) {
    return await(s.append(ch, AppendRequest.of(pub(text), OPTIONS))).position();
  }

  private List<Long> offsets(HistoryPage page) {
    return page.publications().stream().map(Publication::offset).toList();
  }

  @Test
  void appendAssignsConsecutiveOffsetsFromOneInOneEpoch() {
    HistoryStore s = store();
    StreamPosition a = append(s, "ch", "a");
    StreamPosition b = append(s, "ch", "b");
    assertThat(a.offset()).isEqualTo(1);
    assertThat(b.offset()).isEqualTo(2);
    assertThat(b.epoch()).isEqualTo(a.epoch()).isNotEmpty();
    assertThat(append(s, "other", "x").offset()).isEqualTo(1);
    AppendResult r = await(s.append("ch", AppendRequest.of(pub("c"), OPTIONS)));
    assertThat(r.publication().offset()).isEqualTo(3);
    assertThat(text(r.publication())).isEqualTo("c");
    assertThat(r.publication().info().user()).isEqualTo("u");
    assertThat(r.publication().tags()).containsEntry("k", "c");
  }

  @Test
  void streamIsTrimmedToSizeButTopKeepsGrowing() {
    HistoryStore s = store();
    StreamOptions small = new StreamOptions(3, Duration.ofSeconds(60), Duration.ofSeconds(3600));
    for (int i = 1; i <= 5; i++) await(s.append("ch", AppendRequest.of(pub("m" + i), small)));
    HistoryPage all = await(s.read("ch", new HistoryQuery(-1, null, false), small));
    assertThat(offsets(all)).containsExactly(3L, 4L, 5L);
    assertThat(all.top().offset()).isEqualTo(5);
  }

  @Test
  void readsHonourLimitSinceAndDirection() {
    HistoryStore s = store();
    for (int i = 1; i <= 6; i++) append(s, "ch", "m" + i);
    String epoch = await(s.read("ch", HistoryQuery.position(), OPTIONS)).top().epoch();
    HistoryPage position = await(s.read("ch", HistoryQuery.position(), OPTIONS));
    assertThat(position.publications()).isEmpty();
    assertThat(position.top()).isEqualTo(new StreamPosition(6, epoch));
    assertThat(offsets(await(s.read("ch", new HistoryQuery(2, null, false), OPTIONS)))).containsExactly(1L, 2L);
    assertThat(offsets(await(s.read("ch", new HistoryQuery(2, null, true), OPTIONS)))).containsExactly(6L, 5L);
    assertThat(offsets(await(s.read("ch", new HistoryQuery(-1, new StreamPosition(4, epoch), false), OPTIONS))))
        .containsExactly(5L, 6L);
    assertThat(offsets(await(s.read("ch", new HistoryQuery(2, new StreamPosition(4, ""), true), OPTIONS))))
        .containsExactly(3L, 2L);
    assertThat(await(s.read("ch", new HistoryQuery(10, new StreamPosition(6, epoch), false), OPTIONS)).publications())
        .isEmpty();
  }

  @Test
  void sinceAnotherEpochIsUnrecoverable() {
    HistoryStore s = store();
    append(s, "ch", "a");
    assertThatThrownBy(() -> await(s.read("ch", new HistoryQuery(10, new StreamPosition(0, "zzzzzzzz"), false), OPTIONS)))
        .isInstanceOf(UnrecoverablePositionException.class);
  }

  @Test
  void readingANewChannelCreatesAStableEpochAtOffsetZero() {
    HistoryStore s = store();
    StreamPosition first = await(s.read("fresh", HistoryQuery.position(), OPTIONS)).top();
    assertThat(first.offset()).isZero();
    assertThat(first.epoch()).isNotEmpty();
    assertThat(await(s.read("fresh", HistoryQuery.position(), OPTIONS)).top()).isEqualTo(first);
    assertThat(append(s, "fresh", "a")).isEqualTo(new StreamPosition(1, first.epoch()));
  }

  @Test
  void removeKeepsTopAndEpoch() {
    HistoryStore s = store();
    StreamPosition p = append(s, "ch", "a");
    append(s, "ch", "b");
    await(s.remove("ch"));
    HistoryPage page = await(s.read("ch", new HistoryQuery(-1, null, false), OPTIONS));
    assertThat(page.publications()).isEmpty();
    assertThat(page.top()).isEqualTo(new StreamPosition(2, p.epoch()));
    assertThat(append(s, "ch", "c")).isEqualTo(new StreamPosition(3, p.epoch()));
  }

  @Test
  void publicationsExpireAfterTtlButEpochAndTopStay() {
    HistoryStore s = store();
    StreamPosition p = append(s, "ch", "a");
    clock.addAndGet(OPTIONS.ttl().toMillis() + 1);
    HistoryPage page = await(s.read("ch", new HistoryQuery(-1, null, false), OPTIONS));
    assertThat(page.publications()).isEmpty();
    assertThat(page.top()).isEqualTo(p);
  }

  @Test
  void lostMetadataStartsANewEpoch() {
    HistoryStore s = store();
    StreamPosition p = append(s, "ch", "a");
    clock.addAndGet(OPTIONS.metaTtl().toMillis() + 1);
    StreamPosition next = append(s, "ch", "b");
    assertThat(next.offset()).isEqualTo(1);
    assertThat(next.epoch()).isNotEqualTo(p.epoch());
  }

  @Test
  void staleVersionsAreSuppressed() {
    HistoryStore s = store();
    AppendResult v2 = await(s.append("doc", new AppendRequest(pub("v2"), OPTIONS, 2, "")));
    AppendResult v1 = await(s.append("doc", new AppendRequest(pub("v1"), OPTIONS, 1, "")));
    assertThat(v1.suppressed()).isTrue();
    assertThat(v1.position()).isEqualTo(v2.position());
    AppendResult otherEpoch = await(s.append("doc", new AppendRequest(pub("x"), OPTIONS, 1, "e2")));
    assertThat(otherEpoch.suppressed()).isFalse();
    assertThat(otherEpoch.position().offset()).isEqualTo(2);
  }

  @Test
  void concurrentAppendsGetUniqueContiguousOffsets() throws Exception {
    HistoryStore s = store();
    StreamOptions big = new StreamOptions(10_000, Duration.ofSeconds(60), Duration.ofSeconds(3600));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 500; i++) offsets.add(await(s.append("hot", AppendRequest.of(pub("x"), big))).position().offset());
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(offsets).hasSize(2000).doesNotHaveDuplicates();
    assertThat(offsets.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(2000);
    assertThat(offsets(await(s.read("hot", new HistoryQuery(-1, null, false), big))))
        .hasSize(2000).isSorted();
  }
}
