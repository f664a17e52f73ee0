package dev.gyre.history;

import java.time.Duration;

/**
 * How a channel's stream is kept: at most {@code size} publications, dropped {@code ttl} after
 * the last publish; the stream's epoch and top offset live {@code metaTtl} after the last
 * publish or read (spec/engines.md §2).
 */
public record StreamOptions(int size, Duration ttl, Duration metaTtl) {}
