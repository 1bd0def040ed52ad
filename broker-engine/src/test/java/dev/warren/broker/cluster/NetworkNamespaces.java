package dev.warren.broker.cluster;

import dev.warren.broker.testsupport.HostCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * One network namespace per node, made by the test: each node's namespace has a veth pair into a
 * bridge that lives in a namespace of its own (so that no packet filter of this machine sees the
 * bridged traffic), and a third veth pair joins that bridge to this namespace, where the test's
 * clients run. All on one /24 of addresses that exist only inside these namespaces. A partition is
 * a packet filter inside one node's namespace that drops whatever comes from or goes to the other
 * nodes, so its clients still reach it. Needs root: skipped without it, and failed on CI if the
 * namespaces cannot be made.
 */
final class NetworkNamespaces implements NodeNetwork {
  private static final System.Logger LOG = System.getLogger(NetworkNamespaces.class.getName());

  private final String prefix;
  private final String subnet;
  private final int size;
  private final List<String> made = new ArrayList<>();

  private NetworkNamespaces(String prefix, String subnet, int size) {
    this.prefix = prefix;
    this.subnet = subnet;
    this.size = size;
  }

  /** Makes the namespaces of {@code size} nodes (skips the test if it cannot). */
  static NetworkNamespaces create(int size) throws Exception {
    HostCommands.requireRoot("a partition between network namespaces");
    // a number of this run's own, so that two builds on one machine do not meet
    int first = (int) (ProcessHandle.current().pid() % 200);
    for (int attempt = 0; attempt < 20; attempt++) {
      int number = 20 + (first + attempt) % 200;
      String prefix = "wq" + number;
      if (HostCommands.run("ip", "netns", "add", prefix + "-sw") != null) {
        continue; // taken by another run
      }
      NetworkNamespaces network = new NetworkNamespaces(prefix, "10.215." + number, size);
      network.made.add(prefix + "-sw");
      try {
        network.build();
      } catch (IllegalStateException e) {
        network.close();
        HostCommands.skipOrFail("cannot build the test network: " + e.getMessage());
      }
      return network;
    }
    HostCommands.skipOrFail("cannot create a network namespace");
    throw new AssertionError("unreachable");
  }

  private void build() throws Exception {
    String bridgeSpace = prefix + "-sw";
    require("ip", "-n", bridgeSpace, "link", "add", "br0", "type", "bridge");
    require("ip", "-n", bridgeSpace, "link", "set", "br0", "up");
    String clientSide = prefix + "h";
    require(
        "ip",
        "link",
        "add",
        clientSide,
        "type",
        "veth",
        "peer",
        "name",
        clientSide + "b",
        "netns",
        bridgeSpace);
    require("ip", "addr", "add", subnet + ".254/24", "dev", clientSide);
    require("ip", "link", "set", clientSide, "up");
    plug(bridgeSpace, clientSide + "b");
    for (int i = 0; i < size; i++) {
      String space = namespace(i);
      require("ip", "netns", "add", space);
      made.add(space);
      String nodeSide = prefix + "n" + (i + 1);
      require(
          "ip",
          "-n",
          bridgeSpace,
          "link",
          "add",
          prefix + "b" + (i + 1),
          "type",
          "veth",
          "peer",
          "name",
          nodeSide,
          "netns",
          space);
      plug(bridgeSpace, prefix + "b" + (i + 1));
      require("ip", "-n", space, "addr", "add", address(i) + "/24", "dev", nodeSide);
      require("ip", "-n", space, "link", "set", nodeSide, "up");
      require("ip", "-n", space, "link", "set", "lo", "up");
    }
  }

  private static void plug(String bridgeSpace, String link) throws Exception {
    require("ip", "-n", bridgeSpace, "link", "set", link, "master", "br0");
    require("ip", "-n", bridgeSpace, "link", "set", link, "up");
  }

  private String namespace(int index) {
    return prefix + "-n" + (index + 1);
  }

  @Override
  public String address(int index) {
    return subnet + "." + (index + 1);
  }

  @Override
  public List<String> launcher(int index) {
    return List.of("ip", "netns", "exec", namespace(index));
  }

  /** The test's clients come from another address than the node's: guest may log in. */
  @Override
  public List<String> brokerArguments() {
    return List.of("--loopback-users", "");
  }

  @Override
  public void isolate(int index) throws Exception {
    for (int other = 0; other < size; other++) {
      if (other != index) {
        filter(index, "-A", "INPUT", "-s", address(other), "-j", "DROP");
        filter(index, "-A", "OUTPUT", "-d", address(other), "-j", "DROP");
      }
    }
  }

  @Override
  public void heal() throws Exception {
    for (int i = 0; i < size; i++) {
      filter(i, "-F");
    }
  }

  private void filter(int index, String... rule) throws Exception {
    List<String> command = new ArrayList<>(launcher(index));
    command.add("iptables");
    command.addAll(List.of(rule));
    require(command.toArray(String[]::new));
  }

  private static void require(String... command) throws Exception {
    String failure = HostCommands.run(command);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** Deletes the namespaces (their veth pairs go with them) and this side's veth. */
  @Override
  public void close() throws Exception {
    for (String space : made) {
      String failure = HostCommands.run("ip", "netns", "del", space);
      if (failure != null) {
        LOG.log(System.Logger.Level.WARNING, failure);
      }
    }
    HostCommands.run("ip", "link", "del", prefix + "h");
  }
}
