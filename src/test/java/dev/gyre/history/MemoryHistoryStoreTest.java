package dev.gyre.history;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryHistoryStoreTest extends HistoryStoreContract {
  private MemoryHistoryStore last;

  @Override
  protected HistoryStore store() {
    last = new MemoryHistoryStore(clock::get);
    return last;
  }

  @Test
  void sweepDropsStreamsWhoseMetadataExpired() {
    HistoryStore s = store();
    await(s.append("a", AppendRequest.of(pub("x"), OPTIONS)));
    assertThat(last.size()).isEqualTo(1);
    last.sweep();
    assertThat(last.size()).isEqualTo(1);
    clock.addAndGet(OPTIONS.metaTtl().toMillis() + 1);
    last.sweep();
    assertThat(last.size()).isZero();
  }
}
