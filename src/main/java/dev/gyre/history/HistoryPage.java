package dev.gyre.history;

import dev.gyre.protocol.Publication;
import dev.gyre.protocol.StreamPosition;

import java.util.List;

/** Publications read from a stream, in the order asked for, and the stream's current top. */
public record HistoryPage(List<Publication> publications, StreamPosition top) {}
