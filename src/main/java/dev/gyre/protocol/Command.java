package dev.gyre.protocol;

/** A decoded client command: its id (0 for pong and send) and its request. */
public record Command(long id, Request request) {}
