package dev.warren.broker.store;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionCodec;
import dev.warren.broker.definitions.DefinitionsJournal;
import dev.warren.broker.definitions.DefinitionsState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The runtime definitions' journal in the data directory ({@code definitions.log}), beside the
 * topology log: one framed record (see {@link RecordFormat}) per change, its payload the change as
 * JSON ({@link DefinitionCodec}). Replayed and compacted at start; each append is forced to disk
 * before it returns, because a definitions change is acknowledged to an operator and must survive a
 * crash. Definitions change rarely, so the writes happen on the caller's thread.
 */
final class DefinitionsLog implements DefinitionsJournal {
  private static final System.Logger LOG = System.getLogger(DefinitionsLog.class.getName());

  private final Path file;
  private final DefinitionsState recovered;
  private final FileChannel out;

  private DefinitionsLog(Path file, DefinitionsState recovered, FileChannel out) {
    this.file = file;
    this.recovered = recovered;
    this.out = out;
  }

  /** Replays the log (if any), rewrites it compacted, and opens it for appending. */
  static DefinitionsLog open(Path file) throws IOException {
    DefinitionsState recovered = Files.exists(file) ? replay(file) : null;
    if (recovered != null) {
      compact(file, recovered);
    }
    FileChannel out =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new DefinitionsLog(file, recovered, out);
  }

  private static DefinitionsState replay(Path file) throws IOException {
    ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
    DefinitionsState[] state = {DefinitionsState.EMPTY};
    RecordFormat.scan(
        file,
        data,
        (payload, offset) -> {
          try {
            state[0] =
                state[0].apply(
                    DefinitionCodec.decode(StandardCharsets.UTF_8.decode(payload).toString()));
          } catch (RuntimeException e) {
            LOG.log(
                System.Logger.Level.WARNING,
                "Definitions log {0}: unreadable change at offset {1,number,#} skipped: {2}",
                file,
                offset,
                e.getMessage());
          }
        });
    return state[0];
  }

  /** Rewrites the log as the changes that rebuild {@code state}, atomically. */
  private static void compact(Path file, DefinitionsState state) throws IOException {
    TopologyLog.rewrite(file, out -> write(out, state.asChanges()));
  }

  @Override
  public DefinitionsState recovered() {
    return recovered;
  }

  /** A failed append is cut off again, so that a change refused to its caller is never replayed. */
  @Override
  public synchronized void append(List<DefinitionChange> changes) {
    long before = -1;
    try {
      before = out.size();
      write(out, changes);
      out.force(false);
    } catch (IOException e) {
      truncateQuietly(before);
      throw new UncheckedIOException("cannot write the definitions log " + file, e);
    }
  }

  private void truncateQuietly(long size) {
    if (size < 0) {
      return;
    }
    try {
      out.truncate(size);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot cut off a failed write to " + file, e);
    }
  }

  private static void write(FileChannel channel, List<DefinitionChange> changes)
      throws IOException {
    for (DefinitionChange change : changes) {
      byte[] payload = DefinitionCodec.encode(change).getBytes(StandardCharsets.UTF_8);
      ByteBuffer record = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + payload.length);
      RecordFormat.frame(record, payload, payload.length);
      TopologyLog.writeFully(channel, record.array());
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot close the definitions log " + file, e);
    }
  }
}
