package dev.gyre.config;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options of one namespace, or of channels without a namespace (spec/config.md §3).
 * A namespace gets only what is written in it: there is no inheritance from the top level.
 */
public record ChannelOptions(
    String name,
    boolean presence,
    boolean joinLeave,
    boolean forcePushJoinLeave,
    int historySize,
    Duration historyTtl,
    Duration historyMetaTtl,
    boolean forcePositioning,
    boolean allowPositioning,
    boolean forceRecovery,
    boolean allowRecovery,
    String forceRecoveryMode,
    List<String> allowedDeltaTypes,
    boolean deltaPublish,
    boolean allowSubscribeForClient,
    boolean allowSubscribeForAnonymous,
    boolean allowPublishForSubscriber,
    boolean allowPublishForClient,
    boolean allowPublishForAnonymous,
    boolean allowPresenceForSubscriber,
    boolean allowPresenceForClient,
    boolean allowPresenceForAnonymous,
    boolean allowHistoryForSubscriber,
    boolean allowHistoryForClient,
    boolean allowHistoryForAnonymous,
    boolean allowUserLimitedChannels,
    Pattern channelRegex,
    String publicationDataFormat,
    String subscriptionType,
    boolean subscribeProxyEnabled,
    boolean publishProxyEnabled) {

  private static final Pattern NAME = Pattern.compile("^[-a-zA-Z0-9_.]{2,}$");

  /** Whether channels of this namespace keep history (both size and TTL set). */
  public boolean historyEnabled() {
    return historySize > 0 && historyTtl.toSeconds() > 0;
  }

  static ChannelOptions parse(JsonObject o, String key, String name, Duration globalMetaTtl,
                              String globalDataFormat) {
    ConfigValues v = new ConfigValues(o, key);
    if (name != null && !NAME.matcher(name).matches()) {
      throw new ConfigException(key + ".name", "must match " + NAME.pattern());
    }
    int historySize = v.integer("history_size", 0);
    Duration historyTtl = v.duration("history_ttl", Duration.ZERO);
    Duration metaTtl = v.duration("history_meta_ttl", globalMetaTtl);
    if (historySize < 0) throw new ConfigException(key + ".history_size", "must not be negative");
    if ((historySize > 0) != (historyTtl.compareTo(Duration.ZERO) > 0)) {
      throw new ConfigException(key, "both history size and history ttl required for history");
    }
    wholeSeconds(key + ".history_ttl", historyTtl);
    wholeSeconds(key + ".history_meta_ttl", metaTtl);
    if (metaTtl.compareTo(historyTtl) < 0) {
      throw new ConfigException(key + ".history_meta_ttl", "must not be less than history_ttl");
    }
    boolean forceRecovery = v.bool("force_recovery", false);
    if (forceRecovery && historySize == 0) throw new ConfigException(key + ".force_recovery", "requires history");
    String recoveryMode = oneOf(key + ".force_recovery_mode", v.string("force_recovery_mode", ""), "", "stream", "cache");
    List<String> deltas = v.strings("allowed_delta_types");
    for (String d : deltas) if (!d.equals("fossil")) throw new ConfigException(key + ".allowed_delta_types", "only fossil is allowed");
    String dataFormat = oneOf(key + ".publication_data_format", v.string("publication_data_format", globalDataFormat),
        "", "json", "json_object", "binary");
    String subType = oneOf(key + ".subscription_type", v.string("subscription_type", ""),
        "", "stream", "map", "map_clients", "map_users", "shared_poll");
    Pattern regex = null;
    String regexText = v.string("channel_regex", "");
    if (!regexText.isEmpty()) {
      try {
        regex = Pattern.compile(regexText);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key + ".channel_regex", "does not compile: " + e.getDescription());
      }
    }
    return new ChannelOptions(name == null ? "" : name,
        v.bool("presence", false), v.bool("join_leave", false), v.bool("force_push_join_leave", false),
        historySize, historyTtl, metaTtl,
        v.bool("force_positioning", false), v.bool("allow_positioning", false),
        forceRecovery, v.bool("allow_recovery", false), recoveryMode, deltas, v.bool("delta_publish", false),
        v.bool("allow_subscribe_for_client", false), v.bool("allow_subscribe_for_anonymous", false),
        v.bool("allow_publish_for_subscriber", false), v.bool("allow_publish_for_client", false),
        v.bool("allow_publish_for_anonymous", false),
        v.bool("allow_presence_for_subscriber", false), v.bool("allow_presence_for_client", false),
        v.bool("allow_presence_for_anonymous", false),
        v.bool("allow_history_for_subscriber", false), v.bool("allow_history_for_client", false),
        v.bool("allow_history_for_anonymous", false),
        v.bool("allow_user_limited_channels", false), regex, dataFormat, subType,
        v.bool("subscribe_proxy_enabled", false), v.bool("publish_proxy_enabled", false));
  }

  private static void wholeSeconds(String key, Duration d) {
    if (d.getNano() != 0) throw new ConfigException(key, "must be a whole number of seconds");
  }

  private static String oneOf(String key, String value, String... allowed) {
    for (String a : allowed) if (a.equals(value)) return value;
    throw new ConfigException(key, "must be one of " + String.join(", ", allowed).replaceFirst("^, ", "\"\", "));
  }
}
