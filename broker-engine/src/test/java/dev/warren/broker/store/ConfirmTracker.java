package dev.warren.broker.store;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publishes numbered persistent messages on a channel in confirm mode and remembers which numbers
 * the broker confirmed and which it nacked.
 */
final class ConfirmTracker implements ConfirmListener {
  private final Channel channel;
  private final ConcurrentNavigableMap<Long, Integer> outstanding = new ConcurrentSkipListMap<>();
  private final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
  private final Set<Integer> nacked = ConcurrentHashMap.newKeySet();

  ConfirmTracker(Channel channel) throws IOException {
    this.channel = channel;
    channel.confirmSelect();
    channel.addConfirmListener(this);
  }

  /** A body of {@code size} bytes that starts with the message's number. */
  static byte[] body(int number, int size) {
    byte[] body = new byte[size];
    ByteBuffer.wrap(body).putInt(number);
    return body;
  }

  static int number(byte[] body) {
    return ByteBuffer.wrap(body).getInt();
  }

  /** Publishes message {@code number} to {@code queue} through the default exchange. */
  void publish(String queue, int number, int size) throws IOException {
    outstanding.put(channel.getNextPublishSeqNo(), number);
    channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body(number, size));
  }

  /** Waits until every publish so far is confirmed or nacked. */
  void awaitAnswers() throws InterruptedException {
    if (!awaitAnswers(60_000)) {
      throw new AssertionError("publishes left unanswered for 60 s: " + outstanding.size());
    }
  }

  /**
   * Waits at most {@code millis} for the answers to every publish so far.
   *
   * @return false if some are still unanswered (the connection may be blocked by an alarm)
   */
  boolean awaitAnswers(long millis) throws InterruptedException {
    try {
      channel.waitForConfirms(millis);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** How many publishes are neither confirmed nor nacked yet. */
  int unanswered() {
    return outstanding.size();
  }

  Set<Integer> confirmed() {
    return confirmed;
  }

  Set<Integer> nacked() {
    return nacked;
  }

  @Override
  public void handleAck(long tag, boolean multiple) {
    settle(tag, multiple, confirmed);
  }

  @Override
  public void handleNack(long tag, boolean multiple) {
    settle(tag, multiple, nacked);
  }

  private void settle(long tag, boolean multiple, Set<Integer> into) {
    if (multiple) {
      Map<Long, Integer> settled = outstanding.headMap(tag, true);
      into.addAll(settled.values());
      settled.clear();
    } else {
      Integer number = outstanding.remove(tag);
      if (number != null) {
        into.add(number);
      }
    }
  }
}
