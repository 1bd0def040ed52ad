package dev.warren.broker.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Commands that change this machine (mounts, network namespaces, packet filters) for a test, and
 * the rule for when they are not possible: without root the test is skipped; with root, a command
 * that fails skips it on a developer machine and fails it on CI (environment variable {@code CI}
 * set), where the tests run as root.
 */
public final class HostCommands {
  private HostCommands() {}

  /** Skips the test unless this process runs as root. */
  public static void requireRoot(String what) throws IOException, InterruptedException {
    if (!isRoot()) {
      Assumptions.abort(what + " needs root: skipped");
    }
  }

  /** Whether this process runs as root. */
  public static boolean isRoot() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return id.waitFor() == 0 && uid.equals("0");
  }

  /** Skips the test, or fails it on CI. */
  public static void skipOrFail(String message) {
    if (System.getenv("CI") != null) {
      fail(message + " — failing because CI is set");
    }
    Assumptions.abort(message + " — skipped (set CI to make this a failure)");
  }

  /** Runs a command; returns null on success, else what it printed. */
  public static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " timed out";
    }
    return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output.trim();
  }
}
