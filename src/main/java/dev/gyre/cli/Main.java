package dev.gyre.cli;

import dev.gyre.bench.BenchCommand;
import dev.gyre.config.ConfigException;

import java.io.PrintStream;

/**
 * The gyre command: {@code serve} (the default), {@code version}, {@code genconfig},
 * {@code checkconfig}, {@code gentoken}, {@code gensubtoken}, {@code checktoken},
 * {@code checksubtoken} — the same commands, flags and output as Centrifugo's CLI
 * (spec/config.md §6). Errors print one line and exit 1.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    int code = run(argv, System.out, System.err);
    if (code >= 0) System.exit(code);
  }

  /** Runs a command; returns the exit code, or -1 when a server keeps running. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    if (argv.length > 0 && argv[0].equals("bench")) {
      return BenchCommand.run(java.util.Arrays.copyOfRange(argv, 1, argv.length), out, err);
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    Commands c = new Commands(args, out, err, System.getenv());
    try {
      return switch (args.command) {
        case "serve" -> c.serve();
        case "version" -> c.version();
        case "genconfig" -> c.genconfig();
        case "checkconfig" -> c.checkconfig();
        case "gentoken" -> c.gentoken(false);
        case "gensubtoken" -> c.gentoken(true);
        case "checktoken" -> c.checktoken(false);
        case "checksubtoken" -> c.checktoken(true);
        case "help" -> c.help();
        default -> {
          err.println("error: unknown command \"" + args.command + "\" (try: gyre help)");
          yield 1;
        }
      };
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
