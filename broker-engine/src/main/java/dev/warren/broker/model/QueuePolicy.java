package dev.warren.broker.model;

import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * A queue's effective settings: its own {@code x-} arguments combined with the keys of the policy
 * (and operator policy) that applies to it, per key as RabbitMQ 4.0 resolves them. Where both set a
 * key, classic queues ({@code rabbit_amqqueue_process:process_args_policy}) take the lower of the
 * two limits and their own dead-letter exchange, routing key and overflow; quorum queues ({@code
 * rabbit_quorum_queue:gather_policy_config}) take the lower limits too, but the policy's overflow.
 * Only quorum queues know {@code delivery-limit}. {@code max-priority} and {@code
 * single-active-consumer} are not policy keys in RabbitMQ: they come from the arguments only.
 */
public final class QueuePolicy {
  private static final BinaryOperator<Long> LOWER = Math::min;
  private static final BinaryOperator<String> ARGUMENT = (policy, argument) -> argument;
  private static final BinaryOperator<String> POLICY = (policy, argument) -> policy;

  private QueuePolicy() {}

  /**
   * @param declared the queue's own arguments
   * @param policy the effective policy definition (see {@code PolicyRegistry}), empty if none
   * @param quorum whether the queue was declared with {@code x-queue-type: quorum}
   */
  public static QueueArguments resolve(
      QueueArguments declared, Map<String, Object> policy, boolean quorum) {
    if (policy.isEmpty()) {
      return declared;
    }
    return new QueueArguments(
        number(policy, "message-ttl", declared.messageTtl(), LOWER),
        number(policy, "expires", declared.expires(), LOWER),
        number(policy, "max-length", declared.maxLength(), LOWER),
        number(policy, "max-length-bytes", declared.maxLengthBytes(), LOWER),
        text(policy, "overflow", declared.overflow(), quorum ? POLICY : ARGUMENT),
        text(policy, "dead-letter-exchange", declared.deadLetterExchange(), ARGUMENT),
        text(policy, "dead-letter-routing-key", declared.deadLetterRoutingKey(), ARGUMENT),
        declared.maxPriority(),
        declared.singleActiveConsumer(),
        quorum
            ? number(policy, "delivery-limit", declared.deliveryLimit(), QueuePolicy::deliveryLimit)
            : declared.deliveryLimit());
  }

  /** RabbitMQ's resolve_delivery_limit: a negative value (no limit) wins over a limit. */
  private static Long deliveryLimit(Long policy, Long argument) {
    return policy < 0 || argument < 0 ? Math.max(policy, argument) : Math.min(policy, argument);
  }

  private static Long number(
      Map<String, Object> policy, String key, Long argument, BinaryOperator<Long> resolve) {
    Long value = policy.get(key) instanceof Number n ? n.longValue() : null;
    if (value == null) {
      return argument;
    }
    return argument == null ? value : resolve.apply(value, argument);
  }

  private static String text(
      Map<String, Object> policy, String key, String argument, BinaryOperator<String> resolve) {
    String value = QueueArguments.textValue(policy.get(key));
    if (value == null) {
      return argument;
    }
    return argument == null ? value : resolve.apply(value, argument);
  }
}
