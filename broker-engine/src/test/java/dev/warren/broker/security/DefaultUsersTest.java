package dev.warren.broker.security;

import static dev.warren.broker.security.SecurityFixture.factory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

/** Without a definitions file: guest/guest on "/" (also as the anonymous login), or nobody. */
class DefaultUsersTest {

  @Test
  void guestLogsInFromLoopbackByDefault() throws Exception {
    try (TestBroker broker = TestBroker.start();
        Connection connection = factory(broker.port(), "guest", "guest", "/").newConnection()) {
      connection.createChannel().queueDeclare();
    }
  }

  /** RabbitMQ 4.0 offers SASL ANONYMOUS, logging in as guest/guest (anonymous_login_user). */
  @Test
  void anAnonymousLoginIsGuest() throws Exception {
    try (TestBroker broker = TestBroker.start()) {
      ConnectionFactory anonymous = factory(broker.port(), "ignored", "ignored", "/");
      anonymous.setSaslConfig(DefaultSaslConfig.ANONYMOUS);
      try (Connection connection = anonymous.newConnection()) {
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.basicPublish(
            "", queue, new AMQP.BasicProperties.Builder().userId("guest").build(), new byte[0]);
        assertEquals(1, awaitOne(channel, queue), "published as guest");
      }
    }
  }

  @Test
  void withoutGuestAnAnonymousLoginIsRefused() {
    try (TestBroker broker =
        TestBroker.start(BrokerConfig.defaults().withDefaultUser(null, null))) {
      assumeTrue(broker.isWarren(), "configures Warren");
      ConnectionFactory anonymous = factory(broker.port(), "ignored", "ignored", "/");
      anonymous.setSaslConfig(DefaultSaslConfig.ANONYMOUS);
      assertThrows(AuthenticationFailureException.class, anonymous::newConnection);
    }
  }

  private static int awaitOne(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + SecurityFixture.TIMEOUT.toNanos();
    int count = 0;
    while (count == 0 && System.nanoTime() < deadline) {
      count = channel.queueDeclarePassive(queue).getMessageCount();
    }
    return count;
  }

  @Test
  void withoutADefaultUserNobodyLogsIn() {
    try (TestBroker broker =
        TestBroker.start(BrokerConfig.defaults().withDefaultUser(null, null))) {
      assumeTrue(broker.isWarren(), "configures Warren");
      assertThrows(
          AuthenticationFailureException.class,
          () -> factory(broker.port(), "guest", "guest", "/").newConnection());
    }
  }
}
