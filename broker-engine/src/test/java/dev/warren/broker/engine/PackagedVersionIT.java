package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jars built by {@code mvn package} carry Warren's version in their manifests, and the runnable
 * one prints it with {@code --version}. Run by failsafe, after the jars exist.
 */
class PackagedVersionIT {
  private static final Path TARGET = Path.of("target");

  @Test
  void theRunnableJarPrintsTheVersionFromItsManifest() throws Exception {
    Path jar = TARGET.resolve("warren-broker.jar");
    String version = manifestVersion(jar);

    Process process =
        new ProcessBuilder(javaBin(), "-jar", jar.toString(), "--version")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits");
    assertTrue(output.startsWith("Warren " + version + System.lineSeparator()), output);
    assertTrue(output.contains("RabbitMQ " + BrokerVersion.RABBITMQ + " "), output);
  }

  @Test
  void theLibraryJarThatTheAdapterEmbedsCarriesTheSameVersion() throws IOException {
    Path library;
    try (Stream<Path> jars = Files.list(TARGET)) {
      library =
          jars.filter(p -> p.getFileName().toString().matches("broker-engine-.*(?<!tests)\\.jar"))
              .findFirst()
              .orElseThrow();
    }
    assertEquals(manifestVersion(TARGET.resolve("warren-broker.jar")), manifestVersion(library));
  }

  private static String manifestVersion(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      String version = file.getManifest().getMainAttributes().getValue("Implementation-Version");
      assertNotNull(version, jar + " has no Implementation-Version");
      assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
      return version;
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
