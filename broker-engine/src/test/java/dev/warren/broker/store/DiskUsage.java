package dev.warren.broker.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** How many bytes the files under a directory hold, while a broker may be changing them. */
final class DiskUsage {
  private DiskUsage() {}

  /** The size of the regular files under {@code directory} (0 if it does not exist). */
  static long bytesIn(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return 0;
    }
    long[] bytes = {0};
    Files.walkFileTree(
        directory,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            bytes[0] += attributes.isRegularFile() ? attributes.size() : 0;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException gone) {
            return FileVisitResult.CONTINUE; // deleted while we walked: it counts as nothing
          }
        });
    return bytes[0];
  }
}
