package dev.gyre.presence;

/** Counts of a channel's presence: connections, and distinct users (anonymous ones count as one). */
public record PresenceStats(int numClients, int numUsers) {}
