package dev.warren.rar.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.rar.adapter.testsupport.DirectWorkManager;
import dev.warren.rar.adapter.testsupport.FakeBootstrapContext;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterLifecycleTest {
  @TempDir Path dataDir;

  @Test
  void startListensForExternalClientsAndStopClosesThemWith320() throws Exception {
    RunningAdapter running = new RunningAdapter(dataDir);
    Connection client = running.externalClient();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    client.addShutdownListener(closed::complete);
    assertEquals(running.port, running.adapter.amqpPort());

    running.close();

    ShutdownSignalException signal = closed.get(10, TimeUnit.SECONDS);
    assertTrue(signal.isHardError());
    assertEquals(320, ((AMQP.Connection.Close) signal.getReason()).getReplyCode());
  }

  @Test
  void twoAdapterInstancesOnOneDataDirectoryShareOneEngine() throws Exception {
    try (RunningAdapter first = new RunningAdapter(dataDir)) {
      WarrenResourceAdapter second = new WarrenResourceAdapter();
      second.setPort(first.port);
      second.setManagementPort(0);
      second.setBindAddress("127.0.0.1");
      second.setDataDirectory(dataDir.toString());
      try (DirectWorkManager workManager = new DirectWorkManager()) {
        // a second engine would fail to bind the same port
        second.start(new FakeBootstrapContext(workManager));
        assertEquals(first.adapter.broker(), second.broker());

        Connection client = first.externalClient();
        second.stop();
        assertTrue(client.isOpen(), "the engine outlives one of its two adapters");
        client.close();
      }
    }
  }

  @Test
  void portZeroRunsTheBrokerInVmOnly() throws Exception {
    WarrenResourceAdapter adapter = new WarrenResourceAdapter();
    adapter.setPort(0);
    adapter.setManagementPort(0);
    adapter.setDataDirectory(dataDir.toString());
    try (DirectWorkManager workManager = new DirectWorkManager()) {
      adapter.start(new FakeBootstrapContext(workManager));
      assertEquals(-1, adapter.amqpPort());
      assertFalse(adapter.broker().authenticate("guest", "wrong"));
      adapter.stop();
    }
  }
}
