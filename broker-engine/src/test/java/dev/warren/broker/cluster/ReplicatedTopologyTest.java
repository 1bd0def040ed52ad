package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.Message;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.QueueOwner;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.ReplyCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replicated topology without Raft: an in-memory log applies every appended entry to each node
 * at once, in order, so the tests are deterministic and use no threads or sockets.
 */
class ReplicatedTopologyTest {

  /** A node: its model of vhost "/" and the topology that logs its changes. */
  private record Node(VirtualHost host, ReplicatedTopology topology, TopologyRecords records) {
    static Node named(String id) {
      TopologyRecords records = new TopologyRecords(Persistence.NONE);
      VirtualHost host = new VirtualHost("/", records, id);
      return new Node(host, new ReplicatedTopology(id, name -> host, records), records);
    }

    <R> R decide(TopologyChange<R> change) {
      return BrokerChannel.join(topology.decide(host, change));
    }
  }

  private final Node a = Node.named("a");
  private final Node b = Node.named("b");
  private final InMemoryLog log = logOf(a, b);

  private static InMemoryLog logOf(Node... nodes) {
    InMemoryLog log = new InMemoryLog();
    for (Node node : nodes) {
      log.add(node.topology());
      node.topology().useLog(log);
    }
    return log;
  }

  @Test
  void aChangeAskedForOnOneNodeIsAppliedOnEveryNode() {
    a.decide(exchange("orders", "topic"));
    a.decide(queue("orders.eu", Map.of("x-max-length", 10)));
    a.decide(bind("orders.eu", "orders", "eu.#"));

    for (Node node : List.of(a, b)) {
      node.host().checkExchange("orders");
      assertNotNull(node.host().queueForUse("orders.eu", null));
      // the binding is there: deleting its exchange if unused is refused
      BrokerException inUse =
          assertThrows(BrokerException.class, () -> node.host().deleteExchange("orders", true));
      assertEquals(ReplyCode.PRECONDITION_FAILED, inUse.replyCode());
    }
    assertEquals(3, log.entries.size());
  }

  @Test
  void aRefusalIsTheSameOnEveryNodeAndChangesNothing() {
    a.decide(queue("q", Map.of("x-max-length", 10)));

    BrokerException refused =
        assertThrows(BrokerException.class, () -> b.decide(queue("q", Map.of("x-max-length", 20))));

    assertEquals(ReplyCode.PRECONDITION_FAILED, refused.replyCode());
    assertEquals(Map.of("x-max-length", 10), a.host().queueForUse("q", null).arguments());
    assertEquals(Map.of("x-max-length", 10), b.host().queueForUse("q", null).arguments());
  }

  @Test
  void aServerNamedQueueHasTheSameNameOnEveryNode() {
    QueueOwner owner = new QueueOwner("a", 7);
    VirtualHost.QueueDeclared declared =
        a.decide(
            new TopologyChange.DeclareQueue(
                new QueueDeclaration("", false, true, false, Map.of()), owner, "a", null));

    String name = declared.queue().name();
    assertTrue(name.startsWith("amq.gen-"), name);
    assertNotNull(a.host().queueForUse(name, owner));
    // exclusive to a connection on node a: locked for anyone else on node b
    BrokerException locked =
        assertThrows(
            BrokerException.class, () -> b.host().queueForUse(name, new QueueOwner("b", 7)));
    assertEquals(ReplyCode.RESOURCE_LOCKED, locked.replyCode());
  }

