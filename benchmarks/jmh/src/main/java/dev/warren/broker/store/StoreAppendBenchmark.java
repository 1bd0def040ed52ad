package dev.warren.broker.store;

import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Persistent 1 KB messages appended to the {@link DurableStore} of one durable queue, each counted
 * once it is on disk (the moment a publisher confirm would go out), then acknowledged so that
 * segments are reclaimed as in steady traffic. With {@code fsync=ALWAYS} the store thread forces
 * the file once per batch (group commit): the more writes wait at the same time, the more share one
 * fsync. {@code NEVER} shows the cost without the fsync. The data directory is a fresh directory
 * under {@code java.io.tmpdir}, so that property picks the disk being measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreAppendBenchmark {
  private static final int IN_FLIGHT = 100;

  /** Long enough for any fsync; a write that takes longer means the store has failed. */
  private static final long SYNC_TIMEOUT_SECONDS = 30;

  @Param({"ALWAYS", "NEVER"})
  public FsyncPolicy fsync;

  private Path dataDirectory;
  private DurableStore store;
  private List<Queue> queues;
  private Message message;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dataDirectory = Files.createTempDirectory("warren-jmh-store");
    store = DurableStore.open(dataDirectory, StoreConfig.defaults().withFsync(fsync));
    VirtualHost host = new VirtualHost("/", store);
    Queue queue =
        host.declareQueue(new QueueDeclaration("jmh-store", true, false, false, Map.of()), null)
            .queue();
    store.recover();
    queues = List.of(queue);
    BasicProperties persistent =
        new BasicProperties(
            null, null, null, 2, null, null, null, null, null, null, null, null, null, null);
    message = new Message("", "jmh-store", persistent, new byte[1024]);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(StoreAppendBenchmark::delete);
    }
  }

  /** One publisher that waits for each write's fsync before the next: no batching possible. */
  @Benchmark
  @Threads(1)
  public void oneWriterWaitingForEach() throws InterruptedException {
    appendAndAwait(1);
  }

  /** Eight publishers, each waiting for its own write: up to eight writes share an fsync. */
  @Benchmark
  @Threads(8)
  public void eightWritersWaitingForEach() throws InterruptedException {
    appendAndAwait(1);
  }

  /** One publisher with 100 writes in flight, like a publisher with 100 unconfirmed messages. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(IN_FLIGHT)
  public void oneWriterHundredInFlight() throws InterruptedException {
    appendAndAwait(IN_FLIGHT);
  }

  private void appendAndAwait(int count) throws InterruptedException {
    CountDownLatch synced = new CountDownLatch(count);
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = store.store(message, queues, synced::countDown);
    }
    if (!synced.await(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "the store did not sync within " + SYNC_TIMEOUT_SECONDS + "s");
    }
    for (long id : ids) {
      store.released(queues.get(0), id);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
