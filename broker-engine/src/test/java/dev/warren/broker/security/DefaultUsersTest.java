package dev.warren.broker.security;

import static dev.warren.broker.security.SecurityFixture.factory;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

/** Without a definitions file: guest/guest on "/", or nobody at all. */
class DefaultUsersTest {

  @Test
  void guestLogsInFromLoopbackByDefault() throws Exception {
    try (TestBroker broker = TestBroker.start();
        Connection connection = factory(broker.port(), "guest", "guest", "/").newConnection()) {
      connection.createChannel().queueDeclare();
    }
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
