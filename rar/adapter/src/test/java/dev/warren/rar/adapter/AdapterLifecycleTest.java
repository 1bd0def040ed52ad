package dev.warren.rar.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.rar.adapter.testsupport.DirectWorkManager;
import dev.warren.rar.adapter.testsupport.FakeBootstrapContext;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ResourceAdapterInternalException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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

  @Test
  void remoteModeStartsNoBrokerInTheServer() throws Exception {
    int port = RunningAdapter.freePort();
    try (RunningAdapter remote =
        RunningAdapter.remote(dataDir, port, adapter -> adapter.setPort(port))) {
      assertEquals(-1, remote.adapter.amqpPort());
      assertThrows(ResourceException.class, remote.adapter::broker);
      // the port an embedded broker would listen on stays free
      new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
      assertFalse(Files.exists(dataDir.resolve("topology.log")), "no store either");
    }
  }

  @Test
  void unknownModeAndRemoteModeWithoutAddressesAreRefusedAtStart() throws Exception {
    WarrenResourceAdapter unknown = new WarrenResourceAdapter();
    unknown.setMode("cluster");
    WarrenResourceAdapter noAddresses = new WarrenResourceAdapter();
    noAddresses.setMode("remote");
    try (DirectWorkManager workManager = new DirectWorkManager()) {
      ResourceAdapterInternalException badMode =
          assertThrows(
              ResourceAdapterInternalException.class,
              () -> unknown.start(new FakeBootstrapContext(workManager)));
      assertTrue(badMode.getMessage().contains("must be embedded or remote, not 'cluster'"));
      ResourceAdapterInternalException missing =
          assertThrows(
              ResourceAdapterInternalException.class,
              () -> noAddresses.start(new FakeBootstrapContext(workManager)));
      assertTrue(missing.getMessage().contains("'addresses' is required in remote mode"));
    }
  }
}
