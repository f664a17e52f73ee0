package dev.gyre.history;

import dev.gyre.protocol.Publication;

/**
 * A publication to append, with the server API's version control: with {@code version} > 0, a
 * version not above the stream's last one (same or empty {@code versionEpoch}) is dropped and
 * the current top returned (spec/server-api.md §7.2).
 */
public record AppendRequest(Publication publication, StreamOptions options, long version, String versionEpoch) {
  public static AppendRequest of(Publication publication, StreamOptions options) {
    return new AppendRequest(publication, options, 0, "");
  }
}
