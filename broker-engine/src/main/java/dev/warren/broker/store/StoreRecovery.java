package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import dev.warren.broker.model.Queue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Reads the message segments back at start: every stored message not acknowledged by the queue it
 * was stored for goes back into that queue (marked redelivered: it may have been delivered before
 * the broker stopped). A torn record at the end of a file is cut off; a damaged record between
 * intact ones is skipped and logged with its file and offset. Nothing here stops the broker from
 * starting.
 */
final class StoreRecovery {
  private static final System.Logger LOG = System.getLogger(StoreRecovery.class.getName());

  private final Path directory;
  private final TreeSet<Long> indexes = new TreeSet<>();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();

  private record AckKey(long messageId, int queueId) {}

  StoreRecovery(Path directory) throws IOException {
    this.directory = directory;
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(
          file -> {
            String name = file.getFileName().toString();
            int dot = name.indexOf('.');
            if (dot > 0
                && (name.endsWith(Segment.DATA_SUFFIX) || name.endsWith(Segment.ACK_SUFFIX))) {
              try {
                indexes.add(Long.parseLong(name.substring(0, dot)));
              } catch (NumberFormatException notOurs) {
                LOG.log(
                    System.Logger.Level.WARNING, "Ignoring unknown file {0} in the store", file);
              }
            }
          });
    }
  }

  /** The live segments found, by first message id; filled by {@link #restoreMessages}. */
  TreeMap<Long, Segment> segments() {
    return segments;
  }

  long nextSegmentIndex() {
    return indexes.isEmpty() ? 1 : indexes.last() + 1;
  }

  /**
   * Restores the messages of every segment into the queues (by stored queue id) that still exist.
   *
   * @param locations where each message's record is, while it is restored (a queue pages it out by
   *     that reference)
   * @param restore puts one message back (normally {@link Queue#restore})
   * @return the highest message id found
   */
  long restoreMessages(
      Map<Integer, Queue> queues,
      Map<Long, SegmentCopy> locations,
      BiConsumer<Queue, Message> restore)
      throws IOException {
    long started = System.nanoTime();
    long[] lastId = {0};
    long restored = 0;
    for (long index : indexes) {
      Segment segment = new Segment(directory, index);
      Set<AckKey> acked = readAcks(segment.acks());
      if (!Files.exists(segment.data())) {
        segment.delete();
        continue;
      }
      long[] firstId = {-1};
      ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segment.data()));
      int validEnd =
          RecordFormat.scan(
              segment.data(),
              data,
              (payload, offset) -> {
                try {
                  MessageRecord record = MessageRecord.read(payload);
                  long id = record.id();
                  Message message = record.message();
                  int[] queueIds = record.queueIds();
                  if (firstId[0] < 0) {
                    firstId[0] = id;
                  }
                  lastId[0] = Math.max(lastId[0], id);
                  locations.put(
                      id,
                      new SegmentCopy.Recovered(
                          index, offset, RecordFormat.HEADER_BYTES + payload.limit()));
                  try {
                    for (int queueId : queueIds) {
                      Queue queue = queues.get(queueId);
                      if (queue != null && !acked.contains(new AckKey(id, queueId))) {
                        restore.accept(queue, message);
                        segment.addLive(1);
                      }
                    }
                  } finally {
                    locations.remove(id);
                  }
                } catch (RuntimeException e) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "Store file {0}: unreadable message record at offset {1,number,#} skipped",
                      segment.data(),
                      offset);
                }
              });
      truncateTornTail(segment.data(), data.limit(), validEnd);
      restored += segment.live();
      if (segment.live() == 0) {
        segment.delete();
      } else {
        segments.put(firstId[0], segment);
      }
    }
    long nanos = Math.max(1, System.nanoTime() - started);
    LOG.log(
        System.Logger.Level.INFO,
        "Recovered {0,number,#} messages from {1} segment files in {2,number,#} ms ({3,number,#}"
            + " messages/s)",
        restored,
        segments.size(),
        nanos / 1_000_000,
        restored * 1_000_000_000L / nanos);
    return lastId[0];
  }

  private static Set<AckKey> readAcks(Path file) throws IOException {
    Set<AckKey> acked = new HashSet<>();
    if (!Files.exists(file)) {
      return acked;
    }
    ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
    int validEnd =
        RecordFormat.scan(
            file,
            data,
            (payload, offset) -> {
              while (payload.remaining() >= Long.BYTES + Integer.BYTES) {
                acked.add(new AckKey(payload.getLong(), payload.getInt()));
              }
            });
    truncateTornTail(file, data.limit(), validEnd);
    return acked;
  }

  private static void truncateTornTail(Path file, int size, int validEnd) throws IOException {
    if (validEnd >= size) {
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "Store file {0}: cut off a torn tail of {1} bytes at offset {2,number,#}",
        file,
        size - validEnd,
        validEnd);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(validEnd);
    }
  }
}
