package dev.warren.broker.ctl;

/**
 * A command that failed: the text for stderr and the exit code, which follow rabbitmqctl's (the BSD
 * sysexits values: 64 usage, 65 bad data, 67 no such user, 69 unavailable, 70 internal, 77 no
 * permission).
 */
final class CtlException extends Exception {
  static final int USAGE = 64;
  static final int DATA_ERROR = 65;
  static final int NO_USER = 67;
  static final int UNAVAILABLE = 69;
  static final int SOFTWARE = 70;
  static final int NO_PERMISSION = 77;

  private final int exitCode;

  CtlException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** rabbitmqctl's form for a command that ran and failed: "Error:" on a line of its own. */
  static CtlException failed(int exitCode, String reason) {
    return new CtlException(exitCode, "Error:\n" + reason);
  }

  static CtlException usage(String reason) {
    return new CtlException(USAGE, "Error (argument validation): " + reason);
  }
}
