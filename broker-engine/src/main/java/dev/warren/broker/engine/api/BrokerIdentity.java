package dev.warren.broker.engine.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a broker says it is, in RabbitMQ's terms: a node name ({@code warren@host}), the RabbitMQ
 * version whose behaviour it implements, and its own product name and version.
 *
 * @param node the node's name, as in RabbitMQ's {@code rabbit@host}
 * @param productName "Warren"
 * @param productVersion Warren's version
 * @param rabbitmqVersion the RabbitMQ version whose behaviour Warren follows
 * @param startedAt when the broker started, epoch milliseconds
 */
public record BrokerIdentity(
    String node,
    String productName,
    String productVersion,
    String rabbitmqVersion,
    long startedAt) {

  /** The identity of a broker starting now on this host. */
  public static BrokerIdentity startingNow(
      String productName, String productVersion, String rabbitmqVersion) {
    return new BrokerIdentity(
        "warren@" + hostName(),
        productName,
        productVersion,
        rabbitmqVersion,
        System.currentTimeMillis());
  }

  /** The same broker under another node name (a cluster node's is its node id). */
  public BrokerIdentity withNode(String name) {
    return new BrokerIdentity(name, productName, productVersion, rabbitmqVersion, startedAt);
  }

  private static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
