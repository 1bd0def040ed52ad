package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.testsupport.ManagementClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum queues on a three-node cluster of standalone processes, through RabbitMQ's Java client:
 * declared on one node, published to with confirms on another, consumed on the third.
 */
class QuorumQueueIT {
  private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path directory;
  private static ClusterNodes nodes;

  /**
   * The definitions every node loads at start: RabbitMQ's defaults plus one policy (policies are
   * each node's own until they are in the metadata log).
   */
  private static final String DEFINITIONS =
      """
      {"users": [{"name": "guest", "password": "guest", "tags": "administrator"}],
       "vhosts": [{"name": "/"}],
       "permissions": [
         {"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}],
       "policies": [
         {"vhost": "/", "name": "keep-two", "pattern": "^capped$", "apply-to": "queues",
          "priority": 0, "definition": {"max-length": 2}}]}
      """;

  @BeforeAll
  static void startCluster() throws Exception {
    Path definitions = Files.writeString(directory.resolve("definitions.json"), DEFINITIONS);
    nodes = ClusterNodes.start(directory, "quorum-it", 3, "--definitions", definitions.toString());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void theManagementApiShowsTheQueuesLeaderAndMembersAndEveryNode() throws Exception {
    try (Connection connection = connect(0)) {
      connection
          .createChannel()
          .queueDeclare(
              "q-managed",
              true,
              false,
              false,
              Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", 5));
      IOException zero =
          assertThrows(
              IOException.class,
              () ->
                  connection
                      .createChannel()
                      .queueDeclare(
                          "q-zero",
                          true,
                          false,
                          false,
                          Map.of("x-queue-type", "quorum", "x-quorum-initial-group-size", 0)));
      assertEquals(
          "PRECONDITION_FAILED - invalid arg 'x-quorum-initial-group-size' for queue 'q-zero' in"
              + " vhost '/': {value_zero,0}",
          ((AMQP.Channel.Close) ((ShutdownSignalException) zero.getCause()).getReason())
              .getReplyText());
    }
    Set<String> ids = Set.of(nodes.id(0), nodes.id(1), nodes.id(2));
    JsonNode queue = api(1).get("/api/queues/%2F/q-managed").json();
    assertEquals("quorum", queue.get("type").asText());
    assertEquals(ids, texts(queue.get("members")));
    assertTrue(ids.contains(queue.get("leader").asText()), queue.toString());
    assertEquals(queue.get("leader").asText(), queue.get("node").asText());
    assertTrue(texts(queue.get("online")).contains(nodes.id(1)), queue.toString());
    // more than the cluster's three nodes: every node is a member, as RabbitMQ caps it
    assertEquals(5, queue.get("arguments").get("x-quorum-initial-group-size").asInt());

    // the metadata log's leader hears from every node: all three running
    Deadline.await(
        WAIT,
        "a node whose /api/nodes lists every node running",
        () -> {
          for (int i = 0; i < 3; i++) {
            JsonNode listed = api(i).get("/api/nodes").json();
            Set<String> running = new HashSet<>();
            listed.forEach(
                node -> {
                  if (node.get("running").asBoolean()) {
                    running.add(node.get("name").asText());
                  }
                });
            if (listed.size() == 3 && running.equals(ids)) {
              return true;
            }
          }
          return false;
        });
    assertEquals(nodes.id(2), api(2).get("/api/nodes/" + nodes.id(2)).json().get("name").asText());
    assertEquals(nodes.id(2), api(2).get("/api/overview").json().get("node").asText());
  }

  private static ManagementClient api(int index) {
    return nodes.management(index);
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> texts = new HashSet<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  @Test
  void aQuorumQueueMustBeDurableAndNeitherExclusiveNorAutoDelete() throws Exception {
    try (Connection connection = connect(0)) {
      assertRefused(connection, "q-auto", true, false, true, "invalid property 'auto-delete'");
      assertRefused(connection, "q-excl", true, true, false, "invalid property 'exclusive-owner'");
      assertRefused(
          connection, "q-transient", false, false, false, "invalid property 'non-durable'");
    }
  }

  /**
   * RabbitMQ's quorum queues refuse a consumer on a channel with a channel-wide prefetch, with 540,
   * which AMQP makes a connection error.
   */
  @Test
  void aChannelWithAGlobalPrefetchCannotConsume() throws Exception {
    Connection connection = connect(1);
    try {
      connection.createChannel().queueDeclare("q-global-qos", true, false, false, QUORUM);
      Channel channel = connection.createChannel();
      channel.basicQos(10, true);
      IOException refused =
          assertThrows(
              IOException.class,
              () -> channel.basicConsume("q-global-qos", false, new DefaultConsumer(channel)));
      AMQP.Connection.Close close =
          (AMQP.Connection.Close) ((ShutdownSignalException) refused.getCause()).getReason();
      assertEquals(540, close.getReplyCode());
      assertEquals(
          "NOT_IMPLEMENTED - queue 'q-global-qos' in vhost '/' does not support global qos",
          close.getReplyText());
      assertFalse(connection.isOpen());
    } finally {
      connection.abort(); // closed by the broker already, unless the test failed before
    }
    try (Connection another = connect(1)) {
      Channel unlimited = another.createChannel();
      unlimited.basicQos(0, true); // no channel-wide limit: allowed
      unlimited.basicQos(5);
      String tag = unlimited.basicConsume("q-global-qos", false, new DefaultConsumer(unlimited));
      unlimited.basicCancel(tag);
      unlimited.queueDelete("q-global-qos");
    }
  }

  private static void assertRefused(
      Connection connection,
      String name,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      String text)
      throws IOException {
    Channel channel = connection.createChannel();
    IOException refused =
        assertThrows(
            IOException.class,
            () -> channel.queueDeclare(name, durable, exclusive, autoDelete, QUORUM));
    AMQP.Channel.Close close =
        (AMQP.Channel.Close) ((ShutdownSignalException) refused.getCause()).getReason();
    assertEquals(406, close.getReplyCode());
    assertEquals(
        "PRECONDITION_FAILED - " + text + " for queue '" + name + "' in vhost '/'",
        close.getReplyText());
  }

  @Test
  void messagesConfirmedOnOneNodeAreConsumedInOrderOnAnother() throws Exception {
    try (Connection declaring = connect(0)) {
      declaring.createChannel().queueDeclare("orders", true, false, false, QUORUM);
    }
    int count = 200;
    try (Connection publishing = connect(1)) {
      Channel channel = publishing.createChannel();
      channel.confirmSelect();
      for (int i = 0; i < count; i++) {
        channel.basicPublish(
            "",
            "orders",
            MessageProperties.PERSISTENT_BASIC,
            ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      assertTrue(channel.waitForConfirms(WAIT.toMillis()), "every publish is confirmed (acked)");
    }
    try (Connection consuming = connect(2)) {
      Channel channel = consuming.createChannel();
      assertEquals(count, channel.queueDeclarePassive("orders").getMessageCount());
      channel.basicQos(50);
      List<String> received = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch all = new CountDownLatch(count);
      channel.basicConsume(
          "orders",
          false,
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
              received.add(new String(body, StandardCharsets.UTF_8));
              getChannel().basicAck(envelope.getDeliveryTag(), false);
              all.countDown();
            }
          });
      assertTrue(all.await(WAIT.toSeconds(), TimeUnit.SECONDS), received.size() + " received");
      for (int i = 0; i < count; i++) {
        assertEquals("m" + i, received.get(i));
      }
    }
    try (Connection checking = connect(0)) {
      awaitReady(checking, "orders", 0);
    }
  }

  /**
   * The log hands a manual-ack consumer a few times its prefetch, its node the client no more than
   * its prefetch; what the node kept goes back unflagged when the consumer goes, and only what the
   * client saw comes back redelivered (as RabbitMQ flags only what it delivered).
   */
  @Test
  void aConsumerGetsNoMoreThanItsPrefetchAndOnlyWhatItSawComesBackRedelivered() throws Exception {
    int count = 10;
    try (Connection publishing = connect(0)) {
      Channel channel = publishing.createChannel();
      channel.queueDeclare("window", true, false, false, QUORUM);
      channel.confirmSelect();
      for (int i = 0; i < count; i++) {
        channel.basicPublish("", "window", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(WAIT.toMillis());
    }
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (Connection first = connect(2)) {
      Channel channel = first.createChannel();
      channel.basicQos(2);
      CountDownLatch two = new CountDownLatch(2);
      String tag =
          channel.basicConsume(
              "window",
              false,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                  seen.add(new String(body, StandardCharsets.UTF_8));
                  two.countDown();
                }
              });
      assertTrue(two.await(WAIT.toSeconds(), TimeUnit.SECONDS), seen + " seen");
      awaitReady(first, "window", count - 8); // the log handed it four times its prefetch
      assertEquals(2, seen.size(), "no more than the prefetch unacked: " + seen);
      channel.basicCancel(tag); // what its node kept goes back as it was
      channel.close(); // the two it saw come back redelivered
    }
    try (Connection second = connect(1)) {
      Channel channel = second.createChannel();
      Set<String> redelivered = new HashSet<>();
      Set<String> received = new HashSet<>();
      for (int i = 0; i < count; i++) {
        GetResponse got = awaitGet(channel, "window");
        String body = new String(got.getBody(), StandardCharsets.UTF_8);
        received.add(body);
        if (got.getEnvelope().isRedeliver()) {
          redelivered.add(body);
        }
        channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
      }
      assertEquals(count, received.size());
      assertEquals(Set.copyOf(seen), redelivered);
    }
  }

  @Test
  void aRequeuedMessageComesBackRedeliveredWithItsDeliveryCount() throws Exception {
    try (Connection connection = connect(1)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("retries", true, false, false, QUORUM);
      channel.confirmSelect();
      channel.basicPublish("", "retries", null, "again".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(WAIT.toMillis());

      GetResponse first = channel.basicGet("retries", false);
      assertNotNull(first);
      assertFalse(first.getEnvelope().isRedeliver());
      channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);

      GetResponse second = awaitGet(channel, "retries");
      assertTrue(second.getEnvelope().isRedeliver());
      assertEquals(1L, second.getProps().getHeaders().get("x-delivery-count"));
      channel.basicAck(second.getEnvelope().getDeliveryTag(), false);
    }
  }

  @Test
  void aPoisonMessageIsDeadLetteredPastTheDeliveryLimit() throws Exception {
    try (Connection connection = connect(2)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("poison-dlq", true, false, false, QUORUM);
      channel.queueDeclare(
          "poison",
          true,
          false,
          false,
          Map.of(
              "x-queue-type", "quorum",
              "x-delivery-limit", 1,
              "x-dead-letter-exchange", "",
              "x-dead-letter-routing-key", "poison-dlq"));
      channel.confirmSelect();
      channel.basicPublish("", "poison", null, "bad".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(WAIT.toMillis());
      for (int delivery = 0; delivery < 2; delivery++) {
        GetResponse got = awaitGet(channel, "poison");
        channel.basicReject(got.getEnvelope().getDeliveryTag(), true);
      }
    }
    try (Connection connection = connect(0)) {
      Channel channel = connection.createChannel();
      GetResponse dead = awaitGet(channel, "poison-dlq");
      assertEquals("bad", new String(dead.getBody(), StandardCharsets.UTF_8));
      assertNull(channel.basicGet("poison", true));
    }
  }

  @Test
  void dropHeadKeepsTheNewestAndRejectPublishNacks() throws Exception {
    try (Connection connection = connect(0)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(
          "bounded",
          true,
          false,
          false,
          Map.of("x-queue-type", "quorum", "x-max-length", 2, "x-overflow", "reject-publish"));
      channel.confirmSelect();
      for (int i = 0; i < 2; i++) {
        channel.basicPublish("", "bounded", null, new byte[] {(byte) i});
      }
      assertTrue(channel.waitForConfirms(WAIT.toMillis()));
      channel.basicPublish("", "bounded", null, new byte[] {9});
      assertFalse(channel.waitForConfirms(WAIT.toMillis()), "the third publish is nacked");
    }
  }

  @Test
  void anIdleQueuesExpiredMessagesAreDeadLettered() throws Exception {
    try (Connection connection = connect(1)) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("expired-dlq", true, false, false, QUORUM);
      channel.queueDeclare(
          "short-lived-messages",
          true,
          false,
          false,
          Map.of(
              "x-queue-type", "quorum",
              "x-message-ttl", 200,
              "x-dead-letter-exchange", "",
              "x-dead-letter-routing-key", "expired-dlq"));
      channel.confirmSelect();
      channel.basicPublish(
          "", "short-lived-messages", null, "stale".getBytes(StandardCharsets.UTF_8));
      channel.waitForConfirmsOrDie(WAIT.toMillis());
    }
    try (Connection connection = connect(2)) {
      GetResponse dead = awaitGet(connection.createChannel(), "expired-dlq");
      assertEquals("stale", new String(dead.getBody(), StandardCharsets.UTF_8));
    }
  }

  private static GetResponse awaitGet(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, false);
      if (response != null) {
        return response;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("nothing in " + queue);
  }

  /**
   * The node the queue was declared on puts the settings its policy gives it in the queue's log, so
   * every member trims the queue alike.
   */
  @Test
  void aMaxLengthPolicyKeepsTheNewestMessagesOnEveryNode() throws Exception {
    try (Connection declaring = connect(0)) {
      declaring.createChannel().queueDeclare("capped", true, false, false, QUORUM);
    }
    try (Connection publishing = connect(1)) {
      Channel channel = publishing.createChannel();
      channel.confirmSelect();
      for (int i = 1; i <= 5; i++) {
        channel.basicPublish("", "capped", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(WAIT.toMillis());
    }
    try (Connection consuming = connect(2)) {
      awaitReady(consuming, "capped", 2);
      Channel channel = consuming.createChannel();
      List<String> bodies = new ArrayList<>();
      for (GetResponse r = channel.basicGet("capped", true);
          r != null;
          r = channel.basicGet("capped", true)) {
        bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
      }
      assertEquals(List.of("m4", "m5"), bodies);
    }
  }

  private static void awaitReady(Connection connection, String queue, int expected)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int ready = -1;
    while (System.nanoTime() < deadline) {
      Channel channel = connection.createChannel();
      ready = channel.queueDeclarePassive(queue).getMessageCount();
      channel.close();
      if (ready == expected) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(queue + " has " + ready + " ready, not " + expected);
  }

  private static Connection connect(int node) throws IOException, TimeoutException {
    return nodes.connect(node);
  }
}
