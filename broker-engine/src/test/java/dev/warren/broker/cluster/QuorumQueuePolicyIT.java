package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy on a quorum queue of a three-node cluster: the node the queue was declared on puts the
 * settings the policy gives it in the queue's log, so every member trims the queue alike. The
 * policy comes from the definitions file every node loads at start (policies are each node's own
 * until they are in the metadata log).
 */
class QuorumQueuePolicyIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path directory;
  private static ClusterNodes nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    Path definitions = directory.resolve("definitions.json");
    Files.writeString(
        definitions,
        """
        {"users": [{"name": "guest", "password": "guest", "tags": "administrator"}],
         "vhosts": [{"name": "/"}],
         "permissions": [
           {"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}],
         "policies": [
           {"vhost": "/", "name": "keep-two", "pattern": "^capped$", "apply-to": "queues",
            "priority": 0, "definition": {"max-length": 2}}]}
        """);
    nodes = ClusterNodes.start(directory, "policy-it", 3, "--definitions", definitions.toString());
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aMaxLengthPolicyKeepsTheNewestMessagesOnEveryNode() throws Exception {
    try (Connection declaring = nodes.connect(0)) {
      declaring
          .createChannel()
          .queueDeclare("capped", true, false, false, Map.of("x-queue-type", "quorum"));
    }
    try (Connection publishing = nodes.connect(1)) {
      Channel channel = publishing.createChannel();
      channel.confirmSelect();
      for (int i = 1; i <= 5; i++) {
        channel.basicPublish("", "capped", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(WAIT.toMillis());
    }
    try (Connection consuming = nodes.connect(2)) {
      Channel channel = consuming.createChannel();
      long deadline = System.nanoTime() + WAIT.toNanos();
      int ready = channel.queueDeclarePassive("capped").getMessageCount();
      while (ready != 2 && System.nanoTime() < deadline) {
        Thread.sleep(50); // another node's log catching up: nothing to wait on instead
        ready = channel.queueDeclarePassive("capped").getMessageCount();
      }
      assertEquals(2, ready);
      List<String> bodies = new ArrayList<>();
      for (GetResponse r = channel.basicGet("capped", true);
          r != null;
          r = channel.basicGet("capped", true)) {
        bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
      }
      assertEquals(List.of("m4", "m5"), bodies);
    }
  }
}
