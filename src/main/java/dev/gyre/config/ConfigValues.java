package dev.gyre.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads from the merged v6 configuration tree. Every failure names the key. An explicit
 * zero or empty value counts as unset, so the default applies (Centrifugo v6 behaviour).
 */
final class ConfigValues {
  private final JsonObject root;
  private final String prefix;

  ConfigValues(JsonObject root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  Object raw(String path) {
    Object cur = root;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof JsonObject o)) return null;
      cur = o.getValue(part);
    }
    return cur;
  }

  private String name(String path) {
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  boolean bool(String path, boolean def) {
    Object v = raw(path);
    if (v == null) return def;
    if (v instanceof Boolean b) return b || def;
    if (v instanceof String s) return parseBool(name(path), s) || def;
    throw new ConfigException(name(path), "must be a boolean");
  }

  int integer(String path, int def) {
    Object v = raw(path);
    if (v == null) return def;
    long n;
    if (v instanceof Number num) {
      if (num.doubleValue() != Math.rint(num.doubleValue())) throw new ConfigException(name(path), "must be an integer");
      n = num.longValue();
    } else if (v instanceof String s) {
      n = parseInt(name(path), s);
    } else {
      throw new ConfigException(name(path), "must be an integer");
    }
    if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) throw new ConfigException(name(path), "is out of range");
    return n == 0 ? def : (int) n;
  }

  String string(String path, String def) {
    Object v = raw(path);
    if (v == null) return def;
    if (v instanceof String s) return s.isEmpty() ? def : s;
    if (v instanceof Number num) return num.toString();
    throw new ConfigException(name(path), "must be a string");
  }

  Duration duration(String path, Duration def) {
    Object v = raw(path);
    if (v == null) return def;
    if (!(v instanceof String s)) {
      throw new ConfigException(name(path), "must be a duration string such as \"300s\", \"1h30m\" or \"1500ms\"");
    }
    if (s.isEmpty()) return def;
    try {
      Duration d = GoDuration.parse(s);
      return d.isZero() ? def : d;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name(path), e.getMessage() + " (units: ns, us, ms, s, m, h; there is no d)");
    }
  }

  List<String> strings(String path) {
    Object v = raw(path);
    if (v == null) return List.of();
    if (v instanceof String s) return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    if (!(v instanceof JsonArray a)) throw new ConfigException(name(path), "must be a list of strings");
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s)) throw new ConfigException(name(path), "must be a list of strings");
      out.add(s);
    }
    return List.copyOf(out);
  }

  static boolean parseBool(String key, String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new ConfigException(key, "must be a boolean, got \"" + s + "\"");
    };
  }

  static long parseInt(String key, String s) {
    try {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.startsWith("0x")) return Long.parseLong(t.substring(2), 16);
      if (t.startsWith("0o")) return Long.parseLong(t.substring(2), 8);
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "must be an integer, got \"" + s + "\"");
    }
  }
}
