package dev.gyre.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the merged v6 configuration tree from, lowest to highest precedence: the config file
 * (v5 flat keys and v6 nested keys both accepted), environment variables ({@code CENTRIFUGO_*}
 * and the same names with {@code GYRE_}), then command-line flags. Unknown keys become warnings.
 * Runs once at start-up, before Vert.x starts: blocking file reads are fine here.
 */
public final class ConfigLoader {
  private static final String[] ENV_PREFIXES = {"CENTRIFUGO_", "GYRE_"};

  /** The outcome of loading: the tree, the warnings to log, and whether the file existed. */
  public record Loaded(JsonObject tree, List<String> warnings, boolean fileFound) {
    public GyreConfig config() { return GyreConfig.from(tree); }
  }

  private final List<String> warnings = new ArrayList<>();

  private ConfigLoader() {}

  /**
   * @param file  the config file (JSON, or YAML by extension); a missing file is a warning
   * @param env   the process environment
   * @param flags explicitly given flags, as v6 path → text value
   */
  public static Loaded load(Path file, Map<String, String> env, Map<String, String> flags) {
    ConfigLoader l = new ConfigLoader();
    JsonObject tree = new JsonObject();
    boolean found = file != null && Files.exists(file);
    if (found) {
      l.mergeFile(tree, readFile(file));
    } else if (file != null) {
      l.warnings.add("config file " + file + " not found, continue using environment and flag options");
    }
    l.applyEnv(tree, env);
    for (Map.Entry<String, String> f : flags.entrySet()) {
      ConfigSchema.Key key = ConfigSchema.byPath(f.getKey());
      if (key == null) throw new ConfigException("--" + f.getKey(), "unknown flag");
      put(tree, key.path(), convert("--" + key.path(), key.type(), f.getValue()));
    }
    return new Loaded(tree, List.copyOf(l.warnings), found);
  }

  private static final com.fasterxml.jackson.dataformat.toml.TomlMapper TOML = new com.fasterxml.jackson.dataformat.toml.TomlMapper();

