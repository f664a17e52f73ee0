package dev.gyre.history;

import dev.gyre.protocol.StreamPosition;

/**
 * A history read. {@code limit}: 0 = no publications (position only), a negative value = all,
 * otherwise at most that many. {@code since}: null = from the start (or the newest end when
 * {@code reverse}); otherwise strictly after (forward) or before (reverse) {@code since.offset}.
 */
public record HistoryQuery(int limit, StreamPosition since, boolean reverse) {
  public static HistoryQuery position() {
    return new HistoryQuery(0, null, false);
  }
}
