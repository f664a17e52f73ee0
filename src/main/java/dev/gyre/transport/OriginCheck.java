package dev.gyre.transport;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code allowed_origins} rule (spec/config.md §2.3): a request without an Origin header
 * always passes; with an empty list any Origin is refused; patterns are globs ({@code *} matches
 * any run) compared with the lower-cased Origin; {@code *} alone allows all.
 */
public final class OriginCheck {
  private final List<Pattern> patterns;
  private final boolean allowAll;

  public OriginCheck(List<String> allowedOrigins) {
    this.allowAll = allowedOrigins.contains("*");
    this.patterns = allowedOrigins.stream().map(OriginCheck::glob).toList();
  }

  public boolean allowed(String origin) {
    if (origin == null || origin.isEmpty()) return true;
    if (allowAll) return true;
    String o = origin.toLowerCase(Locale.ROOT);
    for (Pattern p : patterns) if (p.matcher(o).matches()) return true;
    return false;
  }

  private static Pattern glob(String g) {
    String[] parts = g.toLowerCase(Locale.ROOT).split("\\*", -1);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) re.append(".*");
      re.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(re.toString());
  }
}
