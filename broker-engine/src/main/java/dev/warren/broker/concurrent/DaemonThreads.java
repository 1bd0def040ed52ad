package dev.warren.broker.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The broker's own background threads. They are daemons: the broker runs inside an application
 * server, whose JVM must be able to exit (and undeploy the adapter) whatever a timer of Warren's is
 * doing; stopping the broker stops its executors explicitly. Each is named after its work, which is
 * what a thread dump shows an operator.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads called {@code name}. */
  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One daemon thread called {@code name}, for tasks that run one at a time and in order. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(named(name));
  }

  /** One daemon thread called {@code name}, for delayed and periodic tasks. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  /** Daemon threads called {@code name}, made as tasks need them and ended after a minute idle. */
  public static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(named(name));
  }
}
