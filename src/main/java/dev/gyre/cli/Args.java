package dev.gyre.cli;

import dev.gyre.config.ConfigException;
import dev.gyre.config.ConfigSchema;
import dev.gyre.config.KeyType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line parsing: the subcommand, its own options, and configuration flags. Flags take the
 * v6 key path ({@code --http_server.port=8001}) or the v5 name ({@code --port 8001}); short forms
 * {@code -c}, {@code -p}, {@code -a}, {@code -n}. Boolean flags may omit their value.
 */
final class Args {
  private static final Map<String, String> SHORT = Map.of("-c", "config", "-p", "http_server.port",
      "-a", "http_server.address", "-n", "node.name", "-u", "user", "-t", "ttl", "-q", "quiet", "-s", "channel");
  private static final List<String> OWN = List.of("config", "user", "ttl", "quiet", "channel", "strict", "help");

  String command = "serve";
  final Map<String, String> options = new LinkedHashMap<>();
  final Map<String, String> configFlags = new LinkedHashMap<>();
  final List<String> positional = new ArrayList<>();

  static Args parse(String[] argv) {
    Args a = new Args();
    int i = 0;
    if (argv.length > 0 && !argv[0].startsWith("-")) a.command = argv[i++];
    for (; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("-")) {
        a.positional.add(arg);
        continue;
      }
      String name;
      String value = null;
      if (arg.startsWith("--")) {
        name = arg.substring(2);
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
      } else {
        name = SHORT.get(arg);
        if (name == null) throw new ConfigException(arg, "unknown flag");
      }
      if (name.equals("cluster")) name = "cluster.enabled";
      if (name.equals("strict") && a.command.equals("checkconfig")) name = "strict";
      if (OWN.contains(name)) {
        boolean isBool = name.equals("quiet") || name.equals("strict") || name.equals("help");
        if (value == null && !isBool) {
          if (i + 1 >= argv.length) throw new ConfigException("--" + name, "needs a value");
          value = argv[++i];
        }
        a.options.put(name, value == null ? "true" : value);
        continue;
      }
      ConfigSchema.Key key = ConfigSchema.byPath(name);
      if (key == null) key = ConfigSchema.byV5(name);
      if (key == null) throw new ConfigException("--" + name, "unknown flag");
      if (value == null) {
        if (key.type() == KeyType.BOOL && (i + 1 >= argv.length || !isBoolText(argv[i + 1]))) {
          value = "true";
        } else {
          if (i + 1 >= argv.length) throw new ConfigException("--" + name, "needs a value");
          value = argv[++i];
        }
      }
      a.configFlags.put(key.path(), value);
    }
    return a;
  }

  private static boolean isBoolText(String s) {
    return List.of("true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False").contains(s);
  }

  String option(String name, String def) {
    return options.getOrDefault(name, def);
  }
}
