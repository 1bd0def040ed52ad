package dev.warren.it.crash;

import dev.warren.it.LocalPorts;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Payara Server (the full server) with a domain of its own under target/, on ports from a free port
 * base (create-domain --portbase: admin base+48, HTTP base+80, ...), configured with asadmin
 * exactly as the README tells a user. It runs in the foreground (start-domain --verbose), so that a
 * kill of the server is seen as the end of that process and a restart finds the same domain.
 */
final class PayaraServer extends ServerProcess {
  static final String DOMAIN = "warren";

  private final Path home;
  private final Path base;
  private final int portBase;

  PayaraServer(Path home, Path base) {
    this.home = home;
    this.base = base;
    this.portBase = freePortBase();
  }

  /** A new domain (admin without password, Hazelcast off: one server, fewer ports). */
  void createDomain() throws Exception {
    WildFlyServer.deleteRecursively(base);
    Files.createDirectories(base);
    asadminOffline(
        "create-domain",
        "--nopassword=true",
        "--portbase",
        String.valueOf(portBase),
        "--domaindir",
        domains().toString(),
        DOMAIN);
  }

  /** Starts the domain in the background (asadmin returns once it runs), for its set-up. */
  void startForSetUp() throws Exception {
    asadminOffline("start-domain", "--domaindir", domains().toString(), DOMAIN);
    Path pidFile = domains().resolve(DOMAIN).resolve("config/pid");
    attach(Long.parseLong(Files.readString(pidFile).strip()));
  }

  /** Stops the domain cleanly (asadmin stop-domain), e.g. to apply a changed property. */
  void stopDomain() throws Exception {
    asadminOffline("stop-domain", "--domaindir", domains().toString(), DOMAIN);
  }

  /** One asadmin command against the running server; fails the test if it fails. */
  String asadmin(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("--port");
    command.add(String.valueOf(adminPort()));
    command.addAll(List.of(arguments));
    return run(command);
  }

  private void asadminOffline(String... arguments) throws Exception {
    run(List.of(arguments));
  }

  private String run(List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/asadmin").toString());
    command.add("--interactive=false");
    command.addAll(arguments);
    Path output = Files.createTempFile(base, "asadmin", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    String text = Files.readString(output);
    Files.writeString(
        log(),
        "$ asadmin " + String.join(" ", arguments) + "\n" + text,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Files.delete(output);
    if (!finished || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "asadmin " + String.join(" ", arguments) + " failed: " + text);
    }
    return text;
  }

  Path domains() {
    return base.resolve("domains");
  }

  Path base() {
    return base;
  }

  int adminPort() {
    return portBase + 48;
  }

  @Override
  ProcessBuilder bootCommand() {
    return new ProcessBuilder(
        home.resolve("bin/asadmin").toString(),
        "start-domain",
        "--verbose",
        "--domaindir",
        domains().toString(),
        DOMAIN);
  }

  @Override
  Path log() {
    return base.resolve("console.log");
  }

  /** In the domain's directory, where the crash application puts them on Payara. */
  @Override
  Path markers() {
    return domains().resolve(DOMAIN).resolve("kill-markers");
  }

  @Override
  URI api() {
    return URI.create("http://127.0.0.1:" + (portBase + 80) + "/crash/api/");
  }

  /** A multiple of 100 whose 100 ports are all free, below the ephemeral range. */
  private static int freePortBase() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int candidate = ThreadLocalRandom.current().nextInt(100, 320) * 100;
      if (LocalPorts.allFree(candidate, 100)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port base for Payara Server");
  }
}
