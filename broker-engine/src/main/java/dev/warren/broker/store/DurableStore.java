package dev.warren.broker.store;

import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.model.Destination;
import dev.warren.broker.model.Exchange;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.Queue;
import dev.warren.broker.model.ReadyMessages;
import dev.warren.broker.store.StoredTopology.BindingRecord;
import dev.warren.broker.store.StoredTopology.ExchangeRecord;
import dev.warren.broker.store.StoredTopology.QueueRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The embedded on-disk store in a data directory: the topology log ({@code topology.log}) and the
 * message segments ({@code messages/}). It stores what RabbitMQ keeps across a restart: durable
 * exchanges, durable queues that are neither exclusive nor auto-delete, bindings between durable
 * ends, and the persistent messages of durable queues (those of exclusive and auto-delete ones too,
 * so that a confirm means the same, though they are dropped at start with their queue). All writing
 * happens on one thread ({@link StoreWriter}); the hooks only hand work to it.
 */
public final class DurableStore implements Persistence, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DurableStore.class.getName());
  private static final String TOPOLOGY_FILE = "topology.log";
  private static final String DEFINITIONS_FILE = "definitions.log";
  private static final String SEGMENT_DIRECTORY = "messages";
  private static final String PAGING_DIRECTORY = "paging";
  private static final String LOCK_FILE = ".lock";

  private final StoredTopology topology;
  private final DefinitionsLog definitions;
  private final StoreWriter writer;
  private final StoreRecovery recovery;
  private final Map<Queue, Integer> queueIds = new ConcurrentHashMap<>();

  /**
   * Ids of deleted queues whose delivered messages may still be acknowledged: those stored copies
   * must be released too, or their segments would stay until a restart. Weak, so an entry goes once
   * nothing refers to its queue any more.
   */
  private final Map<Queue, Integer> deletedQueueIds =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final AtomicLong lastMessageId = new AtomicLong();

  /** Written messages whose write is not yet on disk, by id (see {@link PendingWrite}). */
  private final Map<Long, PendingWrite> unsynced = new ConcurrentHashMap<>();

  /** The records of the messages being put back at start, while they are (for paging them out). */
  private final Map<Long, SegmentCopy> recovering = new ConcurrentHashMap<>();

  private final Path segmentDirectory;
  private final Path pagingDirectory;
  private final FileStore disk;
  private final int queueMemoryMessages;
  private final AtomicLong lastPagedQueue = new AtomicLong();
  private final PagingRetries pagingRetries = new PagingRetries();
  private final AtomicLong lastUnrecoveredQueueId = new AtomicLong();

  private final FileChannel lock;

  private DurableStore(
      FileChannel lock,
      StoredTopology topology,
      DefinitionsLog definitions,
      StoreWriter writer,
      StoreRecovery recovery,
      Path segmentDirectory,
      Path pagingDirectory,
      int queueMemoryMessages)
      throws IOException {
    this.lock = lock;
    this.segmentDirectory = segmentDirectory;
    this.disk = Files.getFileStore(segmentDirectory);
    this.pagingDirectory = pagingDirectory;
    this.queueMemoryMessages = queueMemoryMessages;
    this.topology = topology;
    this.definitions = definitions;
    this.writer = writer;
    this.recovery = recovery;
  }

  /**
   * Opens (creating if needed) the store in {@code dataDirectory}: replays and compacts the
   * topology log and indexes the message segments. Call {@link #recover} next.
   */
  public static DurableStore open(Path dataDirectory, StoreConfig config) {
    FileChannel lock = null;
    try {
      Path segmentDirectory = dataDirectory.resolve(SEGMENT_DIRECTORY);
      Files.createDirectories(segmentDirectory);
      lock = lockDirectory(dataDirectory);
      Path topologyFile = dataDirectory.resolve(TOPOLOGY_FILE);
      StoredTopology topology = TopologyLog.load(topologyFile);
      compactAtStart(topologyFile, topology);
      DefinitionsLog definitions = DefinitionsLog.open(dataDirectory.resolve(DEFINITIONS_FILE));
      StoreRecovery recovery = new StoreRecovery(segmentDirectory);
      StoreWriter writer =
          new StoreWriter(
              segmentDirectory,
              topologyFile,
              topology,
              config,
              recovery.segments(),
              recovery.nextSegmentIndex());
      Path pagingDirectory = dataDirectory.resolve(PAGING_DIRECTORY);
      deleteRecursively(pagingDirectory); // pages are scratch space of the previous run
      return new DurableStore(
          lock,
          topology,
          definitions,
          writer,
          recovery,
          segmentDirectory,
          pagingDirectory,
          config.queueMemoryMessages());
    } catch (IOException | RuntimeException e) {
      closeQuietly(lock);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new UncheckedIOException("cannot open the store in " + dataDirectory, (IOException) e);
    }
  }

  /** A full disk must not keep the broker from starting: the log is good as it is, only longer. */
  private static void compactAtStart(Path topologyFile, StoredTopology topology) {
    try {
      TopologyLog.compact(topologyFile, topology);
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Cannot compact " + topologyFile + " at start; it is replayed as it is next time too",
          e);
    }
  }

  /** Two brokers writing one store would corrupt it: the second one is refused. */
  private static FileChannel lockDirectory(Path dataDirectory) throws IOException {
    FileChannel channel =
        FileChannel.open(
            dataDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (OverlappingFileLockException heldInThisProcess) {
      // another broker in this JVM has it
    }
    channel.close();
    throw new IllegalStateException(
        "data directory " + dataDirectory + " is in use by another broker");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a lock file: nothing to recover
      }
    }
  }

  /** Where the runtime definitions (users, vhosts, permissions, policies...) are kept. */
  public DefinitionsJournal definitions() {
    return definitions;
  }

  /**
   * Drops the stored topology of a virtual host that no longer exists: it was deleted, and the
   * broker stopped before the deletions of its queues and exchanges reached the topology log.
   */
  public void forgetVirtualHost(String virtualHost) {
    for (byte[] deletion : topology.removeVirtualHost(virtualHost)) {
      writer.submit(new StoreWriter.TopologyChange(deletion));
    }
  }

  /** The durable topology to declare again, in replay order. */
  public StoredTopology.Snapshot topology() {
    return topology.snapshot();
  }

  /**
   * Puts the stored messages back into their queues (declared again from {@link #topology} before
   * this call), then starts accepting writes.
   */
  public void recover() {
    recover(Queue::restore);
  }

  /**
   * As {@link #recover()}, each message put back by {@code restore}, which may keep one out of its
   * queue (it stays unacknowledged in the store until its queue releases it).
   */
  public void recover(BiConsumer<Queue, Message> restore) {
    Map<Integer, Queue> byId = new HashMap<>();
    queueIds.forEach((queue, id) -> byId.put(id, queue));
    try {
      lastMessageId.set(recovery.restoreMessages(byId, recovering, restore));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the message store", e);
    }
    writer.start();
  }

  /**
   * After {@link #recover}: no message stored from now on gets an id at or below {@code id}, so an
   * id named by an earlier run (whose message may be gone) never finds a new message in this one.
   */
  public void reserveIdsUpTo(long id) {
    synchronized (lastMessageId) {
      lastMessageId.accumulateAndGet(id, Math::max);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  @Override
  public ReadyMessages pageable(Queue queue, ReadyMessages inMemory) {
    Path pages = pagingDirectory.resolve(Long.toString(lastPagedQueue.incrementAndGet()));
    // A durable queue's persistent messages are in the segments, counted live until it lets them
    // go: those can be paged out by reference.
    return new PagedReadyMessages(
        inMemory,
        queueMemoryMessages,
        new QueuePages(pages, segmentDirectory, disk),
        queue.durable() ? this::segmentCopy : null,
        pagingRetries,
        queue::dispatch);
  }

  /** The segment copy of a stored message: being written, or found at start; else null. */
  private SegmentCopy segmentCopy(long storeId) {
    PendingWrite pending = unsynced.get(storeId);
    return pending != null ? pending : recovering.get(storeId);
  }

  // --- topology hooks

  @Override
  public void exchangeDeclared(String virtualHost, Exchange exchange) {
    if (!exchange.durable()) {
      return;
    }
    ExchangeRecord record =
        new ExchangeRecord(
            virtualHost,
            exchange.name(),
            exchange.type().wireName(),
            exchange.autoDelete(),
            exchange.internal(),
            exchange.arguments());
    if (topology.putExchange(record)) {
      writer.submit(new StoreWriter.TopologyChange(TopologyLog.declareExchange(record)));
    }
  }

  @Override
  public void exchangeDeleted(String virtualHost, Exchange exchange) {
    if (exchange.durable() && topology.removeExchange(virtualHost, exchange.name())) {
      writer.submit(
          new StoreWriter.TopologyChange(TopologyLog.deleteExchange(virtualHost, exchange.name())));
    }
  }

  @Override
  public void queueDeclared(String virtualHost, Queue queue) {
    if (!queue.durable()) {
      return;
    }
    if (queue.autoDelete() || queue.exclusiveOwner() != null) {
      // Its persistent messages are written (and confirmed after fsync) as in RabbitMQ, but the
      // queue does not survive a restart: a negative id, which no recovery ever resolves.
      queueIds.put(queue, (int) lastUnrecoveredQueueId.decrementAndGet());
      return;
    }
    int before = topology.size();
    QueueRecord record = topology.putQueue(virtualHost, queue.name(), queue.arguments());
    queueIds.put(queue, record.id());
    if (topology.size() != before) {
      writer.submit(new StoreWriter.TopologyChange(TopologyLog.declareQueue(record)));
    }
  }

  @Override
  public void queueDeleted(String virtualHost, Queue queue) {
    Integer id = queueIds.remove(queue);
    if (id != null) {
      deletedQueueIds.put(queue, id);
    }
    if (id != null && id > 0 && topology.removeQueue(virtualHost, queue.name())) {
      writer.submit(
          new StoreWriter.TopologyChange(TopologyLog.deleteQueue(virtualHost, queue.name())));
    }
  }

  @Override
  public void bound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    BindingRecord record = binding(virtualHost, source, destination, routingKey, arguments);
    if (record != null && topology.putBinding(record)) {
      writer.submit(new StoreWriter.TopologyChange(TopologyLog.bind(record)));
    }
  }

  @Override
  public void unbound(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    BindingRecord record = binding(virtualHost, source, destination, routingKey, arguments);
    if (record != null && topology.removeBinding(record)) {
      writer.submit(new StoreWriter.TopologyChange(TopologyLog.unbind(record)));
    }
  }

  /** The record of a binding whose both ends survive a restart, else null. */
  private BindingRecord binding(
      String virtualHost,
      Exchange source,
      Destination destination,
      String routingKey,
      Map<String, Object> arguments) {
    boolean durableDestination =
        destination instanceof Queue queue
            ? queueIds.getOrDefault(queue, 0) > 0
            : ((Exchange) destination).durable();
    if (!source.durable() || !durableDestination) {
      return null;
    }
    return new BindingRecord(
        virtualHost,
        source.name(),
        destination instanceof Queue,
        destination.name(),
        routingKey,
        arguments);
  }

  // --- message hooks

  @Override
  public long store(Message message, List<Queue> queues, Synced callback) {
    if (!message.properties().persistent()) {
      return 0;
    }
    int[] ids = new int[queues.size()];
    int count = 0;
    for (Queue queue : queues) {
      Integer id = queueIds.get(queue);
      if (id != null) {
        ids[count++] = id;
      }
    }
    if (count == 0) {
      return 0;
    }
    int[] stored = count == ids.length ? ids : Arrays.copyOf(ids, count);
    // Ids reach the writer in increasing order: it finds a message's segment by its id.
    synchronized (lastMessageId) {
      long messageId = lastMessageId.incrementAndGet();
      PendingWrite pending = new PendingWrite(messageId, count, callback, unsynced);
      // Known before any queue holds the message, so before any release of it.
      unsynced.put(messageId, pending);
      writer.submit(new StoreWriter.Write(messageId, stored, message, pending));
      return messageId;
    }
  }

  @Override
  public void released(Queue queue, long storeId) {
    Integer id = queueIds.get(queue);
    if (id == null) {
      id = deletedQueueIds.get(queue);
    }
    if (id != null) {
      writer.submit(new StoreWriter.Ack(storeId, id));
      PendingWrite pending = unsynced.get(storeId);
      if (pending != null) {
        pending.released();
      }
    }
  }

  @Override
  public void sync(Synced callback) {
    writer.submit(new StoreWriter.Sync(callback));
  }

  /** Writes and forces everything pending, then closes the files. */
  @Override
  public void close() {
    pagingRetries.close();
    writer.stop();
    definitions.close();
    closeQuietly(lock); // releases the directory
  }
}
