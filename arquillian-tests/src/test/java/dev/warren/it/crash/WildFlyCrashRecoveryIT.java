package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.it.LocalPorts;
import dev.warren.it.WildFlyPorts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XA crash recovery on WildFly's transaction manager (Narayana), with the adapter's recovery
 * registered by its ironjacamar.xml and periodic recovery every 3 s. {@code -Dwarren.crash.kills=N}
 * sets the number of kills (2 in every build).
 */
class WildFlyCrashRecoveryIT {
  private static final int KILLS = Integer.getInteger("warren.crash.kills", 2);

  @Test
  void killedTransactionsAreCompletedWholeByRecovery() throws Exception {
    int amqpPort = LocalPorts.freePort();
    Path base = Path.of("target/crash-wildfly").toAbsolutePath();
    Path warrenData = base.resolve("warren-data");
    try (WildFlyServer server =
        new WildFlyServer(
            Path.of(System.getProperty("wildfly.home")),
            base,
            "standalone-full.xml",
            WildFlyPorts.freeOffset())) {
      server
          .systemProperty("ejb.resource-adapter-name", "warren-rar.rar")
          .systemProperty("warren.port", String.valueOf(amqpPort))
          .systemProperty("warren.bindAddress", "127.0.0.1")
          .systemProperty("warren.managementPort", "0")
          .systemProperty("warren.dataDirectory", warrenData.toString());
      server.install(Path.of("target/deps/warren-rar.rar"), CrashApplication.forWildFly());
      server.start();

      List<String> halfApplied =
          new CrashRun("WildFly", server, amqpPort, warrenData).killAndRecover(KILLS);

      assertEquals(List.of(), halfApplied);
    }
  }
}
