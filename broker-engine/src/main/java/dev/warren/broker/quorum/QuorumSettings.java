package dev.warren.broker.quorum;

import dev.warren.broker.model.QueueArguments;
import java.util.Map;

/**
 * A quorum queue's settings: at declaration those of its arguments (every member parses the same
 * ones), later those its home node resolved with a policy and put in the log ({@link
 * QuorumCommand.Configure}).
 *
 * @param maxLength {@code x-max-length}: ready messages, or null
 * @param maxLengthBytes {@code x-max-length-bytes}: ready message bodies, or null
 * @param rejectPublish {@code x-overflow: reject-publish} (or {@code reject-publish-dlx}) rather
 *     than the default drop-head
 * @param deadLetterRejected {@code reject-publish-dlx}: a refused publish is dead-lettered too
 * @param deliveryLimit {@code x-delivery-limit}: returns after which a message is dead-lettered;
 *     RabbitMQ 4's default is 20, and -1 means no limit
 * @param messageTtl {@code x-message-ttl} in milliseconds, or null
 * @param singleActiveConsumer {@code x-single-active-consumer}
 */
public record QuorumSettings(
    Long maxLength,
    Long maxLengthBytes,
    boolean rejectPublish,
    boolean deadLetterRejected,
    long deliveryLimit,
    Long messageTtl,
    boolean singleActiveConsumer) {

  /** RabbitMQ 4.0's default {@code x-delivery-limit} for quorum queues. */
  public static final long DEFAULT_DELIVERY_LIMIT = 20;

  public static final QuorumSettings DEFAULTS =
      new QuorumSettings(null, null, false, false, DEFAULT_DELIVERY_LIMIT, null, false);

  public static QuorumSettings of(Map<String, Object> arguments) {
    return of(QueueArguments.parse(arguments));
  }

  /** The settings of a queue's effective arguments (see {@code QueuePolicy}). */
  public static QuorumSettings of(QueueArguments parsed) {
    String overflow = parsed.overflow() == null ? "drop-head" : parsed.overflow();
    return new QuorumSettings(
        parsed.maxLength(),
        parsed.maxLengthBytes(),
        !overflow.equals("drop-head"),
        overflow.equals("reject-publish-dlx"),
        parsed.deliveryLimit() == null ? DEFAULT_DELIVERY_LIMIT : parsed.deliveryLimit(),
        parsed.messageTtl(),
        parsed.singleActiveConsumer());
  }

  /** Whether a publish can be refused: reject-publish overflow with a limit to reach. */
  boolean refusesPublishes() {
    return rejectPublish && limited();
  }

  boolean limited() {
    return maxLength != null || maxLengthBytes != null;
  }

  /** Whether {@code count} ready messages of {@code bytes} in all exceed the limits. */
  boolean over(long count, long bytes) {
    return (maxLength != null && count > maxLength)
        || (maxLengthBytes != null && bytes > maxLengthBytes);
  }

  boolean deliveryLimitExceeded(int deliveryCount) {
    return deliveryLimit >= 0 && deliveryCount > deliveryLimit;
  }
}
