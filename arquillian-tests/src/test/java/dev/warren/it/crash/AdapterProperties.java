package dev.warren.it.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.it.LocalPorts;
import dev.warren.it.crash.app.CrashConsumer;
import dev.warren.it.crash.app.CrashPublisher;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Non-default values for every adapter property, and the checks that each one reached the adapter,
 * for the configuration tests of every server. The adapter logs in as {@code app} from a
 * definitions file; {@code ops} is a second user of that file and {@code guest} does not exist.
 */
final class AdapterProperties {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final String USER = "app";
  static final String PASSWORD = "app-secret";
  private static final String DEFINITIONS =
      """
      {"users": [{"name": "app", "password": "app-secret", "tags": "administrator"},
                 {"name": "ops", "password": "ops-secret", "tags": ""}],
       "vhosts": [{"name": "/"}],
       "permissions": [{"user": "app", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
                       {"user": "ops", "vhost": "/", "configure": "", "write": "", "read": ".*"}]}
      """;

  private AdapterProperties() {}

  /** Non-default values for every property of the adapter. */
  static Map<String, String> nonDefault(
      Path base, String fsync, String watermark, String diskFreeLimit) throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("warren.port", String.valueOf(LocalPorts.freePort()));
    properties.put("warren.bindAddress", "127.0.0.1");
    properties.put("warren.dataDirectory", base.resolve("broker-data").toString());
    properties.put("warren.definitionsFile", base.resolve("definitions.json").toString());
    properties.put("warren.defaultUser", "app");
    properties.put("warren.defaultPassword", "app-secret");
    properties.put("warren.fsync", fsync);
    properties.put("warren.memoryHighWatermark", watermark);
    properties.put("warren.diskFreeLimit", diskFreeLimit);
    properties.put("warren.managementPort", String.valueOf(LocalPorts.freePort()));
    properties.put("warren.managementBindAddress", "127.0.0.1");
    properties.put("warren.prometheusPort", String.valueOf(LocalPorts.freePort()));
    properties.put("warren.confirmTimeout", "25000");
    return properties;
  }

  /**
   * What the README tells a Payara user to run, as asadmin commands (for asadmin itself, or one per
   * line of Payara Micro's post-boot file): the adapter's configuration with these properties
   * (named {@code warren.<property>}), the deploy of {@code rar}, the XA connection pool and its
   * resource {@code jca/warren/ConnectionFactory}.
   */
  static List<List<String>> asadminCommands(Map<String, String> properties, Path rar) {
    StringBuilder list = new StringBuilder();
    properties.forEach(
        (name, value) -> {
          if (list.length() > 0) {
            list.append(':');
          }
          list.append(name.substring("warren.".length())).append('=').append(escape(value));
        });
    return List.of(
        List.of("create-resource-adapter-config", "--property", list.toString(), "warren-rar"),
        List.of("deploy", "--name", "warren-rar", "--type", "rar", rar.toString()),
        List.of(
            "create-connector-connection-pool",
            "--raname",
            "warren-rar",
            "--connectiondefinition",
            "dev.warren.rar.api.AmqpConnectionFactory",
            "--transactionsupport",
            "XATransaction",
            "warren-pool"),
        List.of(
            "create-connector-resource",
            "--poolname",
            "warren-pool",
            "jca/warren/ConnectionFactory"));
  }

  /** asadmin property lists separate with ':' and '='; a value's own are escaped. */
  static String escape(String value) {
    return value.replace(":", "\\:").replace("=", "\\=");
  }

  static void writeDefinitions(Path base) throws IOException {
    Files.writeString(base.resolve("definitions.json"), DEFINITIONS);
  }

  /** Checks each value from outside: logins, listener, files, and the adapter's start line. */
  static void assertTookEffect(ServerProcess server, Path serverLog, Map<String, String> properties)
      throws Exception {
    int port = Integer.parseInt(properties.get("warren.port"));
    // port, definitionsFile, defaultUser/defaultPassword: only the users of the file exist
    try (Connection app = connect("127.0.0.1", port, "app", "app-secret")) {
      assertTrue(app.isOpen());
    }
    try (Connection ops = connect("127.0.0.1", port, "ops", "ops-secret")) {
      assertTrue(ops.isOpen());
    }
    assertThrows(
        AuthenticationFailureException.class,
        () -> connect("127.0.0.1", port, "guest", "guest").close());
    // bindAddress: another loopback address reaches no listener
    assertThrows(ConnectException.class, () -> connect("127.0.0.2", port, "app", "app-secret"));
    // managementPort, managementBindAddress: the API answers the definitions file's administrator
    int managementPort = Integer.parseInt(properties.get("warren.managementPort"));
    assertEquals(200, overviewStatus("127.0.0.1", managementPort));
    assertThrows(ConnectException.class, () -> overviewStatus("127.0.0.2", managementPort));
    // prometheusPort (off by default): RabbitMQ's metrics, on the management bind address
    int prometheusPort = Integer.parseInt(properties.get("warren.prometheusPort"));
    HttpResponse<String> metrics = metrics("127.0.0.1", prometheusPort);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("rabbitmq_identity_info{"), metrics.body());
    assertThrows(ConnectException.class, () -> metrics("127.0.0.2", prometheusPort));
    // dataDirectory
    Path data = Path.of(properties.get("warren.dataDirectory"));
    assertTrue(Files.exists(data.resolve("topology.log")), "store in " + data);
    // fsync, the alarm limits and the confirm timeout are stated in the adapter's start line
    String log = Files.readString(serverLog);
    String started =
        Arrays.stream(log.split("\n"))
            .filter(line -> line.contains("Warren adapter started"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no start line in the server log"));
    for (String expected :
        List.of(
            "AMQP port " + port + " on 127.0.0.1",
            "management port " + managementPort + " on 127.0.0.1",
            "Prometheus port " + prometheusPort,
            "data " + data,
            "user app",
            "definitions " + properties.get("warren.definitionsFile"),
            "fsync " + properties.get("warren.fsync"),
            "memory high watermark " + properties.get("warren.memoryHighWatermark"),
            "disk free limit " + properties.get("warren.diskFreeLimit") + " bytes",
            "confirm timeout " + properties.get("warren.confirmTimeout") + " ms")) {
      assertTrue(started.contains(expected), started + " should say " + expected);
    }
    assertTheApplicationWorks(server, port);
  }

  /** GET /api/overview as the adapter's user, through the management listener. */
  private static int overviewStatus(String host, int port) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/overview"))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** GET /metrics: no authentication, as RabbitMQ's Prometheus endpoint. */
  private static HttpResponse<String> metrics(String host, int port) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The MDB consumes (so Warren is its resource adapter) and the EJB's publish arrives. */
  private static void assertTheApplicationWorks(ServerProcess server, int port) throws Exception {
    try (Connection connection = connect("127.0.0.1", port, "app", "app-secret")) {
      Channel channel = connection.createChannel();
      channel.basicPublish(
          "",
          CrashConsumer.QUEUE,
          new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
          "config-in".getBytes(StandardCharsets.UTF_8));
      Deadline.await(
          TIMEOUT,
          "the MDB's row",
          () -> {
            try {
              return server.get("rows/crash_inbound").contains("config-in");
            } catch (Exception e) {
              return false;
            }
          });
      server.post("outbound/config-out/" + CrashPublisher.KillPoint.NONE);
      GetResponse published = channel.basicGet(CrashPublisher.QUEUE, true);
      assertEquals("config-out", new String(published.getBody(), StandardCharsets.UTF_8));
    }
  }

  static Connection connect(String host, int port, String user, String password) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setConnectionTimeout(5_000);
    return factory.newConnection("WildFlyConfigurationIT");
  }
}
