package dev.warren.broker.interop;

import static dev.warren.broker.interop.TutorialScripts.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

/** The tutorial scenarios that every client runs the same way, whatever its language. */
final class TutorialScenarios {
  private TutorialScenarios() {}

  /**
   * Tutorial 2 with a crash: a very slow worker takes a task and is SIGKILLed before acking it; the
   * other worker must then get exactly that task again, flagged redelivered, and finish every task.
   */
  static void killedWorkersTaskIsRedeliveredToTheOtherWorker(TutorialScripts scripts) {
    // The slow worker subscribes first so that it is the one handed the first task.
    ScriptProcess slow = scripts.startReady("worker", "--seconds-per-dot=3600");
    ScriptProcess fast = scripts.startReady("worker", "--seconds-per-dot=0.01");
    List<String> tasks = IntStream.rangeClosed(1, 6).mapToObj(i -> "task-" + i + ".").toList();
    tasks.forEach(task -> scripts.run("new_task", task));

    Receipt held = Receipt.parse(slow.awaitLineStartingWith("RECEIVED ", WAIT));
    assertFalse(held.redelivered(), "a first delivery must not be flagged redelivered: " + held);
    slow.kill();

    fast.awaitLine(
        line -> line.startsWith("RECEIVED ") && Receipt.parse(line).equals(held.again()),
        "redelivering " + held.task(),
        WAIT);
    for (String task : tasks) {
      fast.awaitLine(("DONE " + task)::equals, "finishing " + task, WAIT);
    }

    List<Receipt> receipts =
        fast.lines().stream().filter(l -> l.startsWith("RECEIVED ")).map(Receipt::parse).toList();
    for (String task : tasks) {
      Receipt expected = task.equals(held.task()) ? held.again() : new Receipt(task, false);
      assertEquals(
          List.of(expected),
          receipts.stream().filter(r -> r.task().equals(task)).toList(),
          "deliveries of " + task + " to the surviving worker");
    }
    assertTrue(
        slow.lines().stream().noneMatch(l -> l.startsWith("DONE ")),
        "the killed worker must not have finished anything: " + slow.lines());
  }

  /** Tutorial 3: every subscriber's own queue gets every log line, in publishing order. */
  static void fanoutReachesEverySubscriberInOrder(TutorialScripts scripts) {
    List<String> messages = List.of("info: one", "warning: two", "error: three");
    String count = "--count=" + messages.size();
    List<ScriptProcess> subscribers =
        List.of(
            scripts.startReady("receive_logs", count), scripts.startReady("receive_logs", count));
    messages.forEach(message -> scripts.run("emit_log", message));

    List<String> expected = messages.stream().map(m -> "RECEIVED " + m).toList();
    for (ScriptProcess subscriber : subscribers) {
      assertEquals(expected, received(subscriber.awaitSuccess(WAIT)));
    }
  }

  /**
   * Tutorial 5: {@code *} matches one word, {@code #} any number; a queue bound twice with patterns
   * that both match still gets one copy. The last message matches every receiver, so each stops
   * only after anything wrongly routed before it would already have arrived.
   */
  static void topicPatternsSelectTheLogs(TutorialScripts scripts) {
    ScriptProcess kernel = scripts.startReady("receive_logs_topic", "kern.*", "--count=2");
    ScriptProcess critical =
        scripts.startReady("receive_logs_topic", "*.critical", "kern.#", "--count=4");
    ScriptProcess everything = scripts.startReady("receive_logs_topic", "#", "--count=5");
    scripts.run("emit_log_topic", "cron.info", "c1");
    scripts.run("emit_log_topic", "kern.disk.critical", "k1");
    scripts.run("emit_log_topic", "kern.info", "k2");
    scripts.run("emit_log_topic", "cron.critical", "c2");
    scripts.run("emit_log_topic", "kern.critical", "k3");

    assertEquals(
        List.of("RECEIVED kern.info k2", "RECEIVED kern.critical k3"),
        received(kernel.awaitSuccess(WAIT)));
    assertEquals(
        List.of(
            "RECEIVED kern.disk.critical k1",
            "RECEIVED kern.info k2",
            "RECEIVED cron.critical c2",
            "RECEIVED kern.critical k3"),
        received(critical.awaitSuccess(WAIT)));
    assertEquals(
        List.of(
            "RECEIVED cron.info c1",
            "RECEIVED kern.disk.critical k1",
            "RECEIVED kern.info k2",
            "RECEIVED cron.critical c2",
            "RECEIVED kern.critical k3"),
        received(everything.awaitSuccess(WAIT)));
  }

  /** Tutorial 6 with two concurrent callers: each must get the answer to its own question. */
  static void rpcCallersGetTheirOwnReplies(TutorialScripts scripts) {
    ScriptProcess server = scripts.startReady("rpc_server");
    ScriptProcess fib30 = scripts.start("rpc_client", "30");
    ScriptProcess fib10 = scripts.start("rpc_client", "10");
    assertEquals(List.of("REPLY 30 832040"), fib30.awaitSuccess(WAIT));
    assertEquals(List.of("REPLY 10 55"), fib10.awaitSuccess(WAIT));
    assertEquals(
        2,
        server.lines().stream().filter(line -> line.startsWith("REQUEST ")).count(),
        "requests seen by the server: " + server.lines());
  }

  /** The RECEIVED lines of a script's output, in order. */
  static List<String> received(List<String> output) {
    return output.stream().filter(line -> line.startsWith("RECEIVED ")).toList();
  }

  /** A worker's {@code RECEIVED <task> redelivered=<bool>} line (Python prints True, Node true). */
  record Receipt(String task, boolean redelivered) {
    static Receipt parse(String line) {
      String[] fields = line.split(" ");
      return new Receipt(
          fields[1], Boolean.parseBoolean(fields[2].substring("redelivered=".length())));
    }

    Receipt again() {
      return new Receipt(task, true);
    }
  }
}
