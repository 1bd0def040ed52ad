package dev.warren.broker.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A third-party AMQP client whose tutorial scripts the interop tests run as separate processes. */
enum TutorialClient {
  /**
   * Debian's python3-pika. The absolute interpreter is deliberate: another python3 earlier on the
   * PATH usually lacks the distribution's pika.
   */
  PIKA("python", ".py", List.of("/usr/bin/python3", "-u")) {
    @Override
    boolean isInstalled() {
      return succeeds(List.of("/usr/bin/python3", "-c", "import pika"));
    }

    @Override
    String installHint() {
      return "python3-pika is not importable by /usr/bin/python3 (./test.sh installs it)";
    }
  },

  /** Node's amqplib, installed by npm into the node test directory. */
  AMQPLIB("node", ".js", List.of("node")) {
    @Override
    boolean isInstalled() {
      return Files.isRegularFile(scriptDir().resolve("node_modules/amqplib/package.json"))
          && succeeds(List.of("node", "--version"));
    }

    @Override
    String installHint() {
      return "node or amqplib is missing (run npm install in src/test/node, or ./test.sh)";
    }
  };

  private static final long CHECK_SECONDS = 30;

  private final String directory;
  private final String extension;
  private final List<String> interpreter;

  TutorialClient(String directory, String extension, List<String> interpreter) {
    this.directory = directory;
    this.extension = extension;
    this.interpreter = interpreter;
  }

  abstract boolean isInstalled();

  abstract String installHint();

  /**
   * Skips the calling test when the client is missing on a developer machine, but fails it on CI
   * (environment variable {@code CI} set), where a silently skipped interop suite would hide a
   * broken set-up.
   */
  void requireInstalled() {
    require(name(), isInstalled(), installHint());
  }

  /** The same rule for any client the interop tests start as a process. */
  static void require(String client, boolean installed, String installHint) {
    if (installed) {
      return;
    }
    String message = client + " interop tests cannot run: " + installHint;
    if (System.getenv("CI") != null) {
      fail(message + " — failing because CI is set");
    }
    Assumptions.abort(message + " — skipped (set CI to make this a failure)");
  }

  Path scriptDir() {
    // Surefire runs tests in the module directory and also exposes it as "basedir".
    String moduleDir = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(moduleDir, "src", "test", directory);
  }

  List<String> command(String script, List<String> arguments) {
    List<String> command = new ArrayList<>(interpreter);
    command.add(script + extension);
    command.addAll(arguments);
    return command;
  }

  static boolean succeeds(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
