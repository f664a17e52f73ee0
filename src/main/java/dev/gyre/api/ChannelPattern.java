package dev.gyre.api;

import java.util.regex.Pattern;

/**
 * The channels method's pattern syntax (spec/server-api.md §6.11): {@code *} any run of
 * characters, {@code ?} one character, {@code [abc]} / {@code [a-z]} classes (and {@code [!a]}
 * negation), {@code {a,b}} alternatives. Throws {@link IllegalArgumentException} when invalid.
 */
final class ChannelPattern {
  private ChannelPattern() {}

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) throw new IllegalArgumentException("unclosed [");
          String cls = glob.substring(i + 1, end);
          if (cls.isEmpty()) throw new IllegalArgumentException("empty class");
          boolean negate = cls.startsWith("!");
          if (negate) cls = cls.substring(1);
          re.append('[').append(negate ? "^" : "").append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        case '{' -> {
          depth++;
          re.append("(?:");
        }
        case '}' -> {
          if (depth == 0) throw new IllegalArgumentException("unbalanced }");
          depth--;
          re.append(')');
        }
        case ',' -> re.append(depth > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 >= glob.length()) throw new IllegalArgumentException("dangling escape");
          re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (depth != 0) throw new IllegalArgumentException("unbalanced {");
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
