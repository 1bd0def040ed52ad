package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.engine.BrokerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  private static final String PEERS = "n1=10.0.0.1:4001, n2=node-two.example:4002,n3=[::1]:4003";

  @Test
  void withoutClusterOptionsTheBrokerIsOnItsOwn() {
    assertNull(Main.parse(new String[] {"--port", "5680"}, BrokerConfig.defaults()).cluster());
  }

  @Test
  void theNodeIdAndPeerListMakeAClusterNode() {
    ClusterConfig cluster =
        Main.parse(
                new String[] {
                  "--node-id", "n2",
                  "--cluster-peers", PEERS,
                  "--cluster-name", "prod",
                  "--cluster-quorum-shards", "8"
                },
                BrokerConfig.defaults())
            .cluster();
    assertEquals("n2", cluster.nodeId());
    assertEquals("prod", cluster.name());
    assertEquals(8, cluster.quorumShards());
    assertEquals(4002, cluster.port(), "the node's own entry gives its Raft port");
    assertEquals(
        List.of(
            new ClusterConfig.Peer("n1", "10.0.0.1", 4001),
            new ClusterConfig.Peer("n2", "node-two.example", 4002),
            new ClusterConfig.Peer("n3", "[::1]", 4003)),
        cluster.peerList());
  }

  @Test
  void theClusterPortAndNameHaveDefaults() {
    ClusterConfig cluster =
        Main.parse(
                new String[] {"--node-id", "n1", "--cluster-peers", PEERS, "--cluster-port", "0"},
                BrokerConfig.defaults())
            .cluster();
    assertEquals(0, cluster.port());
    assertEquals("warren", cluster.name());
    assertEquals(4, cluster.quorumShards());
  }

  @Test
  void badClusterOptionsAreRefusedWithTheReason() {
    assertRefused("needs both", "--node-id", "n1");
    assertRefused("needs both", "--cluster-peers", PEERS);
    assertRefused("is not one of", "--node-id", "n9", "--cluster-peers", PEERS);
    assertRefused("expected id=host:port", "--node-id", "n1", "--cluster-peers", "n1=host");
    assertRefused("listed twice", "--node-id", "n1", "--cluster-peers", "n1=a:1,n1=b:2");
    assertRefused("a node id is", "--node-id", "n 1", "--cluster-peers", "n 1=a:1");
    assertRefused(
        "--cluster-port", "--node-id", "n1", "--cluster-peers", PEERS, "--cluster-port", "70000");
    assertRefused(
        "quorum shards must be",
        "--node-id",
        "n1",
        "--cluster-peers",
        PEERS,
        "--cluster-quorum-shards",
        "0");
  }

  private static void assertRefused(String reason, String... args) {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> Main.parse(args, BrokerConfig.defaults()));
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
  }
}
