package dev.warren.it.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * WildFly with its own server base directory (configuration, deployments, data, transaction log)
 * under target/, so that restarts find the same files: the adapter (whose ironjacamar.xml registers
 * its recovery), an XA datasource on an H2 file database with recovery credentials, and the crash
 * application. Narayana's periodic recovery runs every few seconds instead of every two minutes.
 * The adapter's properties are system properties, given on the command line ({@link
 * #systemProperty}) or written into the configuration by the CLI ({@link #configure}).
 */
final class WildFlyServer extends ServerProcess {
  static final String DATASOURCE_JNDI = "java:/jdbc/WarrenCrash";

  private final Path home;
  private final Path base;
  private final String profile;
  private final int portOffset;
  private final Map<String, String> systemProperties = new LinkedHashMap<>();

  WildFlyServer(Path home, Path base, String profile, int portOffset) {
    this.home = home;
    this.base = base;
    this.profile = profile;
    this.portOffset = portOffset;
  }

  /** A -D option of every boot. */
  WildFlyServer systemProperty(String name, String value) {
    systemProperties.put(name, value);
    return this;
  }

  /**
   * Runs CLI commands against the installed configuration, in an embedded server (no boot of its
   * own, nothing listening), as an administrator would before starting the server.
   */
  void configure(List<String> commands) throws Exception {
    List<String> script = new ArrayList<>();
    script.add("embed-server --std-out=echo --server-config=" + profile);
    script.addAll(commands);
    script.add("stop-embedded-server");
    Path file = base.resolve("configure.cli");
    Files.write(file, script);
    Process cli =
        new ProcessBuilder(
                home.resolve("bin/jboss-cli.sh").toString(),
                "-Djboss.server.base.dir=" + base.toAbsolutePath(),
                "--file=" + file.toAbsolutePath())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    if (!cli.waitFor(3, TimeUnit.MINUTES) || cli.exitValue() != 0) {
      cli.destroyForcibly();
      throw new IllegalStateException("the CLI script failed; see " + log());
    }
  }

  /** A fresh base directory with the adapter, the datasource and the application deployed. */
  void install(Path rar, WebArchive application) throws IOException {
    deleteRecursively(base);
    Path configuration = base.resolve("configuration");
    Files.createDirectories(configuration);
    try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, configuration.resolve(file.getFileName()));
      }
    }
    Path deployments = Files.createDirectories(base.resolve("deployments"));
    Files.copy(rar, deployments.resolve("warren-rar.rar"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(deployments.resolve("warren-crash-ds.xml"), datasource());
    application.as(ZipExporter.class).exportTo(deployments.resolve("crash.war").toFile(), true);
  }

  private String datasource() {
    String url = "jdbc:h2:file:" + base.resolve("h2/crash").toAbsolutePath() + ";WRITE_DELAY=0";
    return """
        <datasources xmlns="http://www.jboss.org/ironjacamar/schema">
          <xa-datasource jndi-name="%s" pool-name="WarrenCrash">
            <xa-datasource-property name="URL">%s</xa-datasource-property>
            <driver>h2</driver>
            <security><user-name>sa</user-name><password>sa</password></security>
            <recovery>
              <recover-credential><user-name>sa</user-name><password>sa</password></recover-credential>
            </recovery>
          </xa-datasource>
        </datasources>
        """
        .formatted(DATASOURCE_JNDI, url);
  }

  Path base() {
    return base;
  }

  @Override
  Path markers() {
    return base.resolve("kill-markers");
  }

  @Override
  ProcessBuilder bootCommand() {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/standalone.sh").toString());
    command.add("-c");
    command.add(profile);
    command.add("-Djboss.server.base.dir=" + base.toAbsolutePath());
    command.add("-Djboss.socket.binding.port-offset=" + portOffset);
    command.add("-Dwarren.crash.markers=" + markers().toAbsolutePath());
    systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    // recovery every 3 s (default 120 s), second pass 1 s after the first (default 10 s)
    for (String prefix : List.of("com.arjuna.ats.arjuna.recovery.", "RecoveryEnvironmentBean.")) {
      command.add("-D" + prefix + "periodicRecoveryPeriod=3");
      command.add("-D" + prefix + "recoveryBackoffPeriod=1");
    }
    // No xaAssumeRecoveryComplete: it would let a recovery pass that runs before the adapter and
    // the datasource are deployed drop the transaction's log, and their branches then roll back.
    // The killing resource's own record stays unresolved (a warning each pass); the others commit.
    ProcessBuilder builder = new ProcessBuilder(command);
    // standalone.conf's own JAVA_OPTS (512 MB heap) apply; the script waits for the server
    builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
    return builder;
  }

  @Override
  Path log() {
    return base.resolve("console.log");
  }

  @Override
  URI api() {
    return URI.create("http://127.0.0.1:" + (8080 + portOffset) + "/crash/api/");
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
