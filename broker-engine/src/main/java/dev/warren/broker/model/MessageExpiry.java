package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.BasicProperties;

/**
 * Message TTL: a queue's {@code x-message-ttl} and a message's {@code expiration} property (a
 * decimal number of milliseconds), the lower of the two winning, as in RabbitMQ. Expiry times are
 * wall-clock milliseconds.
 */
public final class MessageExpiry {
  /** The expiry time of a message that never expires. */
  public static final long NEVER = Long.MAX_VALUE;

  private MessageExpiry() {}

  /**
   * Checks a published message's expiration property as RabbitMQ's channel does.
   *
   * @throws BrokerException PRECONDITION_FAILED "invalid expiration '...': reason"
   */
  public static void validate(BasicProperties properties) {
    String expiration = properties.expiration();
    if (expiration != null) {
      String error = parseError(expiration);
      if (error != null) {
        throw BrokerException.preconditionFailed(
            "invalid expiration '" + expiration + "': " + error);
      }
    }
  }

  /** RabbitMQ's {@code rabbit_basic:parse_expiration} error term, or null if valid. */
  private static String parseError(String expiration) {
    int end = 0;
    if (end < expiration.length() && (expiration.charAt(0) == '-' || expiration.charAt(0) == '+')) {
      end++;
    }
    int digitsStart = end;
    while (end < expiration.length() && Character.isDigit(expiration.charAt(end))) {
      end++;
    }
    if (end == digitsStart) {
      return "no_integer";
    }
    if (end < expiration.length()) {
      return "{leftover_string,\"" + expiration.substring(end) + "\"}";
    }
    long value;
    try {
      value = Long.parseLong(expiration);
    } catch (NumberFormatException tooLong) {
      return "{value_too_large," + expiration + "," + QueueArgumentValidator.MAX_EXPIRY + "}";
    }
    if (value < 0) {
      return "{value_negative," + value + "}";
    }
    if (value > QueueArgumentValidator.MAX_EXPIRY) {
      return "{value_too_large," + value + "," + QueueArgumentValidator.MAX_EXPIRY + "}";
    }
    return null;
  }

  /** The per-message TTL in milliseconds, or -1 if the message has none (or an invalid one). */
  static long messageTtl(Message message) {
    String expiration = message.properties().expiration();
    if (expiration == null || parseError(expiration) != null) {
      return -1;
    }
    return Long.parseLong(expiration);
  }

  /** When a message entering a queue with the given x-message-ttl (or null) expires. */
  public static long expiresAt(Message message, Long queueTtl, long now) {
    long ttl = messageTtl(message);
    if (queueTtl != null) {
      ttl = ttl < 0 ? queueTtl : Math.min(ttl, queueTtl);
    }
    return ttl < 0 ? NEVER : now + ttl;
  }

  static boolean isExpired(QueueEntry entry, long now) {
    return entry.expiresAt() <= now;
  }
}
