package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.CredentialsProvider;
import com.rabbitmq.client.impl.CredentialsRefreshService;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * connection.update-secret, as the Java client sends it when its credentials provider refreshes a
 * secret: the new secret must still log the connection's user in.
 */
class UpdateSecretTest extends ClientTestBase {

  @Test
  void aValidNewSecretIsAcceptedAndTheConnectionGoesOn() throws Exception {
    RotatingCredentials credentials = new RotatingCredentials();
    CapturedRefresh refresh = new CapturedRefresh();
    try (Connection rotating = connect(credentials, refresh)) {
      credentials.password = "guest";

      assertTrue(refresh.callable.call(), "update-secret-ok");

      assertTrue(rotating.isOpen());
      String queue = rotating.createChannel().queueDeclare().getQueue();
      assertNotNull(queue);
    }
  }

  @Test
  void aNewSecretThatNoLongerLogsTheUserInClosesTheConnectionWith530() throws Exception {
    RotatingCredentials credentials = new RotatingCredentials();
    CapturedRefresh refresh = new CapturedRefresh();
    Connection rotating = connect(credentials, refresh);
    credentials.password = "not-guests-password";

    assertFalse(refresh.callable.call(), "the refresh failed");

    ShutdownSignalException close = awaitShutdown(rotating);
    assertReply(close, 530, "NOT_ALLOWED - New secret was refused by one of the backends");
    assertTrue(close.isHardError());
  }

  private static Connection connect(CredentialsProvider credentials, CapturedRefresh refresh)
      throws Exception {
    ConnectionFactory factory = connectionFactory();
    factory.setCredentialsProvider(credentials);
    factory.setCredentialsRefreshService(refresh);
    Connection connection = factory.newConnection();
    assertNotNull(refresh.callable, "the client registered its refresh");
    return connection;
  }

  /** Credentials that expire, so that the client registers a refresh for them. */
  private static final class RotatingCredentials implements CredentialsProvider {
    volatile String password = "guest";

    @Override
    public String getUsername() {
      return "guest";
    }

    @Override
    public String getPassword() {
      return password;
    }

    @Override
    public Duration getTimeBeforeExpiration() {
      return Duration.ofMinutes(10);
    }
  }

  /** Keeps the client's refresh action, so the test decides when it runs. */
  private static final class CapturedRefresh implements CredentialsRefreshService {
    volatile Callable<Boolean> callable;

    @Override
    public String register(CredentialsProvider provider, Callable<Boolean> refreshAction) {
      callable = refreshAction;
      return "test";
    }

    @Override
    public void unregister(CredentialsProvider provider, String registrationId) {}

    @Override
    public boolean isApproachingExpiration(Duration timeBeforeExpiration) {
      return false;
    }
  }
}
