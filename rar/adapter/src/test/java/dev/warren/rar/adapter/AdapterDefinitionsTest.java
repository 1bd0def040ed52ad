package dev.warren.rar.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.rar.adapter.inbound.AmqpActivationSpec;
import dev.warren.rar.adapter.testsupport.DirectWorkManager;
import dev.warren.rar.adapter.testsupport.FakeBootstrapContext;
import dev.warren.rar.adapter.testsupport.Poll;
import dev.warren.rar.adapter.testsupport.RecordingEndpointFactory;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.adapter.testsupport.SingleConnectionPool;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.MessageProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter with a definitions file: no guest, only the users it names, and their vhosts. */
class AdapterDefinitionsTest {
  @TempDir Path dir;

  @Test
  void aDefinitionsFileReplacesTheDefaultUser() throws Exception {
    Path definitions = dir.resolve("definitions.json");
    Files.writeString(
        definitions,
        """
        {"users": [{"name": "app", "password": "s3cret"}],
         "vhosts": [{"name": "/"}],
         "permissions": [{"user": "app", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]}
        """);
    WarrenResourceAdapter adapter = new WarrenResourceAdapter();
    adapter.setPort(0);
    adapter.setManagementPort(0);
    adapter.setDataDirectory(dir.resolve("data").toString());
    adapter.setDefinitionsFile(definitions.toString());
    adapter.setDefaultUser("app");
    try (DirectWorkManager workManager = new DirectWorkManager()) {
      adapter.start(new FakeBootstrapContext(workManager));
      try {
        assertFalse(adapter.broker().authenticate("guest", "guest"), "no guest");
        assertTrue(adapter.broker().authenticate("app", "s3cret"));
        try (BrokerConnection connection = adapter.broker().connect("/", "app", "test")) {
          assertEquals("app", connection.user());
        }
        BrokerException refused =
            assertThrows(BrokerException.class, () -> adapter.broker().connect("/", "guest", "t"));
        assertEquals(530, refused.replyCode().code());
      } finally {
        adapter.stop();
      }
    }
  }

  @Test
  void mdbsAndTheConnectionFactoryUseTheConfiguredVirtualHost() throws Exception {
    Path definitions = dir.resolve("definitions.json");
    Files.writeString(
        definitions,
        """
        {"users": [{"name": "app", "password": "s3cret"}],
         "vhosts": [{"name": "/"}, {"name": "orders"}],
         "permissions": [
           {"user": "app", "vhost": "orders", "configure": ".*", "write": ".*", "read": ".*"}]}
        """);
    try (RunningAdapter running =
            new RunningAdapter(
                dir.resolve("data"),
                adapter -> {
                  adapter.setDefinitionsFile(definitions.toString());
                  adapter.setDefaultUser("app");
                  adapter.setVirtualHost("orders");
                });
        SingleConnectionPool pool = new SingleConnectionPool(running.adapter)) {
      AmqpActivationSpec spec = new AmqpActivationSpec();
      spec.setQueue("incoming");
      RecordingEndpointFactory mdb = new RecordingEndpointFactory(true, m -> {});
      running.adapter.endpointActivation(mdb, spec);

      try (AmqpConnection connection = pool.connection()) {
        connection.publish("", "incoming", MessageProperties.EMPTY, new byte[] {42});
      }

      Poll.until("the MDB's delivery in vhost orders", () -> mdb.received.size() == 1);
      try (BrokerConnection orders = running.adapter.broker().connect("orders", "app", "test")) {
        assertEquals("orders", orders.virtualHost());
      }
      // the app user has no permissions on "/", so the adapter could not have worked there
      assertThrows(BrokerException.class, () -> running.adapter.broker().connect("/", "app", "t"));
    }
  }
}
