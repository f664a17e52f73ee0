package dev.gyre.bench;

import dev.gyre.config.GoDuration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of the bench command: {@code gyre bench <scenario> [--name value]...}. Every scenario
 * is bounded by {@code --duration} and by counts, and targets loopback unless told otherwise.
 */
final class BenchOptions {
  static final List<String> SCENARIOS = List.of("fanout", "channels", "connections", "publish", "charts");

  final String scenario;
  private final Map<String, String> values;

  private BenchOptions(String scenario, Map<String, String> values) {
    this.scenario = scenario;
    this.values = values;
  }

  static BenchOptions parse(String[] argv) {
    if (argv.length == 0 || !SCENARIOS.contains(argv[0])) {
      throw new IllegalArgumentException("scenario must be one of " + SCENARIOS);
    }
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        value = argv[++i];
      } else {
        value = "true";
      }
      v.put(name, value);
    }
    return new BenchOptions(argv[0], v);
  }

  String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  int integer(String name, int def) {
    String s = values.get(name);
    if (s == null) return def;
    try {
      return Integer.parseInt(s.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer");
    }
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  Duration duration(String name, String def) {
    try {
      return GoDuration.parse(values.getOrDefault(name, def));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + name + " must be a duration such as 10s");
    }
  }

  /** The publish rate per second; "max" (or 0) publishes as fast as the in-flight budget allows. */
  int rate() {
    String r = values.getOrDefault("rate", "100");
    return r.equals("max") ? 0 : integer("rate", 100);
  }

  Map<String, String> all() {
    return values;
  }
}
