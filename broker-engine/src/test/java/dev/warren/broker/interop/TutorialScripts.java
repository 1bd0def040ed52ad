package dev.warren.broker.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The tutorial scripts of one client, pointed at one broker, for one test: every queue and exchange
 * name gets this test's own suffix, and every process started here is killed on close.
 */
final class TutorialScripts implements AutoCloseable {
  /**
   * Generous: the build may share two cores with everything else, and every script starts an
   * interpreter.
   */
  static final Duration WAIT = Duration.ofSeconds(60);

  private final TutorialClient client;
  private final int port;
  private final String suffix = "." + UUID.randomUUID().toString().substring(0, 8);
  private final List<ScriptProcess> started = new ArrayList<>();

  TutorialScripts(TutorialClient client, int port) {
    this.client = client;
    this.port = port;
  }

  /** Starts a script that keeps running (a consumer, a worker, a server). */
  ScriptProcess start(String script, String... arguments) {
    List<String> all =
        Stream.concat(Stream.of("--port=" + port, "--suffix=" + suffix), Stream.of(arguments))
            .toList();
    ProcessBuilder builder =
        new ProcessBuilder(client.command(script, all)).directory(client.scriptDir().toFile());
    ScriptProcess process =
        ScriptProcess.start(client.name().toLowerCase() + " " + script, builder);
    started.add(process);
    return process;
  }

  /** Starts a script that is waited for, and returns when it has printed {@code READY}. */
  ScriptProcess startReady(String script, String... arguments) {
    ScriptProcess process = start(script, arguments);
    process.awaitLineStartingWith("READY", WAIT);
    return process;
  }

  /** Runs a short script (a producer, a client call) to successful completion. */
  List<String> run(String script, String... arguments) {
    return start(script, arguments).awaitSuccess(WAIT);
  }

  @Override
  public void close() {
    started.forEach(ScriptProcess::close);
  }
}
