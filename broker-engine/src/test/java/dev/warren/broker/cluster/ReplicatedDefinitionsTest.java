package dev.warren.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.definitions.DefinitionsValidator;
import dev.warren.broker.definitions.InvalidDefinitionException;
import dev.warren.broker.definitions.PermissionDefinition;
import dev.warren.broker.definitions.PolicyDefinition;
import dev.warren.broker.definitions.VirtualHostDefinition;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.model.Persistence;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.VirtualHost;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.security.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users, vhosts, permissions and policies through the metadata log, without Raft: the in-memory log
 * applies every entry on each node at once, so the tests are deterministic and use no threads.
 */
class ReplicatedDefinitionsTest {

  /** A node's definitions as a broker keeps them: each change checked where it applies. */
  private static final class Definitions implements DefinitionsReplica {
    private DefinitionsState state = DefinitionsState.EMPTY;
    private int replaced;

    @Override
    public DefinitionsState get() {
      return state;
    }

    @Override
    public void applyCommitted(List<DefinitionChange> changes) {
      DefinitionsState next = state;
      for (DefinitionChange change : changes) {
        DefinitionsValidator.check(next, change);
        next = next.apply(change);
      }
      state = next;
    }

    @Override
    public void replaceWith(DefinitionsState target) {
      DefinitionsState next = state;
      for (DefinitionChange change : state.changesTo(target)) {
        next = next.apply(change);
      }
      state = next;
      replaced++;
    }
  }

  /** A node: its definitions, its vhost "/" and the metadata log's state machine over both. */
  private record Node(
      Definitions local,
      ReplicatedDefinitions definitions,
      VirtualHost host,
      ReplicatedTopology topology,
      MetadataMachine machine) {
    static Node named(String id) {
      Definitions local = new Definitions();
      ReplicatedDefinitions definitions = new ReplicatedDefinitions(id, local);
      TopologyRecords records = new TopologyRecords(Persistence.NONE);
      VirtualHost host = new VirtualHost("/", records, id);
      ReplicatedTopology topology = new ReplicatedTopology(id, name -> host, records);
      return new Node(
          local, definitions, host, topology, new MetadataMachine(topology, definitions));
    }

    void join(InMemoryLog log) {
      log.add(machine);
      definitions.useLog(log);
      topology.useLog(log);
    }

    void decide(DefinitionChange... changes) {
      BrokerChannel.join(definitions.decide(List.of(changes)));
    }

    boolean seed(DefinitionChange... changes) {
      return BrokerChannel.join(definitions.seed(List.of(changes)));
    }

    DefinitionsState state() {
      return local.get();
    }
  }

  private final InMemoryLog log = new InMemoryLog();
  private final Node a = Node.named("a");
  private final Node b = Node.named("b");

  {
    a.join(log);
    b.join(log);
  }

  @Test
  void aBatchAskedForOnOneNodeIsAppliedOnEveryNode() {
    a.decide(vhost("orders"), user("app"), permission("app", "orders"));
    b.decide(policy("orders", "ttl", Map.of("message-ttl", 1000L)));

    for (Node node : List.of(a, b)) {
      DefinitionsState state = node.state();
      assertNotNull(state.virtualHost("orders"));
      assertEquals(List.of("monitoring"), state.user("app").tags());
      assertNotNull(state.permission("app", "orders"));
      assertEquals(Map.of("message-ttl", 1000L), state.policy("orders", "ttl").definition());
    }
    assertEquals(2, log.entries.size());
  }

  @Test
  void aBatchThatNoLongerFitsIsRefusedAlikeOnEveryNodeAndChangesNothing() {
    a.decide(vhost("orders"));
    // another node deleted the vhost after this one checked the batch: the log decides
    b.decide(new DefinitionChange.DeleteVirtualHost("orders"));

    InvalidDefinitionException refused =
        assertThrows(
            InvalidDefinitionException.class,
            () -> a.decide(user("app"), permission("app", "orders")));

    assertEquals("vhost_or_user_not_found", refused.getMessage());
    for (Node node : List.of(a, b)) {
      assertNull(node.state().user("app"), "all or none: the user of the batch is not there");
      assertNull(node.state().virtualHost("orders"));
    }
  }