  /** A TOML document as a tree of maps, lists and scalars (dates and times as their text). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> readToml(String text) {
    try {
      Map<String, Object> doc = TOML.readValue(text, Map.class);
      return (Map<String, Object>) plain(doc);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Object plain(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof List<?> l) return l.stream().map(ConfigLoader::plain).collect(java.util.stream.Collectors.toList());
    if (v instanceof java.time.temporal.TemporalAccessor t) return t.toString();
    return v;
  }

  /** Reads a JSON, YAML or TOML file into a JSON object; a parse failure names the file. */
  public static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("config file " + file + ": cannot be read: " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (doc == null) return new JsonObject();
        if (!(doc instanceof Map<?, ?> m)) throw new ConfigException("config file " + file + ": top level must be a mapping");
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
        return new JsonObject(io.vertx.core.json.Json.encode(map));
      }
      if (name.endsWith(".toml")) return new JsonObject(readToml(text));
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + ": invalid JSON: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      if (e instanceof ConfigException c) throw c;
      throw new ConfigException("config file " + file + ": cannot be parsed: " + firstLine(e.getMessage()));
    }
  }

  /** Merges a file's keys into the tree, translating v5 flat keys to their v6 paths. */
  void mergeFile(JsonObject tree, JsonObject file) {
    // v5 flat keys first, so that v6 nested keys win where a file mixes both.
    for (String k : file.fieldNames()) {
      Object value = file.getValue(k);
      ConfigSchema.Key v5 = ConfigSchema.byV5(k);
      if (isNested(k, value)) continue;
      if (v5 != null) {
        put(tree, v5.path(), v5.path().equals("channel.namespaces") ? namespaces(value, "namespaces") : value);
      } else if (ConfigSchema.CHANNEL_OPTIONS.containsKey(k) || ConfigSchema.V5_CHANNEL_OPTION_RENAMES.containsKey(k)) {
        put(tree, "channel.without_namespace." + ConfigSchema.V5_CHANNEL_OPTION_RENAMES.getOrDefault(k, k), value);
      } else {
        warnings.add("unknown key in configuration file: " + k);
      }
    }
    for (String k : file.fieldNames()) {
      if (!isNested(k, file.getValue(k))) continue;
      mergeNested(tree, k, file.getValue(k));
    }
  }

  /**
   * Whether a top-level file key is read as a v6 key or group. A v5 flat key that shares its name
   * with a v6 group ("engine": "redis", "admin": true, "health": true) keeps its v5 meaning unless
   * its value is an object.
   */
  private static boolean isNested(String k, Object value) {
    if (ConfigSchema.byPath(k) != null) return true;
    if (!ConfigSchema.isGroup(k)) return false;
    return value instanceof JsonObject || ConfigSchema.byV5(k) == null;
  }

  private void mergeNested(JsonObject tree, String path, Object value) {
    ConfigSchema.Key key = ConfigSchema.byPath(path);
    if (key != null) {
      if (path.equals("channel.namespaces")) value = namespaces(value, path);
      else if (path.equals("channel.without_namespace")) {
        value = channelOptions(value, path);
        // Keep v5 top-level channel options already translated here; v6 options win per key.
        if (value instanceof JsonObject o && new ConfigValues(tree, "").raw(path) instanceof JsonObject prev) {
          value = prev.copy().mergeIn(o);
        }
      }
      put(tree, path, value);
      return;
    }
    if (!ConfigSchema.isGroup(path)) {
      warnings.add("unknown key in configuration file: " + path);
      return;
    }
    if (!(value instanceof JsonObject o)) throw new ConfigException(path, "must be an object");
    for (String k : o.fieldNames()) mergeNested(tree, path + "." + k, o.getValue(k));
  }

  private Object namespaces(Object value, String key) {
    if (!(value instanceof JsonArray arr)) return value; // typed validation reports it
    JsonArray out = new JsonArray();
    for (int i = 0; i < arr.size(); i++) out.add(channelOptions(arr.getValue(i), key + "[" + i + "]"));
    return out;
  }

  private Object channelOptions(Object value, String key) {
    if (!(value instanceof JsonObject ns)) return value;
    JsonObject out = new JsonObject();
    for (String k : ns.fieldNames()) {
      String name = ConfigSchema.V5_CHANNEL_OPTION_RENAMES.getOrDefault(k, k);
      if (!name.equals("name") && !ConfigSchema.CHANNEL_OPTIONS.containsKey(name)) {
        warnings.add("unknown key in configuration file: " + key + "." + k);
      }
      out.put(name, ns.getValue(k));
    }
    return out;
  }

  private void applyEnv(JsonObject tree, Map<String, String> env) {
    Set<String> used = new HashSet<>();
    for (ConfigSchema.Key key : ConfigSchema.keys().values()) {
      for (String prefix : ENV_PREFIXES) {
        // v5 names first, then v6 names: the v6 name wins when both are set.
        if (key.v5() != null && !key.v5().equals("port")) {
          applyEnvVar(tree, env, used, ConfigSchema.envName(prefix, key.v5()), key);
        }
        applyEnvVar(tree, env, used, ConfigSchema.envName(prefix, key.path()), key);
      }
    }
    // Space-separated namespace names, then per-namespace and top-level channel options.
    for (String prefix : ENV_PREFIXES) {
      String names = env.get(prefix + "CHANNEL_NAMESPACES");
      if (names != null && !names.isBlank() && !names.trim().startsWith("[")) {
        JsonArray arr = tree.getJsonObject("channel", new JsonObject()).getJsonArray("namespaces", new JsonArray());
        for (String n : names.trim().split("\\s+")) arr.add(new JsonObject().put("name", n));
        put(tree, "channel.namespaces", arr);
      }
    }
    Object nsList = new ConfigValues(tree, "").raw("channel.namespaces");
    for (String prefix : ENV_PREFIXES) {
      for (Map.Entry<String, KeyType> opt : ConfigSchema.CHANNEL_OPTIONS.entrySet()) {
        String top = prefix + "CHANNEL_WITHOUT_NAMESPACE_" + opt.getKey().toUpperCase(Locale.ROOT);
        if (nonEmpty(env.get(top))) {
          used.add(top);
          put(tree, "channel.without_namespace." + opt.getKey(), convert(top, opt.getValue(), env.get(top)));
        }
        if (!(nsList instanceof JsonArray arr)) continue;
        for (Object o : arr) {
          if (!(o instanceof JsonObject ns) || !(ns.getValue("name") instanceof String name)) continue;
          String var = prefix + "CHANNEL_NAMESPACES_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
              + "_" + opt.getKey().toUpperCase(Locale.ROOT);
          if (nonEmpty(env.get(var))) {
            used.add(var);
            ns.put(opt.getKey(), convert(var, opt.getValue(), env.get(var)));
          }
        }
      }
    }
    for (String name : env.keySet()) {
      for (String prefix : ENV_PREFIXES) {
        if (name.startsWith(prefix) && !used.contains(name) && !isServiceVar(prefix, name)
            && !name.equals(prefix + "CHANNEL_NAMESPACES")) {
          warnings.add("unknown environment variable: " + name);
        }
      }
    }
  }

  private static boolean isServiceVar(String prefix, String name) {
    // Kubernetes injects <SERVICE>_PORT... and <SERVICE>_SERVICE_... for Services named like the app.
    return name.matches(prefix + "([A-Z0-9_]*_)?(PORT|SERVICE_)[A-Z0-9_]*") || name.startsWith(prefix + "VAR_")
        || name.equals(prefix + "PORT");
  }

  private static void applyEnvVar(JsonObject tree, Map<String, String> env, Set<String> used, String var,
                                   ConfigSchema.Key key) {
    String value = env.get(var);
    if (!nonEmpty(value)) return;
    used.add(var);
    Object converted = convert(var, key.type(), value);
    if (key.path().equals("channel.namespaces") && converted instanceof String) return; // names handled apart
    put(tree, key.path(), converted);
  }

  /** Converts a text value (environment or flag) to the JSON value the file would hold. */
  static Object convert(String source, KeyType type, String text) {
    switch (type) {
      case BOOL:
        return ConfigValues.parseBool(source, text.trim());
      case INT:
        return ConfigValues.parseInt(source, text);
      case STRINGS:
        String t = text.trim();
        if (t.startsWith("[")) return parseJson(source, t);
        return new JsonArray(t.isEmpty() ? List.of() : List.of(t.split("\\s+")));
      case OBJECT:
      case LIST:
        String s = text.trim();
        if (s.startsWith("{") || s.startsWith("[")) return parseJson(source, s);
        return s; // space-separated names for namespaces
      default:
        return text;
    }
  }

  private static Object parseJson(String source, String text) {
    try {
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ConfigException(source, "must be valid JSON");
    }
  }

  static void put(JsonObject tree, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject cur = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = cur.getValue(parts[i]);
      if (!(next instanceof JsonObject)) {
        next = new JsonObject();
        cur.put(parts[i], next);
      }
      cur = (JsonObject) next;
    }
    cur.put(parts[parts.length - 1], value);
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
