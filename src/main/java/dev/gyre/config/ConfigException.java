package dev.gyre.config;

/** A configuration that cannot be used; the message names the offending key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }

  public ConfigException(String message) {
    super(message);
  }
}
