package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.LocalBroker;
import dev.warren.broker.server.RawAmqpSocket.RawFrame;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A peer that stops talking is not kept forever: neither during the handshake nor after it. */
class ConnectionTimeoutsTest {

  @Test
  void socketThatNeverCompletesTheHandshakeIsClosedAfterTheHandshakeTimeout() throws IOException {
    assumeTrue(System.getProperty("warren.test.externalPort") == null, "needs an in-VM server");
    Path dataDir = Files.createTempDirectory("warren-handshake-");
    BrokerConfig config =
        BrokerConfig.defaults().withBindAddress(TestBroker.HOST).withPort(0).withDataDir(dataDir);
    LocalBroker engine = new LocalBroker(config);
    AmqpServer server = new AmqpServer(config, engine, Duration.ofMillis(300));
    try (RawAmqpSocket silent = RawAmqpSocket.connect(server.start())) {
      long start = System.nanoTime();

      assertTrue(silent.closedWithin(Duration.ofSeconds(5)), "silent socket closed");
      assertTrue(
          Duration.ofNanos(System.nanoTime() - start).toMillis() >= 250,
          "not closed before the timeout");
    } finally {
      server.stop();
      engine.shutdown();
      Files.deleteIfExists(dataDir);
    }
  }

  /**
   * RabbitMQ sends a heartbeat after half the interval without writing: clients that time out a
   * read after one interval (the Java client's Netty layer) must never see a full silent interval.
   */
  @Test
  void theServersFirstHeartbeatComesAfterHalfTheInterval() throws IOException {
    try (TestBroker broker = TestBroker.start();
        RawAmqpSocket client = RawAmqpSocket.connect(broker.port()).openWithChannel(3, 131072)) {
      long start = System.nanoTime();

      RawFrame first = client.readFrame();

      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertEquals(RawAmqpSocket.HEARTBEAT, first.type());
      assertTrue(elapsedMillis >= 1200, "not before half the interval: " + elapsedMillis);
      assertTrue(elapsedMillis < 2500, "well before the full 3 s interval: " + elapsedMillis);
    }
  }

  @Test
  void peerSilentAfterHandshakeWithOneSecondHeartbeatIsDroppedAfterTwoIntervals()
      throws IOException {
    try (TestBroker broker = TestBroker.start();
        RawAmqpSocket client = RawAmqpSocket.connect(broker.port()).openWithChannel(1, 131072)) {
      long start = System.nanoTime();

      RawFrame first = client.readFrame();
      assertEquals(RawAmqpSocket.HEARTBEAT, first.type(), "the server sends heartbeats");
      assertTrue(client.closedWithin(Duration.ofSeconds(6)), "silent peer dropped");
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(elapsedMillis >= 1500, "dropped only after missed heartbeats: " + elapsedMillis);
    }
  }
}
