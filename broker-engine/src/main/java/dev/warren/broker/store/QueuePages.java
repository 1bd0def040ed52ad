package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import dev.warren.broker.model.QueueEntry;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A first-in first-out file of queue entries paged out of memory: appended at one end, read back
 * from the other, in page files that are deleted once read. Pages are scratch space, not a durable
 * record (persistent messages are in the segments too), so they are not fsynced and the store wipes
 * them at start. Called with the owning queue's lock held.
 */
final class QueuePages {
  private static final long PAGE_BYTES = 16L << 20;

  private final Path directory;
  private final PayloadWriter payload = new PayloadWriter();
  private final ArrayDeque<Path> pages = new ArrayDeque<>();
  private ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
  private FileChannel writing;
  private long writtenToPage;
  private DataInputStream reading;
  private Path readingPage;
  private int nextPage;

  QueuePages(Path directory) {
    this.directory = directory;
  }

  void write(QueueEntry entry) {
    Message message = entry.message();
    payload.reset();
    payload.writeLong(entry.sequence()).writeLong(entry.expiresAt());
    payload.writeByte(entry.redelivered() ? 1 : 0).writeLong(message.storeId());
    payload.writeString(message.exchange()).writeString(message.routingKey());
    payload.writeProperties(message.properties()).writeBytes(message.body());
    int recordBytes = RecordFormat.HEADER_BYTES + payload.length();
    try {
      if (writing == null || writtenToPage + recordBytes > PAGE_BYTES && writtenToPage > 0) {
        startPage();
      }
      if (buffer.remaining() < recordBytes) {
        flush();
        if (buffer.capacity() < recordBytes) {
          buffer = ByteBuffer.allocate(recordBytes);
        }
      }
      RecordFormat.frame(buffer, payload.array(), payload.length());
      writtenToPage += recordBytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot page out to " + directory, e);
    }
  }

  /** Reads back up to {@code count} entries, oldest first, handing each to {@code sink}. */
  void read(int count, Consumer<QueueEntry> sink) {
    try {
      flush();
      for (int i = 0; i < count; i++) {
        if (reading == null) {
          readingPage = pages.peekFirst();
          reading =
              new DataInputStream(
                  new BufferedInputStream(Files.newInputStream(readingPage), 1 << 16));
        }
        QueueEntry entry = readEntry(reading);
        if (entry == null) {
          if (readingPage.equals(pages.peekLast())) {
            return; // caught up with the writer
          }
          closeReader();
          Files.deleteIfExists(pages.pollFirst());
          i--;
          continue;
        }
        sink.accept(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot page in from " + directory, e);
    }
  }

  private static QueueEntry readEntry(DataInputStream in) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (java.io.EOFException end) {
      return null;
    }
    if (magic != RecordFormat.MAGIC) {
      throw new IOException("damaged page record");
    }
    int length = in.readInt();
    in.readInt(); // checksum: pages never outlive the process that wrote them
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    PayloadReader record = new PayloadReader(ByteBuffer.wrap(bytes));
    long sequence = record.readLong();
    long expiresAt = record.readLong();
    boolean redelivered = record.readByte() != 0;
    long storeId = record.readLong();
    Message message =
        new Message(
            record.readString(),
            record.readString(),
            record.readProperties(),
            record.readBytes(),
            storeId);
    return QueueEntry.pagedIn(message, sequence, expiresAt, redelivered);
  }

  private void startPage() throws IOException {
    flush();
    if (writing != null) {
      writing.close();
    }
    Files.createDirectories(directory);
    Path page = directory.resolve(String.format("%08d.page", nextPage++));
    writing = FileChannel.open(page, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    pages.addLast(page);
    writtenToPage = 0;
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      writing.write(buffer);
    }
    buffer.clear();
  }

  private void closeReader() throws IOException {
    if (reading != null) {
      reading.close();
      reading = null;
    }
  }

  /** Reads every remaining entry (for releasing stored copies) and deletes the pages. */
  void drain(Consumer<QueueEntry> sink) {
    read(Integer.MAX_VALUE, sink);
    delete();
  }

  /** Deletes every page. */
  void delete() {
    try {
      closeReader();
      if (writing != null) {
        writing.close();
        writing = null;
      }
      buffer.clear();
      pages.clear();
      if (Files.exists(directory)) {
        try (Stream<Path> files = Files.list(directory)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
        Files.delete(directory);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete pages in " + directory, e);
    }
  }
}
