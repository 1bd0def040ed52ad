package dev.warren.broker.cluster;

import java.util.List;

/**
 * Where the nodes of a {@link ClusterNodes} run: each node's address, the command prefix that
 * launches it there, and the faults that can be made between them.
 */
interface NodeNetwork extends AutoCloseable {
  /** The address node {@code index} binds to and clients reach it at. */
  String address(int index);

  /** What the node's java command is run through (nothing on loopback). */
  List<String> launcher(int index);

  /** Options every node needs on this network. */
  List<String> brokerArguments();

  /** Cuts node {@code index} off from the other nodes; clients still reach it. */
  void isolate(int index) throws Exception;

  /** Ends every isolation. */
  void heal() throws Exception;

  @Override
  void close() throws Exception;

  /** Every node on 127.0.0.1 in this network namespace: no partitions. */
  static NodeNetwork loopback() {
    return new NodeNetwork() {
      @Override
      public String address(int index) {
        return "127.0.0.1";
      }

      @Override
      public List<String> launcher(int index) {
        return List.of();
      }

      @Override
      public List<String> brokerArguments() {
        return List.of();
      }

      @Override
      public void isolate(int index) {
        throw new UnsupportedOperationException("partitions need network namespaces");
      }

      @Override
      public void heal() {}

      @Override
      public void close() {}
    };
  }
}
