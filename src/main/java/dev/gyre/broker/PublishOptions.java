package dev.gyre.broker;

/**
 * Per-publish options of the server API (spec/server-api.md §6.1, §7): skip history, an
 * idempotency key (5-minute window per channel), and a document version with its epoch.
 */
public record PublishOptions(boolean skipHistory, String idempotencyKey, long version, String versionEpoch) {
  public static final PublishOptions DEFAULT = new PublishOptions(false, "", 0, "");
}
