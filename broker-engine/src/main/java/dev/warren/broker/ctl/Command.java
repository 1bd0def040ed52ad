package dev.warren.broker.ctl;

import java.io.PrintStream;

/** One warrenctl command: reads its arguments, calls the management API, prints the outcome. */
@FunctionalInterface
interface Command {
  void run(CtlOptions options, ManagementClient api, Output out) throws CtlException;

  /** Standard output, with rabbitmqctl's informational lines left out under -q and -s. */
  record Output(PrintStream stream, boolean quiet) {
    void info(String line) {
      if (!quiet) {
        stream.println(line);
      }
    }

    void line(String line) {
      stream.println(line);
    }

    void text(String text) {
      stream.print(text);
    }
  }
}
