package dev.gyre.history;

import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;

/**
 * The outcome of an append: the publication as stored (with its offset) and its position, or,
 * when {@code suppressed}, the position to report without publishing anything.
 */
public record AppendResult(Publication publication, StreamPosition position, boolean suppressed) {}
