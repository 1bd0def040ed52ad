package dev.warren.broker.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One running tutorial script. Its stdout lines are collected as they arrive so a test can wait for
 * a line with a deadline; stderr is kept for the failure message.
 */
final class ScriptProcess implements AutoCloseable {
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final Duration PUMP_DRAIN = Duration.ofSeconds(5);
  private static final Duration LIVENESS_CHECK = Duration.ofMillis(200);

  private final String label;
  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();

  private ScriptProcess(String label, Process process) {
    this.label = label;
    this.process = process;
  }

  static ScriptProcess start(String label, ProcessBuilder builder) {
    try {
      ScriptProcess script = new ScriptProcess(label, builder.start());
      script.pump(script.process.getInputStream(), script::addStdout, "stdout");
      script.pump(script.process.getErrorStream(), script::addStderr, "stderr");
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + label, e);
    }
  }

  /** Waits for the first output line that matches, failing the test at the deadline. */
  String awaitLine(Predicate<String> matching, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stdout) {
      while (true) {
        Optional<String> line = stdout.stream().filter(matching).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
        if (outputEnded()) {
          return fail(label + " ended without printing a line " + description + report());
        }
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMillis <= 0) {
          return fail(label + " printed no line " + description + " within " + timeout + report());
        }
        try {
          // Woken by every new line; the cap only serves to notice a crashed script early.
          stdout.wait(Math.min(remainingMillis, LIVENESS_CHECK.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return fail("interrupted waiting for " + label);
        }
      }
    }
  }

  String awaitLineStartingWith(String prefix, Duration timeout) {
    return awaitLine(line -> line.startsWith(prefix), "starting with '" + prefix + "'", timeout);
  }

  /** Waits for the script to end by itself and asserts it succeeded; returns all its output. */
  List<String> awaitSuccess(Duration timeout) {
    int status = awaitExit(timeout);
    if (status != 0) {
      fail(label + " exited with status " + status + report());
    }
    return lines();
  }

  /** Waits for the script to end by itself (failing the test at the deadline); its exit status. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        fail(label + " did not finish within " + timeout + report());
      }
      // The pumps may still be reading the last lines the process wrote before it exited.
      for (Thread pump : pumps) {
        pump.join(PUMP_DRAIN.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted waiting for " + label);
    }
    return process.exitValue();
  }

  List<String> errorLines() {
    synchronized (stdout) {
      return List.copyOf(stderr);
    }
  }

  List<String> lines() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  /** SIGKILL, as a crashing client would die: no AMQP close, just a dropped TCP connection. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail(label + " survived SIGKILL for " + KILL_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  /** True once the process is gone and everything it wrote has been read. */
  private boolean outputEnded() {
    return !process.isAlive() && pumps.stream().noneMatch(Thread::isAlive);
  }

  private String report() {
    synchronized (stdout) {
      return "\n--- "
          + label
          + " stdout:\n"
          + String.join("\n", stdout)
          + "\n--- stderr:\n"
          + String.join("\n", stderr);
    }
  }

  private void addStdout(String line) {
    synchronized (stdout) {
      stdout.add(line);
      stdout.notifyAll();
    }
  }

  private void addStderr(String line) {
    synchronized (stdout) {
      stderr.add(line);
    }
  }

  private void pump(InputStream stream, Consumer<String> sink, String name) {
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                reader.lines().forEach(sink);
              } catch (IOException | UncheckedIOException e) {
                // the process died; what was read so far stays in the buffers
              }
            },
            label + "-" + name);
    pump.setDaemon(true);
    pumps.add(pump);
    pump.start();
  }
}
