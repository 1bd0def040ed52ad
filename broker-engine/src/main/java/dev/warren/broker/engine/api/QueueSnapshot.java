package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * A queue at one moment.
 *
 * @param owner the details of the connection an exclusive queue belongs to, or null
 * @param ready messages ready for delivery
 * @param unacknowledged messages delivered and not yet settled
 * @param unacknowledgedBytes body bytes of those
 * @param readyBytes body bytes of the ready messages
 * @param consumers consumers of the queue
 * @param singleActiveConsumerTag the consumer a single-active-consumer queue delivers to, or null
 * @param exclusiveConsumerTag the exclusive consumer's tag, or null
 * @param idleSince epoch milliseconds of the queue's last use
 * @param type "classic", or "quorum" for a cluster's replicated queues
 * @param statistics its message counters, and its message levels' rates of change
 * @param replicas a quorum queue's leader and members, null for a classic queue
 */
public record QueueSnapshot(
    String vhost,
    String name,
    boolean durable,
    boolean autoDelete,
    boolean exclusive,
    ConnectionDetails owner,
    Map<String, Object> arguments,
    long ready,
    long unacknowledged,
    long unacknowledgedBytes,
    long readyBytes,
    int consumers,
    String singleActiveConsumerTag,
    String exclusiveConsumerTag,
    long idleSince,
    String type,
    EffectivePolicyView policy,
    QueueStatistics statistics,
    QueueReplicas replicas) {}
