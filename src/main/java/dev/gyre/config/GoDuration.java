package dev.gyre.config;

import java.time.Duration;

/**
 * Parses Go duration strings ("300s", "1h30m", "1.5s", "-1s", "0"), the syntax Centrifugo uses
 * for every duration key (spec/config.md §4). There is no "d" unit.
 */
public final class GoDuration {
  private GoDuration() {}

  public static Duration parse(String s) {
    if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty duration");
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) return Duration.ZERO;
    if (i == s.length()) throw invalid(s);
    double totalNanos = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      if (start == i) throw invalid(s);
      String number = s.substring(start, i);
      if (number.equals(".") || number.chars().filter(c -> c == '.').count() > 1) throw invalid(s);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
      String unit = s.substring(unitStart, i);
      double scale = switch (unit) {
        case "ns" -> 1;
        case "us", "µs", "μs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        default -> throw invalid(s);
      };
      totalNanos += Double.parseDouble(number) * scale;
    }
    if (totalNanos > Long.MAX_VALUE) throw invalid(s);
    long nanos = Math.round(totalNanos);
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /** Formats a duration the way Go prints it, e.g. 168h0m0s. */
  public static String format(Duration d) {
    long secs = d.getSeconds();
    if (secs == 0 && d.getNano() == 0) return "0s";
    StringBuilder sb = new StringBuilder();
    if (secs < 0) {
      sb.append('-');
      secs = -secs;
    }
    long h = secs / 3600, m = (secs % 3600) / 60, s = secs % 60;
    if (h > 0) sb.append(h).append('h').append(m).append('m');
    else if (m > 0) sb.append(m).append('m');
    sb.append(s).append('s');
    return sb.toString();
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("invalid duration \"" + s + "\"");
  }
}
