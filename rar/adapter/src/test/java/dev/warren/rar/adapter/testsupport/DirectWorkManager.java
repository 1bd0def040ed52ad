package dev.warren.rar.adapter.testsupport;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A container's WorkManager reduced to a thread pool. Like WildFly's, it calls {@link
 * Work#release()} after every run, which must not stop the adapter's consumers.
 */
public final class DirectWorkManager implements WorkManager, AutoCloseable {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @Override
  public void doWork(Work work) {
    work.run();
  }

  @Override
  public void doWork(Work work, long timeout, ExecutionContext context, WorkListener listener) {
    work.run();
  }

  @Override
  public long startWork(Work work) {
    pool.execute(() -> runAndRelease(work));
    return 0;
  }

  @Override
  public long startWork(Work work, long timeout, ExecutionContext context, WorkListener listener) {
    pool.execute(() -> runAndRelease(work));
    return 0;
  }

  @Override
  public void scheduleWork(Work work) {
    pool.execute(() -> runAndRelease(work));
  }

  @Override
  public void scheduleWork(
      Work work, long timeout, ExecutionContext context, WorkListener listener) {
    pool.execute(() -> runAndRelease(work));
  }

  private static void runAndRelease(Work work) {
    try {
      work.run();
    } finally {
      work.release();
    }
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
