package dev.warren.broker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.warren.broker.protocol.BasicProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityReadyMessagesTest {
  private long sequence;

  private QueueEntry entry(Integer priority) {
    BasicProperties properties =
        new BasicProperties(
            null, null, null, null, priority, null, null, null, null, null, null, null, null, null);
    return new QueueEntry(
        new Message("", "q", properties, String.valueOf(sequence).getBytes()), sequence++);
  }

  private static List<Long> drain(ReadyMessages ready) {
    List<Long> order = new ArrayList<>();
    for (QueueEntry e = ready.poll(); e != null; e = ready.poll()) {
      order.add(e.sequence());
    }
    return order;
  }

  @Test
  void highestPriorityFirstFifoWithinALevelAndRequeuedMessagesBackInPlace() {
    ReadyMessages ready = new PriorityReadyMessages(3, level -> new InMemoryReadyMessages());
    QueueEntry low = entry(null); // 0
    ready.append(low);
    ready.append(entry(3)); // 1
    ready.append(entry(9)); // 2, capped at 3
    ready.append(entry(1)); // 3
    assertEquals(4, ready.size());
    QueueEntry first = ready.poll();
    assertEquals(1, first.sequence());
    ready.requeue(first);
    assertEquals(first, ready.peek());
    assertEquals(List.of(1L, 2L, 3L, 0L), drain(ready));
    assertNull(ready.poll());
    assertEquals(0, ready.size());
  }
}
