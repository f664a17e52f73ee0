package dev.gyre.protocol;

import java.util.Map;

/**
 * A message in a channel. {@code offset} is 0 in channels without history; {@code info} is
 * present only for publications made by a client; {@code tags} may be empty, never null.
 */
public record Publication(byte[] data, ClientInfo info, long offset, Map<String, String> tags) {
  public Publication {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
