package dev.warren.it.crash;

import dev.warren.it.WildFlyPorts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every adapter property set on WildFly, in both profiles, the two ways the README gives: system
 * properties on the command line (read by the expressions of the adapter's ironjacamar.xml) with
 * standalone-full.xml, and the CLI (system properties and the EJB subsystem's default resource
 * adapter, which the plain standalone.xml needs) with standalone.xml. Each boot checks that every
 * value took effect and that an MDB and a publishing EJB work.
 */
class WildFlyConfigurationIT {
  @Test
  void fullProfileTakesEveryPropertyFromSystemProperties() throws Exception {
    Path base = Path.of("target/config-wildfly-full").toAbsolutePath();
    Map<String, String> properties = AdapterProperties.nonDefault(base, "never", "0.55", "2000000");
    try (WildFlyServer server =
        new WildFlyServer(
            Path.of(System.getProperty("wildfly.home")),
            base,
            "standalone-full.xml",
            WildFlyPorts.freeOffset())) {
      server.install(Path.of("target/deps/warren-rar.rar"), CrashApplication.forWildFly());
      AdapterProperties.writeDefinitions(base);
      server.systemProperty("ejb.resource-adapter-name", "warren-rar.rar");
      properties.forEach(server::systemProperty);
      server.start();
      AdapterProperties.assertTookEffect(server, base.resolve("log/server.log"), properties);
    }
  }

  @Test
  void plainProfileTakesEveryPropertyAndTheDefaultAdapterFromTheCli() throws Exception {
    Path base = Path.of("target/config-wildfly-plain").toAbsolutePath();
    Map<String, String> properties =
        AdapterProperties.nonDefault(base, "interval", "0.45", "1000000");
    try (WildFlyServer server =
        new WildFlyServer(
            Path.of(System.getProperty("wildfly.home")),
            base,
            "standalone.xml",
            WildFlyPorts.freeOffset())) {
      server.install(Path.of("target/deps/warren-rar.rar"), CrashApplication.forWildFly());
      AdapterProperties.writeDefinitions(base);
      List<String> commands = new java.util.ArrayList<>();
      commands.add(
          "/subsystem=ejb3:write-attribute(name=default-resource-adapter-name,"
              + " value=warren-rar.rar)");
      properties.forEach(
          (name, value) ->
              commands.add("/system-property=" + name + ":add(value=\"" + value + "\")"));
      server.configure(commands);
      server.start();
      AdapterProperties.assertTookEffect(server, base.resolve("log/server.log"), properties);
    }
  }
}
