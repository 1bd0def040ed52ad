package dev.warren.broker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.testsupport.TestBroker;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The UI's scenarios against Warren: the UI and the API both served by its management listener. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementUiOnWarrenTest extends ManagementUiScenarios {
  private TestBroker broker;

  @BeforeAll
  void start() {
    Browser.requireInstalled();
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
  }

  @AfterAll
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void tenThousandQueuesArePagedByTheApi() throws Exception {
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      for (int i = 0; i < 10_000; i++) {
        channel.queueDeclare("bulk-" + i, false, false, true, null);
      }
      login("guest", "guest");
      browser.open(uiUrl() + "#/queues");
      browser.type("input[name=filter]", "^bulk-");
      browser.click("input[name=regex]");
      browser.waitForText("10000 of");
      assertEquals(100, browser.all("a.queue-link").size());
      browser.click(".paging button:nth-of-type(3)");
      browser.waitForText("page 2 of 100");
      assertEquals(100, browser.all("a.queue-link").size());
    }
  }

  /** The overview's rates are the broker's sampled counters: they move while a client publishes. */
  @Test
  void theOverviewsPublishRateAndChartMoveWhileAClientPublishes() throws Exception {
    AtomicBoolean publishing = new AtomicBoolean(true);
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("ui-rates", false, false, true, null);
      Thread publisher =
          new Thread(
              () -> {
                try {
                  while (publishing.get()) {
                    channel.basicPublish("", "ui-rates", null, new byte[10]);
                    Thread.sleep(5);
                  }
                } catch (Exception e) {
                  publishing.set(false);
                }
              });
      publisher.start();
      try {
        login("guest", "guest");
        browser.find(".chart canvas");
        String rate =
            browser.until(
                d -> {
                  for (WebElement total : browser.all("#totals .total")) {
                    if (total.getText().contains("Publish")
                        && !total.findElement(By.cssSelector(".value")).getText().equals("0.0/s")) {
                      return total.findElement(By.cssSelector(".value")).getText();
                    }
                  }
                  return null;
                },
                "a publish rate above zero");
        assertTrue(rate.endsWith("/s"), rate);
        assertTrue(publishing.get(), "the publisher kept publishing");
        browser.screenshot("overview-rates");
      } finally {
        publishing.set(false);
        publisher.join(10_000);
      }
    }
  }

  @Override
  String uiUrl() {
    return "http://" + TestBroker.HOST + ":" + broker.managementPort() + "/";
  }

  @Override
  ConnectionFactory amqp() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    return factory;
  }

  @Override
  String target() {
    return "warren";
  }
}
