package dev.warren.broker.engine.api;

/**
 * The message counters the broker keeps per channel, per queue, per virtual host and for the node.
 * {@link #managementName()} is the key RabbitMQ's management API uses for it in {@code
 * message_stats}, or null for the two counters only Prometheus shows.
 */
public enum MessageCounter {
  /** Messages received from publishers. */
  PUBLISH("publish"),
  /** Messages received on channels in confirm mode. */
  PUBLISH_CONFIRM(null),
  /** Messages routed to at least one queue. */
  ROUTED(null),
  /** Mandatory messages sent back as unroutable (basic.return). */
  RETURN_UNROUTABLE("return_unroutable"),
  /** Messages that reached no queue and were not mandatory. */
  DROP_UNROUTABLE("drop_unroutable"),
  /** Messages confirmed to publishers (basic.ack from the broker). */
  CONFIRM("confirm"),
  /** Deliveries to basic.consume consumers that acknowledge. */
  DELIVER("deliver"),
  /** Deliveries to basic.consume consumers with no-ack. */
  DELIVER_NO_ACK("deliver_no_ack"),
  /** Messages fetched with basic.get to be acknowledged. */
  GET("get"),
  /** Messages fetched with basic.get and no-ack. */
  GET_NO_ACK("get_no_ack"),
  /** basic.get calls that found the queue empty. */
  GET_EMPTY("get_empty"),
  /** Deliveries (consumed or fetched) of messages delivered before. */
  REDELIVER("redeliver"),
  /** Messages acknowledged by consumers. */
  ACK("ack");

  private final String managementName;

  MessageCounter(String managementName) {
    this.managementName = managementName;
  }

  public String managementName() {
    return managementName;
  }
}
