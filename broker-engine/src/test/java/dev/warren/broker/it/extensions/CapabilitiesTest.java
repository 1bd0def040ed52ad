package dev.warren.broker.it.extensions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.broker.it.ClientTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** connection.start advertises what the broker implements. */
class CapabilitiesTest extends ClientTestBase {

  @Test
  void theExtensionCapabilitiesAreAdvertised() {
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities =
        (Map<String, Object>) connection.getServerProperties().get("capabilities");
    for (String capability :
        new String[] {
          "publisher_confirms",
          "exchange_exchange_bindings",
          "basic.nack",
          "consumer_cancel_notify",
          "consumer_priorities",
          "authentication_failure_close",
          "per_consumer_qos",
          "direct_reply_to"
        }) {
      assertEquals(Boolean.TRUE, capabilities.get(capability), capability);
    }
  }
}
