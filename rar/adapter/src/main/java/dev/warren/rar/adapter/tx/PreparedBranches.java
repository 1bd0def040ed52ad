package dev.warren.rar.adapter.tx;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.transaction.xa.Xid;

/**
 * Prepared-but-undecided branches of one kind on disk, one fsynced file per branch (named by its
 * Xid, ending in the kind's suffix), so that a crash between prepare and commit loses nothing the
 * branch promised: after a restart {@link #list} reports them to the transaction manager's
 * recovery, which then commits or rolls them back. Outbound branches keep their publishes, inbound
 * ones the delivered message's identity.
 *
 * @param <T> what a branch keeps (serializable)
 */
public final class PreparedBranches<T> {
  private final Path directory;
  private final String suffix;

  /**
   * @param suffix ends the name of this kind's files, so that kinds share the directory
   */
  public PreparedBranches(Path directory, String suffix) {
    this.directory = directory;
    this.suffix = suffix;
  }

  /** The outbound branches: the publishes of each. */
  public static PreparedBranches<List<PendingPublish>> outbound(Path directory) {
    return new PreparedBranches<>(directory, ".branch");
  }

  /** Writes the branch durably: temp file, fsync, atomic rename, fsync of the directory. */
  public void save(Xid xid, T branch) {
    Path target = file(xid);
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, "prepare", ".tmp");
      try (OutputStream out = Files.newOutputStream(temp);
          ObjectOutputStream objects = new ObjectOutputStream(out)) {
        objects.writeObject(branch);
      }
      fsync(temp, StandardOpenOption.WRITE);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsync(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save prepared branch " + target, e);
    }
  }

  public Optional<T> load(Xid xid) {
    Path file = file(xid);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file);
        ObjectInputStream objects = new ObjectInputStream(in)) {
      @SuppressWarnings("unchecked")
      T branch = (T) objects.readObject();
      return Optional.of(branch);
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read prepared branch " + file, e);
    }
  }

  public void delete(Xid xid) {
    try {
      Files.deleteIfExists(file(xid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The branches that were prepared and are still waiting for a decision. */
  public List<Xid> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(suffix))
          .map(name -> StoredXid.fromFileName(name.substring(0, name.length() - suffix.length())))
          .flatMap(Optional::stream)
          .map(Xid.class::cast)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(Xid xid) {
    return directory.resolve(StoredXid.of(xid).fileName() + suffix);
  }

  private static void fsync(Path path, StandardOpenOption mode) throws IOException {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      channel.force(true);
    }
  }
}
