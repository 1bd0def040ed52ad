package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code rabbitmqadmin} (RabbitMQ 3.10.8's Python client of the management API), run
 * unchanged as a child process against one management port.
 */
final class Rabbitmqadmin {
  private static final Path COMMAND = Path.of("/usr/bin/rabbitmqadmin");

  private final int port;
  private final String user;
  private final String password;

  Rabbitmqadmin(int port, String user, String password) {
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** Skips the test on a developer machine without it; fails it on CI (CI set). */
  static void requireInstalled() {
    if (Files.isExecutable(COMMAND)) {
      return;
    }
    String message =
        COMMAND + " is missing (Debian's rabbitmq-server has it; ./test.sh installs it)";
    if (System.getenv("CI") != null) {
      fail(message);
    }
    Assumptions.abort(message);
  }

  /** What a run printed, and how it ended. */
  record Result(int exitCode, String out, String err) {
    Result succeeded() {
      if (exitCode != 0) {
        fail("rabbitmqadmin failed with " + exitCode + ":\n" + err + out);
      }
      return this;
    }
  }

  /** Runs it with these arguments after the connection options; fails after a minute. */
  Result run(String... arguments) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            COMMAND.toString(),
            "-H",
            "127.0.0.1",
            "-P",
            String.valueOf(port),
            "-u",
            user,
            "-p",
            password));
    command.addAll(List.of(arguments));
    try {
      Path out = Files.createTempFile("rabbitmqadmin-", ".out");
      Path err = Files.createTempFile("rabbitmqadmin-", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          fail("rabbitmqadmin " + String.join(" ", arguments) + " did not finish in a minute");
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A tab-separated listing's rows (the {@code -f tsv -q} format), each split into columns. */
  List<List<String>> rows(String... arguments) {
    List<String> all = new ArrayList<>(List.of("-f", "tsv", "-q"));
    all.addAll(List.of(arguments));
    List<List<String>> rows = new ArrayList<>();
    for (String line : run(all.toArray(String[]::new)).succeeded().out().split("\n")) {
      if (!line.isEmpty()) {
        rows.add(List.of(line.split("\t", -1)));
      }
    }
    return rows;
  }
}
