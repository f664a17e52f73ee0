package dev.gyre.history;

import java.security.SecureRandom;

/** New stream epochs: 8 random ASCII letters, as Centrifugo's engines make them. */
public final class Epochs {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private Epochs() {}

  public static String next() {
    char[] c = new char[8];
    for (int i = 0; i < c.length; i++) c[i] = LETTERS.charAt(RANDOM.nextInt(LETTERS.length()));
    return new String(c);
  }
}
