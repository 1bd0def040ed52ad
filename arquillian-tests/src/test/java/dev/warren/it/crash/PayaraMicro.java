package dev.warren.it.crash;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A Payara Micro instance as a child process, in a directory of its own: Hazelcast off, the built
 * adapter deployed by post-boot commands with the given adapter properties (named {@code
 * warren.<property>}), then one application whose REST root is {@code /<contextRoot>/api/}.
 */
final class PayaraMicro extends ServerProcess {
  private final Path base;
  private final int httpPort;
  private final String contextRoot;

  PayaraMicro(
      Path base, int httpPort, Map<String, String> adapterProperties, WebArchive application)
      throws IOException {
    this.base = base;
    this.httpPort = httpPort;
    this.contextRoot = application.getName().replaceFirst("\\.war$", "");
    Files.createDirectories(base);
    String commands =
        AdapterProperties.asadminCommands(
                adapterProperties, Path.of("target/deps/warren-rar.rar").toAbsolutePath())
            .stream()
            .map(command -> String.join(" ", command))
            .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(postBootCommands(), commands);
    application.as(ZipExporter.class).exportTo(war().toFile(), true);
  }

  @Override
  ProcessBuilder bootCommand() {
    return new ProcessBuilder(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-jar",
            Path.of("target/deps/payara-micro.jar").toAbsolutePath().toString(),
            "--nohazelcast",
            "--disablephonehome",
            "--rootdir",
            base.resolve("root").toString(),
            "--port",
            String.valueOf(httpPort),
            "--postbootcommandfile",
            postBootCommands().toString(),
            "--deploy",
            war().toString()));
  }

  private Path postBootCommands() {
    return base.resolve("post-boot-commands.asadmin");
  }

  private Path war() {
    return base.resolve(contextRoot + ".war");
  }

  @Override
  Path log() {
    return base.resolve("console.log");
  }

  /** Where KillSwitch puts them on Payara: in the instance's root directory. */
  @Override
  Path markers() {
    return base.resolve("root").resolve("kill-markers");
  }

  @Override
  URI api() {
    return URI.create("http://127.0.0.1:" + httpPort + "/" + contextRoot + "/api/");
  }
}
