package dev.warren.broker.security;

import static dev.warren.broker.security.Permission.Kind.CONFIGURE;
import static dev.warren.broker.security.Permission.Kind.READ;
import static dev.warren.broker.security.Permission.Kind.WRITE;
import static dev.warren.broker.security.SecurityFixture.channelClose;
import static dev.warren.broker.security.SecurityFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RabbitMQ's access-control table, operation by operation, through the Java client: each operation
 * is tried by a user lacking one kind of permission (and by one holding all three) and must be
 * refused with 403 exactly when the table says it needs the missing kind.
 */
class PermissionMatrixTest {
  private static final String PASSWORD = "pw";

  @TempDir static Path dir;
  private static TestBroker broker;
  private static Connection admin;

  /** The table's rows: what each operation needs (passive declares need nothing). */
  enum Operation {
    EXCHANGE_DECLARE(CONFIGURE),
    EXCHANGE_DECLARE_PASSIVE(),
    EXCHANGE_DECLARE_WITH_ALTERNATE(CONFIGURE, WRITE, READ),
    EXCHANGE_DELETE(CONFIGURE),
    QUEUE_DECLARE(CONFIGURE),
    QUEUE_DECLARE_PASSIVE(),
    QUEUE_DECLARE_WITH_DEAD_LETTER_EXCHANGE(CONFIGURE, WRITE, READ),
    QUEUE_DELETE(CONFIGURE),
    EXCHANGE_BIND(WRITE, READ),
    EXCHANGE_UNBIND(WRITE, READ),
    QUEUE_BIND(WRITE, READ),
    QUEUE_UNBIND(WRITE, READ),
    BASIC_PUBLISH(WRITE),
    BASIC_PUBLISH_TO_DEFAULT_EXCHANGE(WRITE),
    BASIC_GET(READ),
    BASIC_CONSUME(READ),
    QUEUE_PURGE(READ);

    final Set<Permission.Kind> needs;

    Operation(Permission.Kind... needs) {
      this.needs =
          needs.length == 0 ? EnumSet.noneOf(Permission.Kind.class) : EnumSet.of(needs[0], needs);
    }
  }

  /** Resources the administrator prepares for one attempt. */
  record Resources(String exchange, String otherExchange, String queue, String fresh) {}

