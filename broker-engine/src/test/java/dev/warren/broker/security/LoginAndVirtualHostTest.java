package dev.warren.broker.security;

import static dev.warren.broker.security.SecurityFixture.channelClose;
import static dev.warren.broker.security.SecurityFixture.connectionClose;
import static dev.warren.broker.security.SecurityFixture.factory;
import static dev.warren.broker.security.SecurityFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.SecurityConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins against a definitions file, virtual host access (530) and the user_id rule (406). */
class LoginAndVirtualHostTest {
  /** A real RabbitMQ 3.0 export: MD5 hashes, no hashing_algorithm, tags as a string. */
  private static final String DEFINITIONS =
      """
      {
        "rabbit_version": "3.0.4",
        "users": [
          {"name": "guest", "password_hash": "AsYO2ESs62RcsxNVyxKaR5DGxVI=", "tags": "administrator"},
          {"name": "worker", "password_hash": "pyQyqKIF5yt0XLk6hStH2OQkYP4=", "tags": ""},
          {"name": "alice", "password_hash": "kI3GCkwidbNLQtNlauSvDxHDzz3IO+MCqP9YQ8IPMmUonl9G",
           "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ["management"]},
          {"name": "cert-only", "password_hash": "", "tags": []}
        ],
        "vhosts": [{"name": "/"}, {"name": "orders"}, {"name": "billing"}],
        "permissions": [
          {"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
          {"user": "worker", "vhost": "orders", "configure": ".*", "write": ".*", "read": ".*"},
          {"user": "worker", "vhost": "billing", "configure": ".*", "write": ".*", "read": ".*"},
          {"user": "alice", "vhost": "orders", "configure": ".*", "write": ".*", "read": ".*"}
        ],
        "queues": [], "exchanges": [], "bindings": []
      }
      """;

  @TempDir static Path dir;
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker =
        TestBroker.start(
            BrokerConfig.defaults()
                .withSecurity(
                    SecurityConfig.defaults()
                        .withDefinitionsFile(SecurityFixture.definitions(dir, DEFINITIONS))));
    assumeTrue(broker.isWarren(), "the users exist only in a Warren started by the test");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void usersExportedFromRabbitMqLogInWithTheirPasswords() throws Exception {
    try (Connection connection =
        factory(broker.port(), "worker", "worker", "orders").newConnection()) {
      connection.createChannel().queueDeclare(unique("q"), false, true, true, null);
    }
    try (Connection connection =
        factory(broker.port(), "alice", "s3cret", "orders").newConnection()) {
      connection.createChannel();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithRabbitMqsText() {
    AuthenticationFailureException refused =
        assertThrows(
            AuthenticationFailureException.class,
            () -> factory(broker.port(), "alice", "guess", "orders").newConnection());
    assertEquals(
        "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see"
            + " the broker logfile.",
        refused.getMessage());
  }

  @Test
  void aRefusedLoginIsLoggedWithThePeerAddressButNeverThePassword() {
    Logger logger = Logger.getLogger("dev.warren.broker.server.AmqpConnection");
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(new SimpleFormatter().formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
      assertThrows(
          AuthenticationFailureException.class,
          () -> factory(broker.port(), "alice", "Sup3rSecretGuess", "orders").newConnection());
    } finally {
      logger.removeHandler(capture);
    }
    String refusal =
        lines.stream().filter(line -> line.contains("login refused")).findFirst().orElseThrow();
    assertTrue(refusal.contains("127.0.0.1") && refusal.contains("'alice'"), refusal);
    assertTrue(
        lines.stream().noneMatch(line -> line.contains("Sup3rSecretGuess")), lines::toString);
  }

  @Test
  void aUserWithoutPasswordHashCannotLogInByPassword() {
    assertThrows(
        AuthenticationFailureException.class,
        () -> factory(broker.port(), "cert-only", "", "/").newConnection());
  }

  @Test
  void aVirtualHostWithoutPermissionsIsRefusedWith530() {
    IOException failure =
        assertThrows(
            IOException.class,
            () -> factory(broker.port(), "alice", "s3cret", "billing").newConnection());
    AMQP.Connection.Close close = connectionClose(failure);
    assertEquals(530, close.getReplyCode());
    assertEquals(
        "NOT_ALLOWED - access to vhost 'billing' refused for user 'alice'", close.getReplyText());
  }

  @Test
  void anUnknownVirtualHostIsRefusedWith530() {
    IOException failure =
        assertThrows(
            IOException.class,
            () -> factory(broker.port(), "worker", "worker", "nowhere").newConnection());
    AMQP.Connection.Close close = connectionClose(failure);
    assertEquals(530, close.getReplyCode());
    assertEquals("NOT_ALLOWED - vhost nowhere not found", close.getReplyText());
  }

  @Test
  void virtualHostsKeepTheirQueuesApart() throws Exception {
    String queue = unique("apart");
    try (Connection orders = factory(broker.port(), "worker", "worker", "orders").newConnection();
        Connection billing =
            factory(broker.port(), "worker", "worker", "billing").newConnection()) {
      Channel inOrders = orders.createChannel();
      inOrders.queueDeclare(queue, false, false, true, null);
      inOrders.basicPublish("", queue, null, "in orders".getBytes());

      Channel inBilling = billing.createChannel();
      IOException failure =
          assertThrows(IOException.class, () -> inBilling.queueDeclarePassive(queue));
      assertEquals(404, channelClose(failure).getReplyCode());
      GetResponse got = pollGet(inOrders, queue);
      assertEquals("in orders", new String(got.getBody()));
    }
  }

  @Test
  void aUserIdPropertyNamingSomeoneElseIsRefusedWith406() throws Exception {
    try (Connection connection =
        factory(broker.port(), "worker", "worker", "orders").newConnection()) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      channel.basicPublish(
          "", queue, new AMQP.BasicProperties.Builder().userId("worker").build(), new byte[0]);
      channel.basicPublish(
          "", queue, new AMQP.BasicProperties.Builder().userId("alice").build(), new byte[0]);

      AMQP.Channel.Close close = SecurityFixture.refusalAfterSync(channel);
      assertEquals(406, close.getReplyCode());
      assertEquals(
          "PRECONDITION_FAILED - user_id property set to 'alice' but authenticated user was"
              + " 'worker'",
          close.getReplyText());
      Channel other = connection.createChannel();
      assertEquals(1, other.queueDeclarePassive(queue).getMessageCount());
    }
  }

  private static GetResponse pollGet(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + SecurityFixture.TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        return response;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no message in " + queue);
  }
}
