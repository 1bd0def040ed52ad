package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.ReplyCode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/** A fresh in-VM broker per test, with helpers to talk to it through the facade. */
abstract class EngineFixture {
  LocalBroker broker;
  BrokerConnection connection;

  @BeforeEach
  void startBroker() {
    broker = new LocalBroker(BrokerConfig.defaults().withPort(-1));
    connection = broker.connect("/", "guest", "test");
  }

  @AfterEach
  void stopBroker() {
    broker.shutdown();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  BrokerChannel channel(RecordingListener listener) {
    return connection.openChannel(listener);
  }

  static String declareQueue(BrokerChannel channel, String name) {
    return channel.declareQueue(new QueueDeclaration(name, false, false, false, Map.of())).name();
  }

  static void publish(BrokerChannel channel, String exchange, String routingKey, String body) {
    channel.publish(exchange, routingKey, false, BasicProperties.EMPTY, body.getBytes());
  }

  static BrokerException assertRefused(ReplyCode code, String text, Executable action) {
    BrokerException e = assertThrows(BrokerException.class, action);
    assertEquals(code, e.replyCode(), e.getMessage());
    if (text != null) {
      assertEquals(text, e.getMessage());
    }
    return e;
  }
}
