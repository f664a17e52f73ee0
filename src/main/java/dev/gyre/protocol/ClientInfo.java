package dev.gyre.protocol;

/**
 * Who a client is, as shown in presence, join/leave and client publications.
 * {@code connInfo} and {@code chanInfo} are raw payloads (raw JSON for JSON clients), or null.
 */
public record ClientInfo(String user, String client, byte[] connInfo, byte[] chanInfo) {}