  @Test
  void onlyTheFirstSeedAppliesOnEveryNode() {
    assertTrue(a.seed(vhost("/"), user("guest")));
    assertFalse(b.seed(vhost("/"), user("admin")));

    for (Node node : List.of(a, b)) {
      assertNotNull(node.state().user("guest"));
      assertNull(node.state().user("admin"));
    }
  }

  @Test
  void deletingWhatTheSeedGaveDoesNotBringItBack() {
    a.seed(vhost("/"), user("guest"));
    b.decide(new DefinitionChange.DeleteUser("guest"));

    assertFalse(b.seed(vhost("/"), user("guest")), "a restarting node's seed is ignored");
    assertNull(a.state().user("guest"));
  }

  @Test
  void withoutAMajorityAChangeTimesOutAndNothingChanges() {
    a.decide(vhost("orders"));
    log.cutOff();

    BrokerException refused =
        assertThrows(BrokerException.class, () -> a.decide(user("app"), permission("app", "/")));

    assertEquals(ReplyCode.INTERNAL_ERROR, refused.replyCode());
    assertEquals("failed to put user 'app' because the operation timed out", refused.getMessage());
    assertNull(a.state().user("app"));
    assertNull(b.state().user("app"));
  }

  @Test
  void aSnapshotGivesAFreshNodeTheDefinitionsTheTopologyAndTheSeed() {
    a.seed(vhost("/"), user("guest"));
    a.decide(vhost("orders"), user("app"), permission("app", "orders"));
    a.decide(policy("/", "lengths", Map.of("max-length", 5)));
    BrokerChannel.join(
        a.topology()
            .decide(
                a.host(),
                new TopologyChange.DeclareExchange(
                    new ExchangeDeclaration("events", "topic", true, false, false, Map.of()))));

    Node fresh = Node.named("fresh");
    fresh.machine().restore(a.machine().snapshot());

    assertEquals(a.state().asChanges(), fresh.state().asChanges());
    fresh.host().checkExchange("events");
    fresh.join(log);
    assertFalse(fresh.seed(vhost("/"), user("other")), "the snapshot says a seed was given");
  }

  @Test
  void restoringASnapshotRemovesWhatItLacks() {
    a.decide(vhost("orders"), user("app"), permission("app", "orders"));
    byte[] snapshot = a.machine().snapshot();
    a.decide(user("stale"), policy("orders", "p", Map.of("expires", 1000)));
    a.decide(new DefinitionChange.DeletePermission("app", "orders"));

    a.machine().restore(snapshot);

    assertNull(a.state().user("stale"));
    assertNull(a.state().policy("orders", "p"));
    assertNotNull(a.state().permission("app", "orders"));
    assertEquals(b.state().user("app"), a.state().user("app"));
    assertEquals(1, a.local().replaced);
  }

  @Test
  void everyDefinitionsCommandSurvivesTheCodec() {
    DefinitionsCommand command =
        new DefinitionsCommand(
            "n1",
            7,
            true,
            List.of(
                vhost("v"),
                user("u"),
                permission("u", "v"),
                policy("v", "p", Map.of("max-length", 3L, "overflow", "reject-publish")),
                new DefinitionChange.DeleteUser("u")));

    assertEquals(command, MetadataCodec.decodeEntry(MetadataCodec.encode(command)));
  }

  @Test
  void aSnapshotWrittenBeforeDefinitionsWereReplicatedHasNone() {
    MetadataSnapshot old = MetadataCodec.decodeSnapshot(MetadataCodec.encodeAll(List.of()));

    assertFalse(old.seeded());
    assertEquals(List.of(), old.definitions().asChanges());
  }

  private static DefinitionChange vhost(String name) {
    return new DefinitionChange.PutVirtualHost(
        new VirtualHostDefinition(name, "", List.of(), null, false));
  }

  private static DefinitionChange user(String name) {
    return new DefinitionChange.PutUser(User.withPassword(name, "secret", List.of("monitoring")));
  }

  private static DefinitionChange permission(String user, String vhost) {
    return new DefinitionChange.PutPermission(
        new PermissionDefinition(user, vhost, ".*", ".*", ".*"));
  }

  private static DefinitionChange policy(String vhost, String name, Map<String, Object> keys) {
    return new DefinitionChange.PutPolicy(
        new PolicyDefinition(vhost, name, ".*", "queues", 0, keys));
  }
}
