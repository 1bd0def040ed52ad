package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.TestBroker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerShutdownTest {

  @Test
  void brokerShutdownClosesClientConnectionsWith320() throws Exception {
    TestBroker broker = TestBroker.start();
    assumeTrue(broker.isWarren(), "stopping an external broker is not this test's business");
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    Connection connection = factory.newConnection();
    connection.createChannel().queueDeclare();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    connection.addShutdownListener(closed::complete);

    broker.close();

    ShutdownSignalException signal = closed.get(10, TimeUnit.SECONDS);
    AMQP.Connection.Close close = (AMQP.Connection.Close) signal.getReason();
    assertEquals(320, close.getReplyCode());
    assertEquals(
        "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
        close.getReplyText());
  }
}
