package dev.warren.broker.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.json.Json;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.RabbitMqNode.CtlResult;
import dev.warren.broker.testsupport.RabbitMqNode.Plugin;
import dev.warren.broker.testsupport.RabbitmqctlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * warrenctl against rabbitmqctl on one RabbitMQ node with the management plugin: for the same
 * state, both must print the same informational lines, header and rows (in any order: neither
 * promises one), the same JSON, and fail alike. Each test works in a vhost of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarrenCtlDifferentialTest {

  private RabbitMqNode node;
  private RabbitmqctlSession ctl;
  private String url;
  private ConnectionFactory factory;

  @BeforeAll
  void startNode() {
    // the comparisons wait for the API's figures: collected every 500 ms and kept per second
    // rather than every 5 s
    node =
        RabbitMqNode.start(
            Map.of(
                "collect_statistics_interval", "500",
                "management.sample_retention_policies.global.minute", "1",
                "management.sample_retention_policies.basic.minute", "1",
                "management.sample_retention_policies.detailed.10", "1"),
            Plugin.MANAGEMENT);
    ctl = node.rabbitmqctlSession();
    url = "http://" + node.host() + ":" + node.managementPort() + "/";
    factory = new ConnectionFactory();
    factory.setHost(node.host());
    factory.setPort(node.amqpPort());
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void listQueuesPrintsWhatRabbitmqctlPrintsInEveryColumnAndForm() throws Exception {
    String vhost = newVhost("queues");
    factory.setVirtualHost(vhost);
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("durable-q", true, false, false, null);
      // one argument each: RabbitMQ keeps a field table in no order that the API shows
      channel.queueDeclare("with-ttl", false, false, false, Map.of("x-message-ttl", 60_000L));
      channel.queueDeclare(
          "with-dlx", false, false, false, Map.of("x-dead-letter-exchange", "dlx"));
      channel.queueDeclare(
          "with-sac", false, false, false, Map.of("x-single-active-consumer", true));
      channel.queueDeclare("tab\tand \"quotes\"", true, false, false, null);
      for (int i = 0; i < 3; i++) {
        channel.basicPublish(
            "", "durable-q", MessageProperties.PERSISTENT_TEXT_PLAIN, ("m" + i).getBytes());
      }
      channel.basicPublish("", "with-ttl", null, "x".getBytes());
      awaitQueueDepth(vhost, "durable-q", 3);
      ctl.rabbitmqctl("set_policy", "-p", vhost, "lengths", "^durable", "{\"max-length\":100}");
      awaitPolicy(vhost, "durable-q", "lengths");

      assertSameTable("list_queues", "-p", vhost);
      assertSameTable(
          "list_queues",
          "-p",
          vhost,
          "name",
          "messages",
          "messages_ready",
          "messages_unacknowledged",
          "consumers",
          "durable",
          "auto_delete",
          "exclusive",
          "arguments",
          "policy",
          "state",
          "type");
      assertSameTable("list_queues", "-p", vhost, "name,durable");
      assertSameTable("list_queues", "-q", "-p", vhost, "name", "arguments");
      assertSameTable("list_queues", "-s", "-p", vhost);
      assertSameTable("list_queues", "--no-table-headers", "-p", vhost, "name", "durable");
      assertSameJson("list_queues", "-p", vhost, "name", "messages", "durable", "arguments");
    }
  }

  @Test
  void emptyListsFollowRabbitmqctlsTwoConventions() {
    String vhost = newVhost("empty");
    for (String list :
        List.of(
            "list_queues",
            "list_bindings",
            "list_consumers",
            "list_policies",
            "list_permissions")) {
      assertSameTable(list, "-p", vhost);
      assertSameJson(list, "-p", vhost);
    }
    assertSameTable("list_queues", "-p", "no-such-vhost");
  }

  @Test
  void exchangesAndBindingsMatch() throws Exception {
    String vhost = newVhost("exchanges");
    factory.setVirtualHost(vhost);
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      channel.exchangeDeclare("logs", "topic", true);
      channel.exchangeDeclare("ae-user", "fanout", false, true, Map.of("alternate-exchange", "ae"));
      channel.queueDeclare("kern", true, false, false, null);
      channel.queueBind("kern", "logs", "kern.#");
      channel.queueBind("kern", "logs", "h", Map.of("x-match", "all"));
      channel.exchangeBind("ae-user", "logs", "*.critical");
    }
    assertSameTable("list_exchanges", "-p", vhost);
    assertSameTable(
        "list_exchanges",
        "-p",
        vhost,
        "name",
        "type",
        "durable",
        "auto_delete",
        "internal",
        "arguments",
        "policy");
    assertSameJson("list_exchanges", "-p", vhost, "name", "type", "arguments");
    assertSameTable("list_bindings", "-p", vhost);
    assertSameTable("list_bindings", "-p", vhost, "source_name", "routing_key", "arguments");
    assertSameJson("list_bindings", "-p", vhost);
  }

  @Test
  void connectionsChannelsAndConsumersMatchButForProcessIds() throws Exception {
    String vhost = newVhost("clients");
    factory.setVirtualHost(vhost);
    factory.setClientProperties(Map.of("connection_name", "ctl-test", "product", "warrenctl test"));
    try (Connection connection = factory.newConnection();
        Channel consuming = connection.createChannel();
        Channel idle = connection.createChannel()) {
      consuming.queueDeclare("work", false, false, false, null);
      consuming.basicQos(7);
      consuming.basicConsume(
          "work",
          false,
          "ctag-1",
          false,
          false,
          Map.of("x-priority", 5L),
          new DefaultConsumer(consuming));
      idle.confirmSelect();
      awaitConsumers(vhost, 1);
      await(
          () -> warrenctl("list_connections", "-s", "channels").lines().equals(List.of("2")),
          "the connection's channels");

      assertSameTable("list_connections");
      assertSameTable(
          "list_connections",
          "name",
          "user",
          "vhost",
          "peer_host",
          "peer_port",
          "host",
          "port",
          "state",
          "channels",
          "protocol",
          "auth_mechanism",
          "ssl",
          "frame_max",
          "channel_max",
          "timeout");
      assertSameJson("list_connections", "name", "user", "peer_host", "protocol");
      assertSameTable(
          "list_channels",
          "name",
          "number",
          "user",
          "vhost",
          "transactional",
          "confirm",
          "consumer_count",
          "messages_unacknowledged",
          "prefetch_count",
          "global_prefetch_count");
      assertSameTable(
          "list_consumers",
          "-p",
          vhost,
          "queue_name",
          "consumer_tag",
          "ack_required",
          "prefetch_count",
          "active",
          "activity_status",
          "arguments");
      assertSameJson("list_consumers", "-p", vhost, "queue_name", "consumer_tag", "arguments");

      // process ids have no counterpart in the API: those columns name the channel instead
      CtlRun channels = warrenctl("list_channels", "-s", "pid", "name");
      for (String row : channels.lines()) {
        String[] cells = row.split("\t");
        assertEquals(cells[1], cells[0], row);
      }
      CtlRun consumers = warrenctl("list_consumers", "-s", "-p", vhost, "channel_pid");
      assertEquals(1, consumers.lines().size(), consumers.out());
      assertTrue(
          consumers.lines().get(0).matches("127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+ \\(1\\)"),
          consumers.out());
      CtlRun properties = warrenctl("list_connections", "-s", "client_properties");
      assertTrue(properties.out().contains("{\"connection_name\",\"ctl-test\"}"), properties.out());
    } finally {
      factory.setClientProperties(new ConnectionFactory().getClientProperties());
    }
  }

  @Test
  void usersVhostsAndPermissionsMatch() {
    String vhost = newVhost("access");
    ctl.rabbitmqctl("add_user", "reader", "secret");
    ctl.rabbitmqctl("set_user_tags", "reader", "monitoring", "management");
    ctl.rabbitmqctl("set_permissions", "-p", vhost, "reader", "^$", "^$", ".*");
    ctl.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    try {
      assertSameTable("list_users");
      assertSameJson("list_users");
      assertSameTable("list_vhosts");
      assertSameTable("list_vhosts", "name", "tracing");
      assertSameJson("list_vhosts", "name");
      assertSameTable("list_permissions", "-p", vhost);
      assertSameJson("list_permissions", "-p", vhost);
    } finally {
      ctl.rabbitmqctl("delete_user", "reader");
    }
  }

  @Test
  void policiesMatchInBothFormats() {
    String vhost = newVhost("policies");
    ctl.rabbitmqctl(
        "set_policy",
        "-p",
        vhost,
        "--priority",
        "3",
        "--apply-to",
        "queues",
        "ttl",
        "^t\\.",
        "{\"message-ttl\":5000,\"dead-letter-exchange\":\"dlx\"}");
    assertSameTable("list_policies", "-p", vhost);
    assertSameJson("list_policies", "-p", vhost);
  }

  @Test
  void writeCommandsSayWhatRabbitmqctlSaysAndChangeTheSameThings() {
    String vhost = newVhost("writes");
    // each command once through rabbitmqctl on one name and once through warrenctl on another
    assertSameMessages("add_vhost", "{}-vhost");
    assertSameMessages("add_user", "{}-user", "pw");
    assertSameMessages("change_password", "{}-user", "pw2");
    assertSameMessages("set_user_tags", "{}-user", "management", "policymaker");
    assertSameMessages("set_permissions", "-p", vhost, "{}-user", "^a", "^b", "^c");
    assertSameTable("list_permissions", "-p", vhost);
    assertSameTable("list_users");
    assertSameMessages("clear_permissions", "-p", vhost, "{}-user");
    assertSameMessages(
        "set_policy", "-p", vhost, "--priority", "2", "{}-policy", "^x", "{\"max-length\":3}");
    assertSameTable("list_policies", "-p", vhost);
    assertSameMessages("clear_policy", "-p", vhost, "{}-policy");
    assertSameMessages("delete_user", "{}-user");
    assertSameMessages("delete_vhost", "{}-vhost");
    assertSameTable("list_vhosts");

    // the password that warrenctl set is the one that logs in
    warrenctl("add_user", "ctl-login", "first");
    warrenctl("change_password", "ctl-login", "second");
    warrenctl("set_user_tags", "ctl-login", "administrator");
    CtlRun whoami =
        CtlRun.warrenctl(url, "", "--username", "ctl-login", "--password", "second", "list_users");
    assertEquals(0, whoami.exitCode(), whoami.err());
    CtlRun refused =
        CtlRun.warrenctl(url, "", "--username", "ctl-login", "--password", "first", "list_users");
    assertEquals(CtlException.NO_PERMISSION, refused.exitCode());
    warrenctl("delete_user", "ctl-login");
  }

  @Test
  void failuresHaveRabbitmqctlsTextAndExitCode() {
    String vhost = newVhost("failures");
    ctl.rabbitmqctl("add_user", "existing", "pw");
    try {
      assertSameFailure("add_user", "existing", "pw");
      assertSameFailure("delete_user", "nobody");
      assertSameFailure("delete_vhost", "no-such-vhost");
      assertSameFailure("clear_policy", "-p", vhost, "no-such-policy");
      assertSameFailure("purge_queue", "-p", vhost, "no-such-queue");
      assertSameFailure("delete_queue", "-p", vhost, "no-such-queue");
      assertSameFailure("list_queues", "-p", vhost, "name", "bogus");
      assertSameFailure("add_user");
    } finally {
      ctl.rabbitmqctl("delete_user", "existing");
    }
  }

  @Test
  void purgeAndDeleteQueueEmptyAndRemoveQueues() throws Exception {
    String vhost = newVhost("queueops");
    factory.setVirtualHost(vhost);
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      for (String queue : List.of("a", "b", "c", "d")) {
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicPublish("", queue, null, "1".getBytes());
        channel.basicPublish("", queue, null, "2".getBytes());
      }
      for (String queue : List.of("a", "b", "c", "d")) {
        awaitQueueDepth(vhost, queue, 2);
      }
    }
    assertEquals(
        normalise(ctl.run("purge_queue", "-p", vhost, "a")),
        normalise(warrenctl("purge_queue", "-p", vhost, "b")).replace("'b'", "'a'"));
    assertEquals(
        normalise(ctl.run("delete_queue", "-p", vhost, "c")),
        normalise(warrenctl("delete_queue", "-p", vhost, "d")).replace("'d'", "'c'"));
    assertSameTable("list_queues", "-p", vhost);
    assertEquals(List.of("a\t0", "b\t0"), sorted(warrenctl("list_queues", "-s", "-p", vhost)));
  }

  @Test
  void closeConnectionClosesItWithTheReason() throws Exception {
    String vhost = newVhost("close");
    factory.setVirtualHost(vhost);
    factory.setClientProperties(Map.of("connection_name", "to-be-closed"));
    Connection connection = factory.newConnection();
    try {
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      connection.addShutdownListener(closed::complete);
      String name = awaitConnectionName("to-be-closed");
      CtlRun run = warrenctl("close_connection", name, "maintenance window");
      assertEquals(0, run.exitCode(), run.err());
      assertEquals("Closing connection " + name + ", reason: maintenance window...\n", run.out());
      ShutdownSignalException signal = closed.get(30, TimeUnit.SECONDS);
      assertTrue(signal.getMessage().contains("CONNECTION_FORCED"), signal.getMessage());
      assertTrue(signal.getMessage().contains("maintenance window"), signal.getMessage());
    } finally {
      connection.abort();
      factory.setClientProperties(new ConnectionFactory().getClientProperties());
    }
  }

  @Test
  void definitionsExportAsRabbitmqctlExportsAndImportCreatesWhatTheFileHolds(@TempDir Path dir)
      throws Exception {
    String vhost = newVhost("defs");
    ctl.rabbitmqctl("set_policy", "-p", vhost, "exported", "^e", "{\"max-length\":1}");
    // rabbitmqctl exports from the node, warrenctl through the API: the two differ in RabbitMQ
    // itself (metadata, product fields), so compare what they define
    Map<?, ?> theirs = (Map<?, ?>) Json.parse(ctl.rabbitmqctl("export_definitions", "-"));
    Map<?, ?> ours = (Map<?, ?>) Json.parse(warrenctl("export_definitions", "-").out());
    for (String section :
        List.of("users", "vhosts", "permissions", "policies", "queues", "exchanges", "bindings")) {
      assertEquals(identities(theirs, section), identities(ours, section), section);
    }

    Path file = dir.resolve("defs.json");
    CtlRun export = warrenctl("export_definitions", file.toString());
    assertEquals("Exporting definitions in JSON to a file at \"" + file + "\" ...\n", export.out());
    assertEquals(ours, Json.parse(Files.readString(file)));

    String imported =
        """
        {"vhosts":[{"name":"%1$s"}],
         "users":[{"name":"imported-user","password_hash":"","tags":"management"}],
         "permissions":[{"user":"imported-user","vhost":"%1$s","configure":".*","write":".*","read":".*"}],
         "queues":[{"name":"from-file","vhost":"%1$s","durable":true,"auto_delete":false,"arguments":{}}],
         "exchanges":[],"bindings":[],"policies":[]}
        """
            .formatted(vhost + "-imported");
    Path importFile = dir.resolve("import.json");
    Files.writeString(importFile, imported);
    CtlRun run = warrenctl("import_definitions", importFile.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        ctl.rabbitmqctl("list_queues", "-s", "-p", vhost + "-imported").contains("from-file"));
    assertTrue(ctl.rabbitmqctl("list_users", "-s").contains("imported-user\t[management]"));
    ctl.rabbitmqctl("delete_user", "imported-user");
    ctl.rabbitmqctl("delete_vhost", vhost + "-imported");

    CtlRun stdinImport =
        CtlRun.warrenctl(
            url, imported.replace("from-file", "from-stdin"), "import_definitions", "-");
    assertEquals(0, stdinImport.exitCode(), stdinImport.err());
    assertTrue(
        ctl.rabbitmqctl("list_queues", "-s", "-p", vhost + "-imported").contains("from-stdin"));
    ctl.rabbitmqctl("delete_user", "imported-user");
    ctl.rabbitmqctl("delete_vhost", vhost + "-imported");

    CtlResult missing = ctl.run("import_definitions", "/no/such/file.json");
    CtlRun ourMissing = warrenctl("import_definitions", "/no/such/file.json");
    assertEquals(missing.exitCode(), ourMissing.exitCode());
    assertEquals(firstLine(missing.err()), firstLine(ourMissing.err()));
  }

  @Test
  void statusHasRabbitmqctlsSectionsAndFigures() {
    String theirs = stripAnsi(ctl.rabbitmqctl("status"));
    CtlRun ours = warrenctl("status");
    assertEquals(0, ours.exitCode(), ours.err());
    for (String line :
        List.of(
            "Status of node " + node.nodeName() + " ...",
            "Runtime",
            "Alarms",
            "Memory",
            "File Descriptors",
            "Free Disk Space",
            "Totals",
            "Listeners",
            "(none)",
            "Node name: " + node.nodeName(),
            "Interface: 127.0.0.1, port: "
                + node.amqpPort()
                + ", protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0")) {
      assertTrue(theirs.lines().anyMatch(line::equals), "rabbitmqctl: " + line);
      assertTrue(ours.out().lines().anyMatch(line::equals), "warrenctl: " + line + "\n" + ours);
    }
    for (String prefix :
        List.of(
            "RabbitMQ version: ", "Connection count: ", "Queue count: ", "Virtual host count: ")) {
      assertEquals(lineStarting(theirs, prefix), lineStarting(ours.out(), prefix));
    }
    Map<?, ?> theirJson = (Map<?, ?>) Json.parse(ctl.rabbitmqctl("status", "--formatter", "json"));
    Map<?, ?> ourJson = (Map<?, ?>) Json.parse(warrenctl("status", "--formatter", "json").out());
    for (String key : List.of("rabbitmq_version", "totals", "alarms", "disk_free_limit")) {
      assertEquals(theirJson.get(key), ourJson.get(key), key);
    }
  }

  @Test
  void theSessionThatRunsRabbitmqctlHerePrintsWhatTheScriptPrints() {
    // the comparisons run rabbitmqctl through one VM (RabbitmqctlSession): check it against the
    // script itself once, on a success and on a failure
    for (String[] args :
        List.of(new String[] {"list_users"}, new String[] {"delete_user", "nobody"})) {
      assertEquals(node.rabbitmqctlResult(args), ctl.run(args), String.join(" ", args));
    }
  }

  // --- comparison helpers

  /** Each item of a definitions section by the fields that identify it, sorted. */
  private static List<String> identities(Map<?, ?> definitions, String section) {
    List<String> keys =
        List.of("name", "vhost", "user", "source", "destination", "routing_key", "pattern");
    return ((List<?>) definitions.get(section))
        .stream()
            .map(item -> (Map<?, ?>) item)
            .map(item -> keys.stream().map(k -> k + "=" + item.get(k)).toList().toString())
            .sorted()
            .toList();
  }

  private CtlRun warrenctl(String... args) {
    return CtlRun.warrenctl(url, "", args);
  }

  /**
   * The management API's statistics lag behind the node by up to their collection interval, while
   * rabbitmqctl asks the node: so the two are compared until they agree, for a while.
   */
  private void assertSameTable(String... args) {
    eventually(() -> compareTable(args));
  }

  private void assertSameJson(String... args) {
    eventually(() -> compareJson(args));
  }

  private static void eventually(Runnable comparison) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        comparison.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        pause();
      }
    }
  }

  private void compareTable(String... args) {
    CtlResult theirs = ctl.run(args);
    CtlRun ours = warrenctl(args);
    String what = String.join(" ", args);
    assertEquals(theirs.exitCode(), ours.exitCode(), what + ": " + ours.err());
    List<String> theirLines = lines(theirs.out());
    List<String> ourLines = ours.lines();
    int head = headLength(theirLines, args);
    assertEquals(
        theirLines.subList(0, head), ourLines.subList(0, Math.min(head, ourLines.size())), what);
    assertEquals(
        sorted(theirLines.subList(head, theirLines.size())),
        sorted(ourLines.subList(Math.min(head, ourLines.size()), ourLines.size())),
        what);
  }

  /** The informational lines and the header: everything above the first row. */
  private static int headLength(List<String> lines, String[] args) {
    boolean noHeader = List.of(args).contains("-s") || List.of(args).contains("--no-table-headers");
    int head = 0;
    while (head < lines.size() && (lines.get(head).endsWith("...") || lines.get(head).isEmpty())) {
      head++;
    }
    return noHeader || head >= lines.size() ? head : head + 1;
  }

  private void compareJson(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--formatter");
    all.add("json");
    String[] withJson = all.toArray(String[]::new);
    String theirs = ctl.rabbitmqctl(withJson);
    CtlRun ours = warrenctl(withJson);
    assertEquals(0, ours.exitCode(), ours.err());
    String what = String.join(" ", withJson);
    // same layout (one object per line), same objects in any order
    assertEquals(theirs.lines().count(), ours.out().lines().count(), what + "\n" + ours.out());
    assertEquals(sortedJsonRows(theirs), sortedJsonRows(ours.out()), what);
  }

  private static List<String> sortedJsonRows(String json) {
    List<?> rows = (List<?>) Json.parse(json);
    return rows.stream().map(Json::writeForTerminal).sorted().toList();
  }

  /** Runs the command through rabbitmqctl for "rabbit-" names and warrenctl for "warren-". */
  private void assertSameMessages(String... args) {
    CtlResult theirs = ctl.run(named(args, "rabbit"));
    CtlRun ours = warrenctl(named(args, "warren"));
    assertEquals(theirs.exitCode(), ours.exitCode(), String.join(" ", args) + ": " + ours.err());
    assertEquals(normalise(theirs), normalise(ours).replace("warren-", "rabbit-"));
  }

  private void assertSameFailure(String... args) {
    CtlResult theirs = ctl.run(args);
    CtlRun ours = warrenctl(args);
    String what = String.join(" ", args);
    assertEquals(theirs.exitCode(), ours.exitCode(), what + ": " + ours.err());
    assertEquals(theirs.out(), ours.out(), what);
    assertEquals(firstLines(theirs.err()), firstLines(ours.err()), what);
  }

  /** The error without rabbitmqctl's usage text, which differs in the tool's name. */
  private static List<String> firstLines(String err) {
    List<String> lines = stripAnsi(err).lines().toList();
    int end = 0;
    while (end < lines.size() && !lines.get(end).startsWith("Arguments given:")) {
      end++;
    }
    return lines.subList(0, end);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static String[] named(String[] args, String prefix) {
    return List.of(args).stream().map(a -> a.replace("{}", prefix)).toArray(String[]::new);
  }

  private static String normalise(CtlResult result) {
    return result.out().replace("rabbitmqctl", "warrenctl") + stripAnsi(result.err());
  }

  private static String normalise(CtlRun run) {
    return run.out() + run.err();
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, count(text));
  }

  private static int count(String text) {
    int n = text.split("\n", -1).length;
    return text.endsWith("\n") ? n - 1 : n;
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }

  private static List<String> sorted(CtlRun run) {
    return sorted(run.lines());
  }

  private static String stripAnsi(String text) {
    return text.replaceAll("\u001b\\[[0-9;]*m", "");
  }

  private static String lineStarting(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("missing " + prefix);
  }

  // --- state helpers (deadline polls through the API that warrenctl reads)

  private String newVhost(String name) {
    String vhost = "ctl-" + name;
    ctl.rabbitmqctl("add_vhost", vhost);
    ctl.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    return vhost;
  }

  private void awaitQueueDepth(String vhost, String queue, int messages) {
    await(
        () ->
            warrenctl("list_queues", "-s", "-p", vhost, "name", "messages")
                .lines()
                .contains(queue + "\t" + messages),
        queue + " holding " + messages);
  }

  private void awaitPolicy(String vhost, String queue, String policy) {
    await(
        () ->
            warrenctl("list_queues", "-s", "-p", vhost, "name", "policy")
                .lines()
                .contains(queue + "\t" + policy),
        queue + " under " + policy);
  }

  private void awaitConsumers(String vhost, int count) {
    await(
        () ->
            warrenctl("list_consumers", "-s", "-p", vhost).lines().size() == count
                && warrenctl("list_channels", "-s").lines().size() >= 2,
        count + " consumers");
  }

  private String awaitConnectionName(String clientName) {
    String[] found = new String[1];
    await(
        () -> {
          for (String row :
              warrenctl("list_connections", "-s", "name", "client_properties").lines()) {
            if (row.contains("\"" + clientName + "\"")) {
              found[0] = row.substring(0, row.indexOf('\t'));
              return true;
            }
          }
          return false;
        },
        "connection " + clientName);
    return found[0];
  }

  /** The management plugin's statistics lag behind by up to its collection interval. */
  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200); // a deadline poll: the API offers nothing to wait on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
