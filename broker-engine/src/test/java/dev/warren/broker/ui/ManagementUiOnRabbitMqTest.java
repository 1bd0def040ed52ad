package dev.warren.broker.ui;

import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.RabbitMqNode.Plugin;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The UI's scenarios against RabbitMQ's own management API (the reference for the shapes the UI
 * reads), the UI's files served by a small proxy in front of the node. Opt-in ({@code
 * -Dwarren.ui.reference=true}): every build runs the scenarios against Warren.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "warren.ui.reference", matches = "true")
class ManagementUiOnRabbitMqTest extends ManagementUiScenarios {
  private RabbitMqNode node;
  private UiProxy proxy;

  @BeforeAll
  void start() throws IOException {
    Browser.requireInstalled();
    node = RabbitMqNode.start(Plugin.MANAGEMENT);
    proxy = UiProxy.start(node.host(), node.managementPort());
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Override
  String uiUrl() {
    return proxy.url();
  }

  @Override
  ConnectionFactory amqp() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(node.host());
    factory.setPort(node.amqpPort());
    return factory;
  }

  @Override
  String target() {
    return "rabbitmq";
  }
}
