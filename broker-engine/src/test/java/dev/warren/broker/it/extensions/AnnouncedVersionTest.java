package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.BrokerVersion;
import dev.warren.broker.it.ClientTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * connection.start's version is the RabbitMQ release Warren implements, numeric as clients parse it
 * (Spring's health indicator, the Java client's test support); Warren's own is product_version.
 */
class AnnouncedVersionTest extends ClientTestBase {

  @Test
  void versionIsTheNumericRabbitMqReleaseWarrenImplements() {
    Map<String, Object> server = connection.getServerProperties();

    assertEquals(BrokerVersion.RABBITMQ, String.valueOf(server.get("version")));
    assertTrue(BrokerVersion.RABBITMQ.matches("\\d+\\.\\d+\\.\\d+"), BrokerVersion.RABBITMQ);
  }

  @Test
  void productIsWarrenWithItsOwnVersion() {
    Map<String, Object> server = connection.getServerProperties();

    assertEquals("Warren", String.valueOf(server.get("product")));
    assertEquals(BrokerVersion.warren(), String.valueOf(server.get("product_version")));
    assertTrue(BrokerVersion.warren().matches("\\d+\\.\\d+\\.\\d+.*"), BrokerVersion.warren());
  }
}
