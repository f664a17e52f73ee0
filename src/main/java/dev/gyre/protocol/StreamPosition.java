package dev.gyre.protocol;

/** A position in a channel's history stream: the offset of the last publication and the stream epoch. */
public record StreamPosition(long offset, String epoch) {}
