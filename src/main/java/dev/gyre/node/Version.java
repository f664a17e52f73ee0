package dev.gyre.node;

/** The server version, as reported in connect replies, the info API and the version command. */
public final class Version {
  /** The version of Gyre itself, from the jar manifest when packaged. */
  public static final String GYRE;
  /** What clients and API callers see: the version and the edition, as Centrifugo reports it. */
  public static final String REPORTED;

  static {
    String v = Version.class.getPackage().getImplementationVersion();
    GYRE = v == null ? "0.1.0-dev" : v;
    REPORTED = GYRE + " OSS";
  }

  private Version() {}
}
