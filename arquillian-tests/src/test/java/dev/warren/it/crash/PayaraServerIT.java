package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

/**
 * Payara Server, the full server: a new domain set up with the README's asadmin commands (every
 * adapter property with a non-default value, automatic transaction recovery, an H2 XA pool), then
 * every property checked, then XA crash recovery: {@code -Dwarren.crash.kills=N} kills (2 in every
 * build), each followed by a restart whose recovery must complete the killed transaction whole.
 */
class PayaraServerIT {
  private static final int KILLS = Integer.getInteger("warren.crash.kills", 2);

  @Test
  void readmeCommandsConfigureEveryPropertyAndRecoveryCompletesKilledTransactions()
      throws Exception {
    Path base = Path.of("target/payara-server").toAbsolutePath();
    try (PayaraServer server = new PayaraServer(Path.of(System.getProperty("payara.home")), base)) {
      server.createDomain();
      server.startForSetUp();
      AdapterProperties.writeDefinitions(base);
      Map<String, String> properties =
          AdapterProperties.nonDefault(base, "interval", "0.5", "3000000");
      setUp(server, base, properties);

      AdapterProperties.assertTookEffect(
          server, server.domains().resolve("warren/logs/server.log"), properties);

      // asadmin set restarts the adapter at once but leaves its connection pool without metadata
      // ("No Pool Meta Data object associated with the pool") until the domain restarts
      server.asadmin("set", "resources.resource-adapter-config.warren-rar.property.fsync=always");
      server.stopDomain();
      server.start();
      int amqpPort = Integer.parseInt(properties.get("warren.port"));
      Path warrenData = Path.of(properties.get("warren.dataDirectory"));
      List<String> halfApplied =
          new CrashRun("Payara Server", server, amqpPort, warrenData)
              .loggingInAs(AdapterProperties.USER, AdapterProperties.PASSWORD)
              .killAndRecover(KILLS);
      assertEquals(List.of(), halfApplied);
      String log = Files.readString(server.domains().resolve("warren/logs/server.log"));
      String lastStart = log.substring(log.lastIndexOf("Warren adapter started"));
      assertTrue(lastStart.contains("fsync always"), lastStart);
    }
  }

  /** What the README tells a Payara Server user to run, then the test's datasource and app. */
  private static void setUp(PayaraServer server, Path base, Map<String, String> properties)
      throws Exception {
    server.asadmin(
        "set", "configs.config.server-config.transaction-service.automatic-recovery=true");
    for (List<String> command :
        AdapterProperties.asadminCommands(
            properties, Path.of("target/deps/warren-rar.rar").toAbsolutePath())) {
      server.asadmin(command.toArray(String[]::new));
    }
    server.asadmin(
        "create-jdbc-connection-pool",
        "--datasourceclassname",
        "org.h2.jdbcx.JdbcDataSource",
        "--restype",
        "javax.sql.XADataSource",
        "--property",
        "user=sa:password=sa:url="
            + AdapterProperties.escape(
                "jdbc:h2:file:" + base.resolve("h2/crash") + ";WRITE_DELAY=0"),
        "crash-pool");
    server.asadmin("create-jdbc-resource", "--connectionpoolid", "crash-pool", "jdbc/crash");
    Path war = base.resolve("crash.war");
    CrashApplication.forPayara().as(ZipExporter.class).exportTo(war.toFile(), true);
    server.asadmin("deploy", war.toString());
  }
}
