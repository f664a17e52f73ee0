package dev.gyre.auth;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Channel capabilities from a connection token's {@code caps} claim (a Centrifugo PRO feature
 * that Gyre supports): {@code [{"channels":["news"],"allow":["sub","pub","prs","hst"],"match":""}]}.
 * Objects are tried in order; the first whose channels match decides, and no match grants
 * nothing. {@code match} is "" (exact), "wildcard" ({@code *} any run) or "regex".
 */
public record Capabilities(List<Entry> entries) {
  public static final Capabilities NONE = new Capabilities(List.of());

  public record Entry(List<Pattern> channels, Set<String> allow) {}

  /** Whether the capability (sub, pub, prs, hst) is granted for the channel. */
  public boolean allows(String channel, String capability) {
    for (Entry e : entries) {
      for (Pattern p : e.channels()) {
        if (p.matcher(channel).matches()) return e.allow().contains(capability);
      }
    }
    return false;
  }

  static Pattern pattern(String channel, String match) {
    return switch (match) {
      case "", "exact" -> Pattern.compile(Pattern.quote(channel));
      case "wildcard" -> {
        String[] parts = channel.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
          if (i > 0) re.append(".*");
          re.append(Pattern.quote(parts[i]));
        }
        yield Pattern.compile(re.toString(), Pattern.DOTALL);
      }
      case "regex" -> Pattern.compile(channel);
      default -> throw new IllegalArgumentException("unknown match " + match);
    };
  }
}
