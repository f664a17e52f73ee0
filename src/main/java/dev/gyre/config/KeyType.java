package dev.gyre.config;

/** The value type of a configuration key, which decides how file, environment and flag values parse. */
public enum KeyType {
  BOOL, INT, STRING, DURATION, STRINGS, OBJECT, LIST
}
