package dev.warren.broker.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import dev.warren.broker.testsupport.RabbitMqNode.CtlResult;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code rabbitmqctl} for tests that run many commands: one Erlang VM runs them one after another
 * (the Erlang module {@code warren_ctl_session}), each through the CLI's own entry point, so a
 * command prints what the script prints and exits with its code, in a tenth of a second instead of
 * the two seconds that starting the script's VM takes on a loaded machine. Commands that read
 * standard input, or that stop the node or the CLI's VM, are for {@link
 * RabbitMqNode#rabbitmqctlResult} instead. Not thread-safe: one command at a time.
 */
public final class RabbitmqctlSession implements AutoCloseable {
  private static final String MODULE = "warren_ctl_session";
  private static final long COMMAND_TIMEOUT_SECONDS = 60;
  private static final Pattern ANSWER_HEADER = Pattern.compile("\\d+ \\d+ \\d+");

  private final String nodeName;
  private final Process process;
  private final OutputStream requests;
  private final InputStream answers;
  private final ExecutorService reader;
  private final Path log;

  private RabbitmqctlSession(String nodeName, Process process, Path log) {
    this.nodeName = nodeName;
    this.process = process;
    this.requests = process.getOutputStream();
    this.answers = new BufferedInputStream(process.getInputStream());
    this.reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "rabbitmqctl-session"));
    this.log = log;
  }

  /**
   * Compiles the session module into {@code dir} and starts its VM with the node's environment,
   * through rabbitmq-env as the rabbitmqctl script runs the CLI.
   */
  static RabbitmqctlSession start(
      Path scriptsDir, Path dir, Map<String, String> environment, String nodeName) {
    try {
      Path source = dir.resolve(MODULE + ".erl");
      try (InputStream in = RabbitmqctlSession.class.getResourceAsStream(MODULE + ".erl")) {
        Files.copy(in, source);
      }
      Process erlc =
          new ProcessBuilder("erlc", "-o", dir.toString(), source.toString())
              .redirectErrorStream(true)
              .start();
      String compilerOutput =
          new String(erlc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (erlc.waitFor() != 0) {
        fail("erlc " + source + " failed:\n" + compilerOutput);
      }
      Path log = dir.resolve(MODULE + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  "set -e; set -a; . \"$RABBITMQ_SCRIPTS_DIR/rabbitmq-env\";"
                      + " run_escript "
                      + MODULE
                      + " \"$ESCRIPT_DIR/rabbitmqctl\"")
              .redirectError(log.toFile());
      builder.environment().putAll(environment);
      // the scripts' real directory: rabbitmq-env finds the CLI's escripts relative to it
      builder.environment().put("RABBITMQ_SCRIPTS_DIR", scriptsDir.toString());
      builder.environment().put("RABBITMQ_CTL_ERL_ARGS", "-pa " + dir);
      return new RabbitmqctlSession(nodeName, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a rabbitmqctl session", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted compiling the rabbitmqctl session", e);
    }
  }

  /**
   * Runs {@code rabbitmqctl -n <node> arguments...} and returns what it printed on stdout.
   *
   * @throws AssertionError if it exits with a code other than 0
   */
  public String rabbitmqctl(String... arguments) {
    CtlResult result = run(arguments);
    if (result.exitCode() != 0) {
      fail(
          "rabbitmqctl "
              + String.join(" ", arguments)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.err()
              + result.out());
    }
    return result.out();
  }

  /** Runs {@code rabbitmqctl -n <node> arguments...}, whatever its exit code. */
  public CtlResult run(String... arguments) {
    List<String> all = new ArrayList<>(List.of("-n", nodeName));
    all.addAll(List.of(arguments));
    StringBuilder request = new StringBuilder();
    for (String argument : all) {
      request
          .append(Base64.getEncoder().encodeToString(argument.getBytes(StandardCharsets.UTF_8)))
          .append(' ');
    }
    request.setCharAt(request.length() - 1, '\n');
    Future<CtlResult> answer;
    try {
      requests.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      answer = reader.submit(this::readAnswer);
      return answer.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IOException | ExecutionException e) {
      throw new AssertionError(
          "the rabbitmqctl session failed on " + String.join(" ", arguments) + "\n" + log(), e);
    } catch (TimeoutException e) {
      close();
      throw new AssertionError(
          "rabbitmqctl " + String.join(" ", arguments) + " did not finish within a minute");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running rabbitmqctl", e);
    }
  }

  private CtlResult readAnswer() throws IOException {
    String line = readLine();
    // anything the VM printed outside a command (nothing should) is not an answer's header
    while (!ANSWER_HEADER.matcher(line).matches()) {
      line = readLine();
    }
    String[] header = line.split(" ");
    int exitCode = Integer.parseInt(header[0]);
    String out =
        new String(answers.readNBytes(Integer.parseInt(header[1])), StandardCharsets.UTF_8);
    String err =
        new String(answers.readNBytes(Integer.parseInt(header[2])), StandardCharsets.UTF_8);
    return new CtlResult(exitCode, out, err);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = answers.read(); b != '\n'; b = answers.read()) {
      if (b < 0) {
        throw new IOException("the session's VM exited");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Ends the session's VM: it halts when its standard input closes. */
  @Override
  public void close() {
    try {
      requests.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      reader.shutdownNow();
    }
  }
}
