package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.testsupport.TestBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails at its last step, a listener whose port is taken, stops everything it had
 * started: the data directory is free again (its lock released) and a second start on it serves the
 * messages the first one recovered.
 */
class FailedStartTest {
  @TempDir Path dataDir;

  @Test
  void aTakenAmqpPortLeavesTheDataDirectoryFreeForTheNextStart() throws Exception {
    publishOneDurableMessage();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(TestBroker.HOST))) {
      assertThrows(RuntimeException.class, () -> BrokerEngine.start(config(taken.getLocalPort())));
    }
    assertTheMessageIsServed();
  }

  @Test
  void aTakenManagementPortLeavesTheDataDirectoryFreeForTheNextStart() throws Exception {
    publishOneDurableMessage();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(TestBroker.HOST))) {
      BrokerConfig withManagement =
          config(0)
              .withManagement(
                  new ManagementConfig(
                      taken.getLocalPort(), TestBroker.HOST, ManagementConfig.OFF));
      assertThrows(RuntimeException.class, () -> BrokerEngine.start(withManagement));
    }
    assertTheMessageIsServed();
  }

  private BrokerConfig config(int port) {
    return BrokerConfig.defaults()
        .withBindAddress(TestBroker.HOST)
        .withPort(port)
        .withDataDir(dataDir);
  }

  private void publishOneDurableMessage() throws Exception {
    try (BrokerEngine engine = BrokerEngine.start(config(0));
        Connection connection = connect(engine)) {
      var channel = connection.createChannel();
      channel.queueDeclare("kept", true, false, false, null);
      channel.confirmSelect();
      channel.basicPublish(
          "", "kept", com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC, new byte[] {7});
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  private void assertTheMessageIsServed() throws Exception {
    try (BrokerEngine engine = BrokerEngine.start(config(0));
        Connection connection = connect(engine)) {
      var response = connection.createChannel().basicGet("kept", true);
      assertTrue(response != null, "the message recovered by the failed start is still there");
      assertEquals(7, response.getBody()[0]);
    }
  }

  private static Connection connect(BrokerEngine engine) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(engine.amqpPort());
    return factory.newConnection();
  }
}