  @Test
  void aConditionalDeleteIsCheckedWhereTheMessagesAreAndLoggedUnconditionally() {
    a.decide(queue("work", Map.of()));
    a.host()
        .queueForUse("work", null)
        .enqueue(new Message("", "work", BasicProperties.EMPTY, new byte[] {1}));
    int logged = log.entries.size();

    BrokerException notEmpty =
        assertThrows(
            BrokerException.class,
            () -> a.decide(new TopologyChange.DeleteQueue("work", null, false, true)));

    assertEquals(ReplyCode.PRECONDITION_FAILED, notEmpty.replyCode());
    assertEquals(logged, log.entries.size(), "a refused deletion is never logged");
    // on node b, where the queue is empty, the same deletion goes through for everyone
    b.decide(new TopologyChange.DeleteQueue("work", null, false, true));
    assertThrows(BrokerException.class, () -> a.host().queueForUse("work", null));
  }

  @Test
  void aSnapshotRebuildsTheTopologyOnANewNode() {
    a.decide(exchange("logs", "fanout"));
    a.decide(queue("audit", Map.of("x-message-ttl", 60000)));
    a.decide(bind("audit", "logs", ""));
    a.decide(new TopologyChange.BindExchange("logs", "amq.topic", "log.#", Map.of(), true));

    Node c = Node.named("c");
    c.topology().restore(a.topology().snapshot());

    assertEquals(
        commandsOf(a.records()), commandsOf(c.records()), "the same declarations, in order");
    BrokerException inUse =
        assertThrows(BrokerException.class, () -> c.host().deleteExchange("logs", true));
    assertEquals(ReplyCode.PRECONDITION_FAILED, inUse.replyCode());
  }

  @Test
  void restoringASnapshotRemovesWhatItLacksAndKeepsWhatItHas() {
    a.decide(exchange("kept", "direct"));
    a.decide(queue("kept-queue", Map.of()));
    a.decide(bind("kept-queue", "kept", "k"));
    byte[] snapshot = a.topology().snapshot();
    a.decide(queue("gone", Map.of()));
    a.decide(bind("kept-queue", "kept", "extra"));

    b.topology().restore(snapshot);

    assertThrows(BrokerException.class, () -> b.host().queueForUse("gone", null));
    assertEquals(commandsOf(snapshotNode(snapshot).records()), commandsOf(b.records()));
  }

  @Test
  void everyCommandSurvivesTheCodec() {
    QueueOwner owner = new QueueOwner("n1", 42);
    List<TopologyChange<?>> changes =
        List.of(
            new TopologyChange.DeclareExchange(
                new ExchangeDeclaration(
                    "x", "headers", true, true, true, Map.of("alternate-exchange", "ae"))),
            new TopologyChange.DeleteExchange("x", true),
            new TopologyChange.DeclareQueue(
                new QueueDeclaration("", true, true, true, Map.of("x-expires", 5000)),
                owner,
                "n1",
                "amq.gen-abc"),
            new TopologyChange.DeleteQueue("q", owner, true, true),
            new TopologyChange.BindQueue("q", "x", "k", Map.of("x-match", "all"), owner, false),
            new TopologyChange.BindExchange("d", "s", "k", Map.of(), true));
    for (TopologyChange<?> change : changes) {
      MetadataCommand command = new MetadataCommand("n1", 9, "/v", change);
      assertEquals(command, MetadataCodec.decode(MetadataCodec.encode(command)));
    }
  }

  private static Node snapshotNode(byte[] snapshot) {
    Node fresh = Node.named("fresh");
    fresh.topology().restore(snapshot);
    return fresh;
  }

  private static List<MetadataCommand> commandsOf(TopologyRecords records) {
    return records.commands();
  }

  private static TopologyChange.DeclareExchange exchange(String name, String type) {
    return new TopologyChange.DeclareExchange(
        new ExchangeDeclaration(name, type, true, false, false, Map.of()));
  }

  private static TopologyChange.DeclareQueue queue(String name, Map<String, Object> arguments) {
    return new TopologyChange.DeclareQueue(
        new QueueDeclaration(name, true, false, false, arguments), null, "a", null);
  }

  private static TopologyChange.BindQueue bind(String queue, String exchange, String key) {
    return new TopologyChange.BindQueue(queue, exchange, key, Map.of(), null, true);
  }
}
