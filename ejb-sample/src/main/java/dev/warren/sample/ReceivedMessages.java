package dev.warren.sample;

import dev.warren.rar.api.AmqpMessage;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What each listener of the sample has received, so the REST endpoint (and the tests) can show it.
 * Bounded per listener: the oldest entries are dropped.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ReceivedMessages {
  private static final int LIMIT = 1000;

  /** One received message as the sample reports it. */
  public record Received(String body, String routingKey, boolean redelivered, int deliveryCount) {}

  private final Map<String, List<Received>> byListener = new ConcurrentHashMap<>();

  public void record(String listener, AmqpMessage message) {
    List<Received> received =
        byListener.computeIfAbsent(listener, k -> new CopyOnWriteArrayList<>());
    received.add(
        new Received(
            message.bodyAsString(),
            message.routingKey(),
            message.redelivered(),
            message.deliveryCount()));
    if (received.size() > LIMIT) {
      received.remove(0);
    }
  }

  public List<Received> of(String listener) {
    return new ArrayList<>(byListener.getOrDefault(listener, List.of()));
  }
}
