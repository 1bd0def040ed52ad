package dev.warren.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.SecurityConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's loopback_users, tested from a real non-loopback address: the test creates a network
 * namespace joined to this one by a veth pair, and runs pika inside it. Needs root and iproute2;
 * skipped with the reason otherwise. The namespace (and with it the veth pair) is removed after.
 */
class LoopbackUsersTest {
  private static final long COMMAND_SECONDS = 30;

  @TempDir static Path dir;
  private static String namespace;
  private static String hostSide;
  private static String hostAddress;
  private static String clientAddress;
  private static BrokerEngine defaultBroker;
  private static BrokerEngine openBroker;

  @BeforeAll
  static void createNamespace() throws Exception {
    assumeTrue(
        run(List.of("/usr/bin/python3", "-c", "import pika")) == 0,
        "python3-pika is not installed");
    int id = ThreadLocalRandom.current().nextInt(1, 250);
    namespace = "warren-lb-" + ProcessHandle.current().pid() + "-" + id;
    hostSide = "wlb" + id + "h" + (ProcessHandle.current().pid() % 1000);
    String clientSide = "wlb" + id + "c" + (ProcessHandle.current().pid() % 1000);
    hostAddress = "10.213." + id + ".1";
    clientAddress = "10.213." + id + ".2";
    if (run(List.of("ip", "netns", "add", namespace)) != 0) {
      namespace = null;
      assumeTrue(false, "cannot create a network namespace (needs root and iproute2): skipped");
    }
    require("ip", "link", "add", hostSide, "type", "veth", "peer", "name", clientSide);
    require("ip", "link", "set", clientSide, "netns", namespace);
    require("ip", "addr", "add", hostAddress + "/30", "dev", hostSide);
    require("ip", "link", "set", hostSide, "up");
    require(
        "ip",
        "netns",
        "exec",
        namespace,
        "ip",
        "addr",
        "add",
        clientAddress + "/30",
        "dev",
        clientSide);
    require("ip", "netns", "exec", namespace, "ip", "link", "set", clientSide, "up");
    require("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");

    Path definitions =
        SecurityFixture.definitions(
            dir,
            """
            {"users": [{"name": "guest", "password": "guest"}, {"name": "remote", "password": "pw"}],
             "vhosts": [{"name": "/"}],
             "permissions": [
               {"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
               {"user": "remote", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]}
            """);
    SecurityConfig security = SecurityConfig.defaults().withDefinitionsFile(definitions);
    defaultBroker = start(security, "default");
    openBroker = start(security.withLoopbackUsers(Set.of()), "open");
  }

  @AfterAll
  static void removeNamespace() throws Exception {
    if (defaultBroker != null) {
      defaultBroker.close();
    }
    if (openBroker != null) {
      openBroker.close();
    }
    if (namespace != null) {
      run(List.of("ip", "netns", "del", namespace));
      // gone with its peer if that reached the namespace; otherwise removed here
      run(List.of("ip", "link", "del", hostSide));
    }
  }

  @Test
  void guestFromAnotherHostIsRefused() throws Exception {
    assertTrue(login(defaultBroker, "guest", "guest").startsWith("REFUSED"));
  }

  @Test
  void otherUsersFromAnotherHostAreAccepted() throws Exception {
    assertEquals("CONNECTED", login(defaultBroker, "remote", "pw"));
  }

  @Test
  void anEmptyLoopbackUsersListLetsGuestInFromAnywhere() throws Exception {
    assertEquals("CONNECTED", login(openBroker, "guest", "guest"));
  }

  private static BrokerEngine start(SecurityConfig security, String name) throws IOException {
    return BrokerEngine.start(
        BrokerConfig.defaults()
            .withBindAddress(hostAddress)
            .withPort(0)
            .withDataDir(Files.createDirectories(dir.resolve("data-" + name)))
            .withSecurity(security));
  }

  /** Runs pika inside the namespace, against the broker's address on the veth pair. */
  private static String login(BrokerEngine broker, String user, String password) throws Exception {
    String moduleDir = System.getProperty("basedir", System.getProperty("user.dir"));
    Path output = dir.resolve("login-" + System.nanoTime() + ".out");
    Process process =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespace,
                "/usr/bin/python3",
                Path.of(moduleDir, "src", "test", "python", "login_check.py").toString(),
                "--host=" + hostAddress,
                "--port=" + broker.amqpPort(),
                "--user=" + user,
                "--password=" + password)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("pika did not finish: " + Files.readString(output));
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
    assertEquals(0, process.exitValue(), printed);
    return printed;
  }

  private static void require(String... command) throws Exception {
    int exit = run(List.of(command));
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
    }
  }

  private static int run(List<String> command) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException notInstalled) {
      return -1;
    }
    if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
