package dev.gyre.channel;

import dev.gyre.config.ChannelOptions;
import dev.gyre.config.GyreConfig;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolException;
import dev.gyre.protocol.json.RawJson;

import java.util.Arrays;

/**
 * Channel naming and permission rules in one place (spec/config.md §8, spec/client-protocol.md
 * §5.1–5.2, §7). Default-deny: a client may do only what a namespace option, a token or insecure
 * mode allows. Stateless and thread-safe.
 */
public final class ChannelRules {
  private final GyreConfig.Channels cfg;
  private final boolean insecure;

  public ChannelRules(GyreConfig config) {
    this.cfg = config.channel();
    this.insecure = config.client().insecure();
  }

  /** The options of the channel's namespace; throws 102 when the namespace is not configured. */
  public ChannelOptions options(String channel) {
    String name = namespaceOf(channel);
    ChannelOptions o = name.isEmpty() ? cfg.withoutNamespace() : cfg.namespaces().get(name);
    if (o == null) throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL);
    return o;
  }

  /** The namespace name: text before the first boundary after stripping the private prefix. */
  public String namespaceOf(String channel) {
    String rest = stripPrivate(channel);
    int i = rest.indexOf(cfg.namespaceBoundary());
    return i < 0 ? "" : rest.substring(0, i);
  }

  public boolean isPrivate(String channel) {
    return !cfg.privatePrefix().isEmpty() && channel.startsWith(cfg.privatePrefix());
  }

  /** Name checks for client-side subscribe: length, ASCII or the namespace regex; 107 otherwise. */
  public void validateForSubscribe(String channel, ChannelOptions o) {
    if (utf8Length(channel) > cfg.maxLength()) throw new ProtocolException(ErrorCode.BAD_REQUEST);
    if (o.channelRegex() != null) {
      String rest = stripPrivate(channel);
      int i = rest.indexOf(cfg.namespaceBoundary());
      String local = o.name().isEmpty() || i < 0 ? channel : rest.substring(i + cfg.namespaceBoundary().length());
      if (!o.channelRegex().matcher(local).matches()) throw new ProtocolException(ErrorCode.BAD_REQUEST);
    } else {
      for (int i = 0; i < channel.length(); i++) {
        if (channel.charAt(i) > 127) throw new ProtocolException(ErrorCode.BAD_REQUEST);
      }
    }
  }

  /** Whether the channel is user-limited in this namespace and lists the user after the last boundary. */
  public boolean userLimitedAllows(String channel, ChannelOptions o, String user) {
    if (!isUserLimited(channel, o) || user.isEmpty()) return false;
    String users = channel.substring(channel.lastIndexOf(cfg.userBoundary()) + cfg.userBoundary().length());
    return Arrays.asList(users.split(java.util.regex.Pattern.quote(cfg.userSeparator()), -1)).contains(user);
  }

  public boolean isUserLimited(String channel, ChannelOptions o) {
    return o.allowUserLimitedChannels() && !cfg.userBoundary().isEmpty() && channel.contains(cfg.userBoundary());
  }

  /** Subscribe without a token (§5.2 steps 3, 6, 7). */
  public boolean maySubscribeWithoutToken(String channel, ChannelOptions o, String user) {
    if (userLimitedAllows(channel, o, user)) return true;
    if (o.allowSubscribeForClient() && (!user.isEmpty() || o.allowSubscribeForAnonymous())
        && !isUserLimited(channel, o)) {
      return true;
    }
    return insecure;
  }

  public boolean mayPublish(ChannelOptions o, String user, boolean subscribed) {
    boolean anonOk = !user.isEmpty() || o.allowPublishForAnonymous();
    return (o.allowPublishForClient() && anonOk) || (o.allowPublishForSubscriber() && subscribed && anonOk) || insecure;
  }

  public boolean mayPresence(ChannelOptions o, String user, boolean subscribed) {
    boolean anonOk = !user.isEmpty() || o.allowPresenceForAnonymous();
    return (o.allowPresenceForClient() && anonOk) || (o.allowPresenceForSubscriber() && subscribed && anonOk) || insecure;
  }

  public boolean mayHistory(ChannelOptions o, String user, boolean subscribed) {
    boolean anonOk = !user.isEmpty() || o.allowHistoryForAnonymous();
    return (o.allowHistoryForClient() && anonOk) || (o.allowHistoryForSubscriber() && subscribed && anonOk) || insecure;
  }

  /** The length in UTF-8 bytes: channel.max_length counts bytes (spec/config.md §8.1). */
  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  /** The namespace's {@code publication_data_format} check: "" needs a non-empty payload. */
  public static boolean payloadAllowed(ChannelOptions o, byte[] data) {
    return switch (o.publicationDataFormat()) {
      case "binary" -> true;
      case "json" -> RawJson.isValid(data);
      case "json_object" -> RawJson.isObject(data);
      default -> data != null && data.length > 0;
    };
  }

  private String stripPrivate(String channel) {
    return isPrivate(channel) ? channel.substring(cfg.privatePrefix().length()) : channel;
  }
}
