package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownNotifier;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One broker per test class, a fresh connection and channel per test, and the assertions every
 * behaviour test needs: waiting for a close and checking its reply code, polling a queue with a
 * deadline. All waits are bounded so a broker that never answers fails a test instead of hanging
 * it.
 */
public abstract class ClientTestBase {
  /** Long enough for a loaded CI machine, short enough that a missing answer fails quickly. */
  protected static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** How long a test waits to be reasonably sure that something does NOT arrive. */
  protected static final Duration ABSENCE = Duration.ofMillis(300);

  protected static TestBroker broker;

  protected Connection connection;
  protected Channel channel;

  @BeforeAll
  protected static void startBroker() {
    broker = TestBroker.start();
  }

  @AfterAll
  protected static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  protected void openConnectionAndChannel() throws IOException, TimeoutException {
    connection = newConnection();
    channel = connection.createChannel();
  }

  @AfterEach
  protected void closeConnection() {
    // abort, not close: the connection may already be closed by the test, and that is not an error
    connection.abort((int) TIMEOUT.toMillis());
  }

  protected static Connection newConnection() throws IOException, TimeoutException {
    return connectionFactory().newConnection();
  }

  /** A factory for the test broker with guest/guest, no recovery and bounded timeouts. */
  protected static ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(broker.port());
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout((int) TIMEOUT.toMillis());
    factory.setHandshakeTimeout((int) TIMEOUT.toMillis());
    factory.setShutdownTimeout((int) TIMEOUT.toMillis());
    factory.setChannelRpcTimeout((int) TIMEOUT.toMillis());
    return factory;
  }

  protected static String unique(String what) {
    return "warren-it-" + what + "-" + UUID.randomUUID();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * A server-named queue that lives as long as the test's connection. Not auto-delete (unlike the
   * client's no-argument queueDeclare) so cancelling a consumer in a test does not delete it.
   */
  protected String serverNamedQueue() throws IOException {
    return channel.queueDeclare("", false, true, false, null).getQueue();
  }

  /** A named, non-durable, non-exclusive queue that deletes itself with nothing. */
  protected String namedQueue(String what) throws IOException {
    String name = unique(what);
    channel.queueDeclare(name, false, false, false, null);
    return name;
  }

  protected void publish(String exchange, String routingKey, String body) throws IOException {
    channel.basicPublish(exchange, routingKey, null, bytes(body));
  }

  /** Repeats basic.get until a message arrives, since a publish on another channel may lag. */
  protected GetResponse awaitGet(Channel on, String queue, boolean autoAck) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse response = on.basicGet(queue, autoAck);
      if (response != null) {
        return response;
      }
      pause();
    }
    return fail("no message on " + queue + " within " + TIMEOUT);
  }

  protected GetResponse awaitGet(String queue) throws IOException {
    return awaitGet(channel, queue, true);
  }

  protected String awaitBody(String queue) throws IOException {
    return text(awaitGet(queue).getBody());
  }

  /** Asserts that the queue stays empty for a short while: nothing was routed there. */
  protected void assertStaysEmpty(String queue) throws IOException {
    long deadline = System.nanoTime() + ABSENCE.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        fail("unexpected message on " + queue + ": " + text(response.getBody()));
      }
      pause();
    }
  }

  /** Polls the ready-message count (passive declare) until it equals the expected value. */
  protected void awaitMessageCount(String queue, int expected) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int actual = -1;
    while (System.nanoTime() < deadline) {
      actual = channel.queueDeclarePassive(queue).getMessageCount();
      if (actual == expected) {
        return;
      }
      pause();
    }
    assertEquals(expected, actual, "ready messages in " + queue);
  }

  /** Polls passive declare until the queue is gone (a 404 closes a probe channel, not ours). */
  protected void awaitQueueGone(String queue) throws IOException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!queueExists(queue)) {
        return;
      }
      pause();
    }
    fail("queue " + queue + " still exists after " + TIMEOUT);
  }

  protected boolean queueExists(String queue) throws IOException, TimeoutException {
    return passiveSucceeds(probe -> probe.queueDeclarePassive(queue));
  }

  protected boolean exchangeExists(String exchange) throws IOException, TimeoutException {
    return passiveSucceeds(probe -> probe.exchangeDeclarePassive(exchange));
  }

  private boolean passiveSucceeds(ChannelAction passiveDeclare)
      throws IOException, TimeoutException {
    Channel probe = connection.createChannel();
    try {
      passiveDeclare.run(probe);
      probe.close();
      return true;
    } catch (IOException e) {
      // another connection's exclusive queue exists but answers 405 RESOURCE_LOCKED
      ShutdownSignalException close = reasonOf(e);
      if (replyCode(close.getReason()) == 405) {
        return true;
      }
      assertReply(close, 404);
      return false;
    }
  }

  /**
   * Runs an action that must make the broker close the channel, and returns the close. A
   * synchronous method fails with the close as its cause; an asynchronous one (publish, ack) only
   * leads to a close arriving later, so this waits for the channel's shutdown either way.
   */
  protected static ShutdownSignalException expectChannelClose(Channel on, ChannelAction action) {
    try {
      action.run(on);
    } catch (IOException | ShutdownSignalException e) {
      // expected for synchronous methods; the close itself is read from the channel below
    }
    ShutdownSignalException close = awaitShutdown(on);
    assertFalse(close.isHardError(), () -> "expected a channel close, got " + close);
    assertTrue(on.getConnection().isOpen(), "a channel error must leave the connection open");
    return close;
  }

  /** Like {@link #expectChannelClose} for errors that the broker answers with connection.close. */
  protected static ShutdownSignalException expectConnectionClose(
      Connection on, ConnectionAction action) {
    try {
      action.run(on);
    } catch (IOException | ShutdownSignalException e) {
      // expected for synchronous methods; the close itself is read from the connection below
    }
    ShutdownSignalException close = awaitShutdown(on);
    assertTrue(close.isHardError(), () -> "expected a connection close, got " + close);
    return close;
  }

  protected static ShutdownSignalException awaitShutdown(ShutdownNotifier notifier) {
    CountDownLatch closed = new CountDownLatch(1);
    notifier.addShutdownListener(cause -> closed.countDown());
    try {
      // a listener added after the shutdown is called at once, so the latch covers both cases
      assertTrue(closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "not closed in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    ShutdownSignalException reason = notifier.getCloseReason();
    assertNotNull(reason);
    return reason;
  }

  protected static ShutdownSignalException reasonOf(IOException e) {
    if (e.getCause() instanceof ShutdownSignalException sse) {
      return sse;
    }
    throw new AssertionError("expected a close from the broker", e);
  }

  /** Asserts the reply code of a channel.close or connection.close sent by the broker. */
  protected static void assertReply(ShutdownSignalException close, int expectedCode) {
    assertFalse(close.isInitiatedByApplication(), "the broker must have initiated the close");
    assertEquals(expectedCode, replyCode(close.getReason()), () -> "close was " + close);
  }

  /** Asserts reply code and the beginning of the reply text (RabbitMQ's wording). */
  protected static void assertReply(
      ShutdownSignalException close, int expectedCode, String textStart) {
    assertReply(close, expectedCode);
    String actual = replyText(close.getReason());
    assertTrue(
        actual.startsWith(textStart),
        () -> "reply text '" + actual + "' should start with '" + textStart + "'");
  }

  private static int replyCode(Method reason) {
    if (reason instanceof AMQP.Channel.Close close) {
      return close.getReplyCode();
    }
    if (reason instanceof AMQP.Connection.Close close) {
      return close.getReplyCode();
    }
    throw new AssertionError("not a close: " + reason);
  }

  private static String replyText(Method reason) {
    if (reason instanceof AMQP.Channel.Close close) {
      return close.getReplyText();
    }
    if (reason instanceof AMQP.Connection.Close close) {
      return close.getReplyText();
    }
    throw new AssertionError("not a close: " + reason);
  }

  /** Gives the broker a moment between polls; every caller bounds its loop with a deadline. */
  protected static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @FunctionalInterface
  protected interface ChannelAction {
    void run(Channel channel) throws IOException;
  }

  @FunctionalInterface
  protected interface ConnectionAction {
    void run(Connection connection) throws IOException;
  }
}
