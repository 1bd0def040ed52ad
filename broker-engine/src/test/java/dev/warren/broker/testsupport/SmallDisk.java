package dev.warren.broker.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small file system of its own (a tmpfs of a given size) that a test mounts on a new directory,
 * to run a broker on a disk that really fills up. Mounting needs root: without it the test is
 * skipped; with it, a mount that fails skips the test on a developer machine and fails it on CI
 * (environment variable {@code CI} set), where the tests run as root. Closing it unmounts that one
 * mount point and removes the directory; if a file there is still open, it detaches the mount
 * lazily and fails.
 */
public final class SmallDisk implements AutoCloseable {
  private static final String FILLER = "filler";

  private final Path mountPoint;
  private boolean mounted;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code bytes} on a new directory under {@code parent}. */
  public static SmallDisk mount(Path parent, long bytes) throws IOException, InterruptedException {
    HostCommands.requireRoot("mounting a small file system");
    Path mountPoint = Files.createTempDirectory(parent, "small-disk-");
    SmallDisk disk = new SmallDisk(mountPoint);
    String failure =
        HostCommands.run(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + bytes,
            "warren-small-disk",
            mountPoint.toString());
    if (failure != null) {
      Files.delete(mountPoint);
      HostCommands.skipOrFail("cannot mount a tmpfs: " + failure);
    }
    disk.mounted = true;
    return disk;
  }

  /** The mounted directory. */
  public Path path() {
    return mountPoint;
  }

  /** Free bytes left on this file system. */
  public long free() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /**
   * Takes space with a filler file until at most {@code leave} bytes are free (the file grows each
   * call; {@link #freeFiller} gives it all back).
   */
  public void fill(long leave) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    try (FileChannel filler =
        FileChannel.open(
            mountPoint.resolve(FILLER),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      for (long free = free(); free > leave; free = free()) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), free - leave));
        try {
          filler.write(chunk);
        } catch (IOException full) {
          return; // "No space left on device": as full as it gets
        }
      }
    }
  }

  /** Deletes the filler file: the space it took is free again. */
  public void freeFiller() throws IOException {
    Files.deleteIfExists(mountPoint.resolve(FILLER));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (mounted) {
      String failure = HostCommands.run("umount", mountPoint.toString());
      if (failure != null) {
        // Something still holds a file there (a leak worth failing for): detach it all the same.
        HostCommands.run("umount", "--lazy", mountPoint.toString());
        mounted = false;
        Files.deleteIfExists(mountPoint);
        throw new IOException("cannot unmount " + mountPoint + " (detached lazily): " + failure);
      }
      mounted = false;
    }
    Files.deleteIfExists(mountPoint);
  }
}