  @BeforeAll
  static void start() throws Exception {
    StringBuilder users = new StringBuilder();
    StringBuilder permissions = new StringBuilder();
    for (String user : List.of("admin", "all", "no-configure", "no-write", "no-read")) {
      users.append(
          """
          {"name": "%s", "password_hash": "%s", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ""},
          """
              .formatted(user, PasswordHashing.SHA256.hash(PASSWORD)));
      permissions.append(
          """
          {"user": "%s", "vhost": "/", "configure": "%s", "write": "%s", "read": "%s"},
          """
              .formatted(
                  user,
                  user.equals("no-configure") ? "" : ".*",
                  user.equals("no-write") ? "^$" : ".*",
                  user.equals("no-read") ? "" : ".*"));
    }
    permissions.append(
        """
        {"user": "sided", "vhost": "/", "configure": "^amq\\\\.gen-.*", "write": "^(q-.*|amq\\\\.default)$", "read": "^x-.*"}
        """);
    users.append(
        """
        {"name": "sided", "password": "%s", "tags": ["monitoring"]}
        """
            .formatted(PASSWORD));
    String json =
        """
        {"users": [%s], "vhosts": [{"name": "/"}], "permissions": [%s]}
        """
            .formatted(users, permissions);
    broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withSecurity(
                    SecurityConfig.defaults()
                        .withDefinitionsFile(SecurityFixture.definitions(dir, json))));
    assumeTrue(broker.isWarren(), "the matrix users exist only in a Warren started by the test");
    admin = connect("admin");
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.abort();
    }
    broker.close();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Operation operation : Operation.values()) {
      cases.add(Arguments.of(operation, "all", null));
      cases.add(Arguments.of(operation, "no-configure", CONFIGURE));
      cases.add(Arguments.of(operation, "no-write", WRITE));
      cases.add(Arguments.of(operation, "no-read", READ));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("matrix")
  void eachOperationIsRefusedExactlyWhenItNeedsTheMissingPermission(
      Operation operation, String user, Permission.Kind missing) throws Exception {
    Resources resources = prepare();
    try (Connection connection = connect(user)) {
      Channel channel = connection.createChannel();
      Exception failure = attempt(channel, operation, resources);

      if (missing != null && operation.needs.contains(missing)) {
        AMQP.Channel.Close close = channelClose(failure);
        assertNotNull(close, operation + " by " + user + " should be refused");
        assertEquals(403, close.getReplyCode());
        assertTrue(
            close.getReplyText().startsWith("ACCESS_REFUSED - access to ")
                && close.getReplyText().endsWith("in vhost '/' refused for user '" + user + "'"),
            close.getReplyText());
      } else {
        assertNull(failure, () -> operation + " by " + user + " failed: " + failure);
      }
    }
  }

  @Test
  void theDefaultExchangeIsCheckedAsAmqDefault() throws Exception {
    Resources resources = prepare();
    try (Connection connection = connect("sided")) {
      Channel channel = connection.createChannel();
      channel.basicPublish("", resources.queue(), null, new byte[0]);
      SecurityFixture.sync(channel);

      channel.basicPublish(resources.exchange(), "k", null, new byte[0]);
      Exception failure = syncFailure(channel);
      assertEquals(
          "ACCESS_REFUSED - access to exchange '"
              + resources.exchange()
              + "' in vhost '/' refused for user 'sided'",
          channelClose(failure).getReplyText());
    }
  }

  @Test
  void bindingChecksWriteOnTheQueueAndReadOnTheExchange() throws Exception {
    String queue = "q-" + unique("bind");
    String exchange = "x-" + unique("bind");
    Channel setup = admin.createChannel();
    setup.queueDeclare(queue, false, false, true, null);
    setup.exchangeDeclare(exchange, "direct", false, true, null);
    Resources other = prepare();
    try (Connection connection = connect("sided")) {
      Channel channel = connection.createChannel();
      channel.queueBind(queue, exchange, "k");

      Exception failure = failureOf(() -> channel.queueBind(queue, other.exchange(), "k"));
      assertEquals(
          "ACCESS_REFUSED - access to exchange '"
              + other.exchange()
              + "' in vhost '/' refused for user 'sided'",
          channelClose(failure).getReplyText());

      Channel second = connection.createChannel();
      failure = failureOf(() -> second.queueBind(other.queue(), exchange, "k"));
      assertEquals(
          "ACCESS_REFUSED - access to queue '"
              + other.queue()
              + "' in vhost '/' refused for user 'sided'",
          channelClose(failure).getReplyText());
    }
  }

  @Test
  void serverNamedQueuesAreCheckedUnderTheirAmqGenName() throws Exception {
    try (Connection connection = connect("sided")) {
      Channel channel = connection.createChannel();
      String name = channel.queueDeclare().getQueue();
      assertTrue(name.startsWith("amq.gen-"), name);

      String named = unique("named");
      Exception failure = failureOf(() -> channel.queueDeclare(named, false, true, true, null));
      assertEquals(
          "ACCESS_REFUSED - access to queue '" + named + "' in vhost '/' refused for user 'sided'",
          channelClose(failure).getReplyText());
    }
  }

  private static Exception attempt(Channel channel, Operation operation, Resources r) {
    return failureOf(
        () -> {
          switch (operation) {
            case EXCHANGE_DECLARE ->
                channel.exchangeDeclare(r.fresh(), "direct", false, true, null);
            case EXCHANGE_DECLARE_PASSIVE -> channel.exchangeDeclarePassive(r.exchange());
            case EXCHANGE_DECLARE_WITH_ALTERNATE ->
                channel.exchangeDeclare(
                    r.fresh(),
                    "direct",
                    false,
                    true,
                    Map.of("alternate-exchange", r.otherExchange()));
            case EXCHANGE_DELETE -> channel.exchangeDelete(r.exchange());
            case QUEUE_DECLARE -> channel.queueDeclare(r.fresh(), false, false, true, null);
            case QUEUE_DECLARE_PASSIVE -> channel.queueDeclarePassive(r.queue());
            case QUEUE_DECLARE_WITH_DEAD_LETTER_EXCHANGE ->
                channel.queueDeclare(
                    r.fresh(),
                    false,
                    false,
                    true,
                    Map.of("x-dead-letter-exchange", r.otherExchange()));
            case QUEUE_DELETE -> channel.queueDelete(r.queue());
            case EXCHANGE_BIND -> channel.exchangeBind(r.otherExchange(), r.exchange(), "k2");
            case EXCHANGE_UNBIND -> channel.exchangeUnbind(r.otherExchange(), r.exchange(), "k");
            case QUEUE_BIND -> channel.queueBind(r.queue(), r.exchange(), "k2");
            case QUEUE_UNBIND -> channel.queueUnbind(r.queue(), r.exchange(), "k");
            case BASIC_PUBLISH -> {
              channel.basicPublish(r.exchange(), "k", null, bytes("m"));
              SecurityFixture.sync(channel);
            }
            case BASIC_PUBLISH_TO_DEFAULT_EXCHANGE -> {
              channel.basicPublish("", r.queue(), null, bytes("m"));
              SecurityFixture.sync(channel);
            }
            case BASIC_GET -> channel.basicGet(r.queue(), true);
            case BASIC_CONSUME ->
                channel.basicConsume(r.queue(), true, new DefaultConsumer(channel));
            case QUEUE_PURGE -> channel.queuePurge(r.queue());
          }
        });
  }

  /** A direct and a fanout exchange bound with key k, a queue bound to the first with key k. */
  private static Resources prepare() throws IOException {
    Channel setup = admin.createChannel();
    Resources r = new Resources(unique("x"), unique("x2"), unique("q"), unique("fresh"));
    setup.exchangeDeclare(r.exchange(), "direct", false, false, null);
    setup.exchangeDeclare(r.otherExchange(), "fanout", false, false, null);
    setup.queueDeclare(r.queue(), false, false, false, null);
    setup.queueBind(r.queue(), r.exchange(), "k");
    setup.exchangeBind(r.otherExchange(), r.exchange(), "k");
    return r;
  }

  private static Connection connect(String user) throws Exception {
    return SecurityFixture.factory(broker.port(), user, PASSWORD, "/").newConnection();
  }

  private static Exception syncFailure(Channel channel) {
    return failureOf(() -> SecurityFixture.sync(channel));
  }

  interface Action {
    void run() throws Exception;
  }

  private static Exception failureOf(Action action) {
    try {
      action.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
