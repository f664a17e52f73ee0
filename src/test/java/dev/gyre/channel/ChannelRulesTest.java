package dev.gyre.channel;

import dev.gyre.config.ChannelOptions;
import dev.gyre.config.GyreConfig;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChannelRulesTest {

  static final String CONFIG = """
      {
        "channel": {
          "without_namespace": {"presence": true},
          "namespaces": [
            {"name": "chat", "allow_subscribe_for_client": true},
            {"name": "dialog", "allow_user_limited_channels": true},
            {"name": "limited", "allow_user_limited_channels": true, "allow_subscribe_for_client": true},
            {"name": "re", "channel_regex": "^[a-z]+$"},
            {"name": "any", "channel_regex": "^.*$"},
            {"name": "closed"},
            {"name": "pub_client", "allow_publish_for_client": true},
            {"name": "pub_client_anon", "allow_publish_for_client": true, "allow_publish_for_anonymous": true},
            {"name": "pub_sub", "allow_publish_for_subscriber": true},
            {"name": "pub_sub_anon", "allow_publish_for_subscriber": true, "allow_publish_for_anonymous": true},
            {"name": "prs_client", "presence": true, "allow_presence_for_client": true},
            {"name": "prs_client_anon", "presence": true, "allow_presence_for_client": true,
             "allow_presence_for_anonymous": true},
            {"name": "prs_sub", "presence": true, "allow_presence_for_subscriber": true},
            {"name": "prs_sub_anon", "presence": true, "allow_presence_for_subscriber": true,
             "allow_presence_for_anonymous": true},
            {"name": "hst_client", "history_size": 10, "history_ttl": "60s", "allow_history_for_client": true},
            {"name": "hst_client_anon", "history_size": 10, "history_ttl": "60s", "allow_history_for_client": true,
             "allow_history_for_anonymous": true},
            {"name": "hst_sub", "history_size": 10, "history_ttl": "60s", "allow_history_for_subscriber": true},
            {"name": "hst_sub_anon", "history_size": 10, "history_ttl": "60s", "allow_history_for_subscriber": true,
             "allow_history_for_anonymous": true},
            {"name": "sub_anon", "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
            {"name": "anon_only", "allow_subscribe_for_anonymous": true}
          ]
        }
      }
      """;

  static GyreConfig config(String json) {
    return GyreConfig.from(new JsonObject(json));
  }

  final GyreConfig config = config(CONFIG);
  final ChannelRules rules = new ChannelRules(config);

  static ErrorCode errorOf(Runnable r) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, r::run);
    assertThat(e).as("expected a ProtocolException").isNotNull();
    return e.error();
  }

  // ---------------------------------------------------------------- namespaces

  @Test
  void namespaceIsTextBeforeFirstBoundaryAfterPrivatePrefix() {
    assertThat(rules.namespaceOf("chat:index")).isEqualTo("chat");
    assertThat(rules.namespaceOf("$chat:secret")).isEqualTo("chat");
    assertThat(rules.namespaceOf("chat:a:b")).isEqualTo("chat");
    assertThat(rules.namespaceOf("chat:")).isEqualTo("chat");
    assertThat(rules.namespaceOf("dialog:#42,43")).isEqualTo("dialog");
    assertThat(rules.namespaceOf("news")).isEmpty();
    assertThat(rules.namespaceOf("$news")).isEmpty();
    assertThat(rules.namespaceOf("dialog#42")).isEmpty();
    assertThat(rules.namespaceOf(":x")).isEmpty();
    // Only one leading private prefix is stripped.
    assertThat(rules.namespaceOf("$$chat:x")).isEqualTo("$chat");
  }

  @Test
  void optionsResolveToNamespaceOrTopLevel() {
    assertThat(rules.options("chat:index").name()).isEqualTo("chat");
    assertThat(rules.options("chat:index")).isSameAs(config.namespace("chat"));
    assertThat(rules.options("$chat:secret")).isSameAs(config.namespace("chat"));
    assertThat(rules.options("news")).isSameAs(config.channel().withoutNamespace());
    assertThat(rules.options("news").presence()).isTrue();
    assertThat(rules.options("$news")).isSameAs(config.channel().withoutNamespace());
    // An empty namespace part means the top level, as in Centrifugo.
    assertThat(rules.options(":x")).isSameAs(config.channel().withoutNamespace());
  }

  @Test
  void unknownNamespaceIsUnknownChannel() {
    assertThat(errorOf(() -> rules.options("nope:x"))).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
    assertThat(errorOf(() -> rules.options("$nope:x"))).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
    assertThat(errorOf(() -> rules.options("Chat:x"))).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
    assertThat(ErrorCode.UNKNOWN_CHANNEL.code()).isEqualTo(102);
  }

  @Test
  void customBoundariesAndPrefix() {
    ChannelRules r = new ChannelRules(config("""
        {"channel": {"namespace_boundary": "/", "private_prefix": "!", "user_boundary": "@", "user_separator": ";",
                     "namespaces": [{"name": "room", "allow_user_limited_channels": true}]}}
        """));
    assertThat(r.namespaceOf("room/x")).isEqualTo("room");
    assertThat(r.namespaceOf("!room/x")).isEqualTo("room");
    assertThat(r.namespaceOf("room:x")).isEmpty();
    assertThat(r.isPrivate("!room/x")).isTrue();
    assertThat(r.isPrivate("$room/x")).isFalse();
    ChannelOptions room = r.options("room/x");
    assertThat(r.userLimitedAllows("room/@a;b", room, "b")).isTrue();
    assertThat(r.userLimitedAllows("room/@a;b", room, "c")).isFalse();
    assertThat(r.userLimitedAllows("room/#a,b", room, "a")).isFalse();
  }

  // ---------------------------------------------------------------- private and user-limited

  @Test
  void privateChannels() {
    assertThat(rules.isPrivate("$chat:secret")).isTrue();
    assertThat(rules.isPrivate("$news")).isTrue();
    assertThat(rules.isPrivate("chat:$secret")).isFalse();
    assertThat(rules.isPrivate("news")).isFalse();
  }

  @Test
  void userLimitedChannelAllowsListedUsersOnly() {
    ChannelOptions dialog = rules.options("dialog:#42,43");
    assertThat(rules.isUserLimited("dialog:#42,43", dialog)).isTrue();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "42")).isTrue();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "43")).isTrue();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "44")).isFalse();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "4")).isFalse();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "42,43")).isFalse();
    assertThat(rules.userLimitedAllows("dialog:#42,43", dialog, "")).isFalse();
    assertThat(rules.maySubscribeWithoutToken("dialog:#42,43", dialog, "42")).isTrue();
    assertThat(rules.maySubscribeWithoutToken("dialog:#42,43", dialog, "43")).isTrue();
    assertThat(rules.maySubscribeWithoutToken("dialog:#42,43", dialog, "44")).isFalse();
    assertThat(rules.maySubscribeWithoutToken("dialog:#42,43", dialog, "")).isFalse();
  }

  @Test
  void userListIsAfterTheLastBoundary() {
    ChannelOptions dialog = rules.options("dialog:a#b#42");
    assertThat(rules.userLimitedAllows("dialog:a#b#42", dialog, "42")).isTrue();
    assertThat(rules.userLimitedAllows("dialog:a#b#42", dialog, "b")).isFalse();
    assertThat(rules.userLimitedAllows("dialog:#42", dialog, "42")).isTrue();
  }

  @Test
  void userLimitedNeedsTheNamespaceOption() {
    ChannelOptions chat = rules.options("chat:#42");
    assertThat(rules.isUserLimited("chat:#42", chat)).isFalse();
    assertThat(rules.userLimitedAllows("chat:#42", chat, "42")).isFalse();
    ChannelOptions closed = rules.options("closed:#42");
    assertThat(rules.maySubscribeWithoutToken("closed:#42", closed, "42")).isFalse();
    // A channel without '#' is not user-limited even when the option is on.
    ChannelOptions dialog = rules.options("dialog:plain");
    assertThat(rules.isUserLimited("dialog:plain", dialog)).isFalse();
    assertThat(rules.maySubscribeWithoutToken("dialog:plain", dialog, "42")).isFalse();
  }

  @Test
  void userLimitedChannelIsNotOpenedByAllowSubscribeForClient() {
    ChannelOptions limited = rules.options("limited:#1,2");
    assertThat(rules.maySubscribeWithoutToken("limited:#1,2", limited, "1")).isTrue();
    assertThat(rules.maySubscribeWithoutToken("limited:#1,2", limited, "3")).isFalse();
    assertThat(rules.maySubscribeWithoutToken("limited:open", limited, "3")).isTrue();
  }

  // ---------------------------------------------------------------- name validation

  @Test
  void maxLengthIs255() {
    ChannelOptions top = rules.options("x");
    String ok = "a".repeat(255);
    String tooLong = "a".repeat(256);
    assertThatCode(() -> rules.validateForSubscribe(ok, top)).doesNotThrowAnyException();
    assertThat(errorOf(() -> rules.validateForSubscribe(tooLong, top))).isEqualTo(ErrorCode.BAD_REQUEST);
    ChannelOptions chat = rules.options("chat:x");
    String chatTooLong = "chat:" + "a".repeat(251);
    assertThat(errorOf(() -> rules.validateForSubscribe(chatTooLong, chat))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(ErrorCode.BAD_REQUEST.code()).isEqualTo(107);
  }

  @Test
  void maxLengthIsCountedInBytes() {
    // spec/config.md §8.1: channel.max_length = 255 bytes. 128 two-byte characters = 256 bytes.
    ChannelOptions any = rules.options("any:x");
    String channel = "any:" + "é".repeat(126); // 4 + 252 = 256 bytes, 130 chars
    assertThat(errorOf(() -> rules.validateForSubscribe(channel, any))).isEqualTo(ErrorCode.BAD_REQUEST);
    String fits = "any:" + "é".repeat(125); // 254 bytes
    assertThatCode(() -> rules.validateForSubscribe(fits, any)).doesNotThrowAnyException();
  }

  @Test
  void configuredMaxLength() {
    ChannelRules r = new ChannelRules(config("{\"channel\": {\"max_length\": 10}}"));
    ChannelOptions top = r.options("x");
    assertThatCode(() -> r.validateForSubscribe("a".repeat(10), top)).doesNotThrowAnyException();
    assertThat(errorOf(() -> r.validateForSubscribe("a".repeat(11), top))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void nonAsciiRejectedWithoutRegex() {
    assertThat(errorOf(() -> rules.validateForSubscribe("chat:café", rules.options("chat:café"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> rules.validateForSubscribe("новости", rules.options("новости"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> rules.validateForSubscribe("emoji\uD83D\uDE00", rules.options("x"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThatCode(() -> rules.validateForSubscribe("chat:cafe-~!@%^&*()", rules.options("chat:x")))
        .doesNotThrowAnyException();
    assertThatCode(() -> rules.validateForSubscribe("\u007f", rules.options("x"))).doesNotThrowAnyException();
  }

  @Test
  void channelRegexAppliesToThePartAfterTheNamespace() {
    ChannelOptions re = rules.options("re:abc");
    assertThatCode(() -> rules.validateForSubscribe("re:abc", re)).doesNotThrowAnyException();
    assertThatCode(() -> rules.validateForSubscribe("$re:abc", re)).doesNotThrowAnyException();
    assertThat(errorOf(() -> rules.validateForSubscribe("re:ABC", re))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> rules.validateForSubscribe("re:a1", re))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> rules.validateForSubscribe("re:", re))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> rules.validateForSubscribe("re:a:b", re))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void channelRegexReplacesTheAsciiCheck() {
    ChannelOptions any = rules.options("any:x");
    assertThatCode(() -> rules.validateForSubscribe("any:café", any)).doesNotThrowAnyException();
    assertThatCode(() -> rules.validateForSubscribe("any:новости", any)).doesNotThrowAnyException();
  }

  @Test
  void topLevelRegexAppliesToTheWholeChannel() {
    ChannelRules r = new ChannelRules(config("""
        {"channel": {"without_namespace": {"channel_regex": "^news-[0-9]+$"}}}
        """));
    ChannelOptions top = r.options("news-1");
    assertThatCode(() -> r.validateForSubscribe("news-1", top)).doesNotThrowAnyException();
    assertThat(errorOf(() -> r.validateForSubscribe("news-x", top))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(errorOf(() -> r.validateForSubscribe("sport-1", top))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  // ---------------------------------------------------------------- subscribe permission

  @Test
  void allowSubscribeForClient() {
    ChannelOptions chat = rules.options("chat:x");
    assertThat(rules.maySubscribeWithoutToken("chat:x", chat, "user")).isTrue();
    assertThat(rules.maySubscribeWithoutToken("chat:x", chat, "")).isFalse();
  }

  @Test
  void allowSubscribeForAnonymousTogetherWithClient() {
    ChannelOptions subAnon = rules.options("sub_anon:x");
    assertThat(rules.maySubscribeWithoutToken("sub_anon:x", subAnon, "")).isTrue();
    assertThat(rules.maySubscribeWithoutToken("sub_anon:x", subAnon, "user")).isTrue();
    // The anonymous flag alone grants nothing.
    ChannelOptions anonOnly = rules.options("anon_only:x");
    assertThat(rules.maySubscribeWithoutToken("anon_only:x", anonOnly, "")).isFalse();
    assertThat(rules.maySubscribeWithoutToken("anon_only:x", anonOnly, "user")).isFalse();
  }

  @Test
  void defaultDeniesEverything() {
    ChannelOptions closed = rules.options("closed:x");
    for (String user : new String[] {"", "user"}) {
      for (boolean subscribed : new boolean[] {false, true}) {
        assertThat(rules.maySubscribeWithoutToken("closed:x", closed, user)).isFalse();
        assertThat(rules.mayPublish(closed, user, subscribed)).isFalse();
        assertThat(rules.mayPresence(closed, user, subscribed)).isFalse();
        assertThat(rules.mayHistory(closed, user, subscribed)).isFalse();
      }
    }
  }

  // ---------------------------------------------------------------- publish / presence / history

  interface Check {
    boolean may(ChannelRules r, ChannelOptions o, String user, boolean subscribed);
  }

  private void assertPermissionFamily(String prefix, Check check) {
    ChannelOptions client = rules.options(prefix + "_client:x");
    assertThat(check.may(rules, client, "u", false)).as(prefix + " client, user").isTrue();
    assertThat(check.may(rules, client, "u", true)).isTrue();
    assertThat(check.may(rules, client, "", false)).as(prefix + " client, anonymous").isFalse();
    assertThat(check.may(rules, client, "", true)).isFalse();

    ChannelOptions clientAnon = rules.options(prefix + "_client_anon:x");
    assertThat(check.may(rules, clientAnon, "", false)).as(prefix + " client+anon, anonymous").isTrue();
    assertThat(check.may(rules, clientAnon, "u", false)).isTrue();

    ChannelOptions sub = rules.options(prefix + "_sub:x");
    assertThat(check.may(rules, sub, "u", true)).as(prefix + " subscriber, subscribed user").isTrue();
    assertThat(check.may(rules, sub, "u", false)).as(prefix + " subscriber, not subscribed").isFalse();
    assertThat(check.may(rules, sub, "", true)).as(prefix + " subscriber, subscribed anonymous").isFalse();

    ChannelOptions subAnon = rules.options(prefix + "_sub_anon:x");
    assertThat(check.may(rules, subAnon, "", true)).as(prefix + " subscriber+anon, subscribed anonymous").isTrue();
    assertThat(check.may(rules, subAnon, "", false)).isFalse();
    assertThat(check.may(rules, subAnon, "u", false)).isFalse();
  }

  @Test
  void publishPermissions() {
    assertPermissionFamily("pub", ChannelRules::mayPublish);
  }

  @Test
  void presencePermissions() {
    assertPermissionFamily("prs", ChannelRules::mayPresence);
  }

  @Test
  void historyPermissions() {
    assertPermissionFamily("hst", ChannelRules::mayHistory);
  }

  @Test
  void permissionFamiliesAreIndependent() {
    ChannelOptions pub = rules.options("pub_client:x");
    assertThat(rules.mayPresence(pub, "u", true)).isFalse();
    assertThat(rules.mayHistory(pub, "u", true)).isFalse();
    assertThat(rules.maySubscribeWithoutToken("pub_client:x", pub, "u")).isFalse();
    ChannelOptions hst = rules.options("hst_client:x");
    assertThat(rules.mayPublish(hst, "u", true)).isFalse();
    ChannelOptions chat = rules.options("chat:x");
    assertThat(rules.mayPublish(chat, "u", true)).isFalse();
  }

  @Test
  void anonymousFlagAloneGrantsNothing() {
    ChannelRules r = new ChannelRules(config("""
        {"channel": {"namespaces": [{"name": "ns", "presence": true, "allow_publish_for_anonymous": true,
          "allow_presence_for_anonymous": true, "allow_history_for_anonymous": true}]}}
        """));
    ChannelOptions ns = r.options("ns:x");
    assertThat(r.mayPublish(ns, "", true)).isFalse();
    assertThat(r.mayPresence(ns, "", true)).isFalse();
    assertThat(r.mayHistory(ns, "", true)).isFalse();
    assertThat(r.mayPublish(ns, "u", true)).isFalse();
  }

  // ---------------------------------------------------------------- insecure

  @Test
  void insecureModeAllowsEverything() {
    ChannelRules r = new ChannelRules(config("""
        {"client": {"insecure": true}, "channel": {"namespaces": [{"name": "closed"}]}}
        """));
    ChannelOptions closed = r.options("closed:x");
    ChannelOptions top = r.options("news");
    for (String user : new String[] {"", "u"}) {
      for (boolean subscribed : new boolean[] {false, true}) {
        assertThat(r.mayPublish(closed, user, subscribed)).isTrue();
        assertThat(r.mayPresence(closed, user, subscribed)).isTrue();
        assertThat(r.mayHistory(closed, user, subscribed)).isTrue();
        assertThat(r.mayPublish(top, user, subscribed)).isTrue();
      }
      assertThat(r.maySubscribeWithoutToken("closed:x", closed, user)).isTrue();
      assertThat(r.maySubscribeWithoutToken("news", top, user)).isTrue();
    }
    // Insecure mode does not invent namespaces.
    assertThat(errorOf(() -> r.options("missing:x"))).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
  }

  @Test
  void secureModeIsTheDefault() {
    assertThat(rules.maySubscribeWithoutToken("news", rules.options("news"), "u")).isFalse();
    assertThat(rules.mayPublish(rules.options("news"), "u", true)).isFalse();
  }
}
