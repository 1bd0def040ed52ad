package dev.warren.broker.model;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Direct reply-to: an RPC client consumes (no-ack) from the pseudo-queue {@code
 * amq.rabbitmq.reply-to}, publishes requests with that name as reply_to, and the broker rewrites it
 * to a private address; a reply published to the default exchange with that address as routing key
 * goes straight to the client's consumer, with no queue in between.
 */
public final class DirectReplyTo {
  public static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
  private static final String ADDRESS_PREFIX = PSEUDO_QUEUE + ".";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reply address → the consumer; the predicate answers false if its channel has closed. */
  private final Map<String, Predicate<Message>> consumers = new ConcurrentHashMap<>();

  /** Registers a reply consumer and returns its private reply address. */
  public String register(Predicate<Message> consumer) {
    byte[] token = new byte[18];
    RANDOM.nextBytes(token);
    String address = ADDRESS_PREFIX + Base64.getUrlEncoder().encodeToString(token);
    consumers.put(address, consumer);
    return address;
  }

  public void unregister(String address) {
    consumers.remove(address);
  }

  /** Whether a queue name is direct reply-to's (the pseudo-queue or anything starting with it). */
  public static boolean isReplyQueueName(String queue) {
    return queue.startsWith(PSEUDO_QUEUE);
  }

  /**
   * Whether a direct reply-to name is live, for a passive declare: the pseudo-queue always is, a
   * reply address while its consumer is registered.
   */
  public boolean isLive(String queue) {
    return PSEUDO_QUEUE.equals(queue) || consumers.containsKey(queue);
  }

  /** Whether a publish is a reply: default exchange, routing key a reply address. */
  public static boolean isReply(Message message) {
    return message.exchange().isEmpty() && message.routingKey().startsWith(ADDRESS_PREFIX);
  }

  /** Hands a reply to its consumer; false if no consumer has that address (any more). */
  public boolean deliver(Message reply) {
    Predicate<Message> consumer = consumers.get(reply.routingKey());
    return consumer != null && consumer.test(reply);
  }
}
