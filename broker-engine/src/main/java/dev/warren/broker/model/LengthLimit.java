package dev.warren.broker.model;

/**
 * A queue's {@code x-max-length} / {@code x-max-length-bytes} (body bytes of ready messages) and
 * what happens on overflow ({@code x-overflow}): drop-head (default) dead-letters the oldest
 * messages, reject-publish refuses the new one (its publisher is nacked), reject-publish-dlx
 * refuses and dead-letters it.
 */
final class LengthLimit {
  private final Long maxLength;
  private final Long maxBytes;
  private final String overflow;

  LengthLimit(QueueArguments arguments) {
    this.maxLength = arguments.maxLength();
    this.maxBytes = arguments.maxLengthBytes();
    this.overflow = arguments.overflow() == null ? "drop-head" : arguments.overflow();
  }

  boolean limited() {
    return maxLength != null || maxBytes != null;
  }

  /** Whether new messages are refused when full, rather than old ones dropped. */
  boolean rejectsPublish() {
    return limited() && !"drop-head".equals(overflow);
  }

  /** Whether a refused message is dead-lettered (reject-publish-dlx). */
  boolean deadLettersRejected() {
    return "reject-publish-dlx".equals(overflow);
  }

  /** Whether one more message of this size would exceed a limit. */
  boolean wouldOverflow(SizedReadyMessages ready, int bodySize) {
    return (maxLength != null && ready.size() + 1 > maxLength)
        || (maxBytes != null && ready.bytes() + bodySize > maxBytes);
  }

  /** Whether the ready messages exceed a limit now (drop-head drops until they do not). */
  boolean exceeded(SizedReadyMessages ready) {
    return (maxLength != null && ready.size() > maxLength)
        || (maxBytes != null && ready.bytes() > maxBytes);
  }
}
