package dev.warren.rar.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.warren.broker.cluster.ClusterConfig;
import dev.warren.broker.testsupport.FreePorts;
import dev.warren.rar.adapter.testsupport.ExternalWarren;
import dev.warren.rar.adapter.testsupport.RunningAdapter;
import dev.warren.rar.adapter.testsupport.SingleConnectionPool;
import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's embedded broker as a node of a Warren cluster, beside two standalone brokers: what
 * a committed transaction of the connection factory publishes to a quorum queue is on the other
 * nodes, and stays there once the adapter's server is gone.
 */
class AdapterClusterTest {
  private static final String CLUSTER = "adapter-cluster";

  @TempDir Path dir;

  private record TestXid(int id) implements Xid {
    @Override
    public int getFormatId() {
      return 4712;
    }

    @Override
    public byte[] getGlobalTransactionId() {
      return ("cluster-" + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBranchQualifier() {
      return new byte[] {1};
    }
  }

  /** The container tells adapter instances apart by their properties, the cluster's included. */
  @Test
  void adaptersThatDifferOnlyInTheirClusterNodeAreNotEqual() {
    WarrenResourceAdapter first = new WarrenResourceAdapter();
    WarrenResourceAdapter second = new WarrenResourceAdapter();
    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
    first.setNodeId("n1");
    second.setNodeId("n2");
    assertNotEquals(first, second);
    second.setNodeId("n1");
    second.setClusterPeers("n1=127.0.0.1:7000");
    assertNotEquals(first, second);
  }

  @Test
  void aCommittedPublishToAQuorumQueueOutlivesTheAdaptersNode() throws Exception {
    List<Integer> ports = FreePorts.take(6);
    String peers =
        "a=127.0.0.1:%d,b=127.0.0.1:%d,c=127.0.0.1:%d"
            .formatted(ports.get(0), ports.get(1), ports.get(2));
    // the forwarding links on free ports too (the default, Raft port + 10000, may be taken)
    String links =
        "a=127.0.0.1:%d,b=127.0.0.1:%d,c=127.0.0.1:%d"
            .formatted(ports.get(3), ports.get(4), ports.get(5));
    List<ExternalWarren> standalone = new ArrayList<>();
    ExecutorService starting = Executors.newFixedThreadPool(2);
    RunningAdapter running = null;
    try {
      // each node waits for a majority while it starts: the three start at once
      List<Future<ExternalWarren>> others = new ArrayList<>();
      for (String id : List.of("b", "c")) {
        others.add(
            starting.submit(
                () ->
                    ExternalWarren.start(
                        dir.resolve(id),
                        config ->
                            config.withCluster(
                                ClusterConfig.of(
                                    id,
                                    peers,
                                    -1,
                                    CLUSTER,
                                    ClusterConfig.DEFAULT_QUORUM_SHARDS,
                                    links)))));
      }
      running =
          new RunningAdapter(
              dir.resolve("a"),
              adapter -> {
                adapter.setNodeId("a");
                adapter.setClusterPeers(peers);
                adapter.setClusterName(CLUSTER);
                adapter.setClusterLinks(links);
              });
      for (Future<ExternalWarren> other : others) {
        standalone.add(other.get(5, TimeUnit.MINUTES));
      }

      try (Connection client = running.externalClient()) {
        assertEquals(CLUSTER, client.getServerProperties().get("cluster_name").toString());
        client
            .createChannel()
            .queueDeclare("orders", true, false, false, Map.of("x-queue-type", "quorum"));
      }
      try (SingleConnectionPool pool = new SingleConnectionPool(running.adapter)) {
        inTransaction(pool, new TestXid(1), "rolled back", false);
        inTransaction(pool, new TestXid(2), "committed", true);
      }
      running.close();
      running = null;

      try (Connection client = connect(standalone.get(1).port())) {
        Channel channel = client.createChannel();
        GetResponse got = channel.basicGet("orders", true);
        assertNotNull(got, "the committed message is on node c once the adapter's node is gone");
        assertEquals("committed", new String(got.getBody(), StandardCharsets.UTF_8));
        assertNull(channel.basicGet("orders", true), "the rolled-back one never was");
      }
    } finally {
      if (running != null) {
        running.close();
      }
      starting.shutdownNow();
      standalone.forEach(ExternalWarren::close);
    }
  }

  /** One XA transaction of the connection factory, as the container runs it. */
  private static void inTransaction(SingleConnectionPool pool, Xid xid, String body, boolean commit)
      throws Exception {
    try (AmqpConnection connection = pool.connection()) {
      XAResource xa = pool.xaResource();
      xa.start(xid, XAResource.TMNOFLAGS);
      connection.publish(
          "",
          "orders",
          MessageProperties.builder().persistent().build(),
          body.getBytes(StandardCharsets.UTF_8));
      xa.end(xid, XAResource.TMSUCCESS);
      if (commit) {
        xa.commit(xid, true);
      } else {
        xa.rollback(xid);
      }
    }
  }

  private static Connection connect(int port) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    return factory.newConnection("cluster-test");
  }
}
