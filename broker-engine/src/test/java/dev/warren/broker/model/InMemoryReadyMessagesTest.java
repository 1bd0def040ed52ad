package dev.warren.broker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.warren.broker.protocol.BasicProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryReadyMessagesTest {

  private static QueueEntry entry(long sequence) {
    return new QueueEntry(new Message("", "q", BasicProperties.EMPTY, new byte[0]), sequence);
  }

  private static List<Long> drain(ReadyMessages ready) {
    List<Long> order = new ArrayList<>();
    for (QueueEntry next = ready.poll(); next != null; next = ready.poll()) {
      order.add(next.sequence());
    }
    return order;
  }

  @Test
  void requeuedEntriesReturnAheadOfFreshOnesInSequenceOrder() {
    ReadyMessages ready = new InMemoryReadyMessages();
    List<QueueEntry> entries = new ArrayList<>();
    for (long i = 0; i < 6; i++) {
      entries.add(entry(i));
      ready.append(entries.get((int) i));
    }
    ready.poll();
    ready.poll();
    ready.poll();
    ready.requeue(entries.get(2));
    ready.requeue(entries.get(0));
    assertEquals(5, ready.size());
    assertEquals(List.of(0L, 2L, 3L, 4L, 5L), drain(ready));
    assertNull(ready.poll());
  }

  @Test
  void clearReportsWhatWasDropped() {
    ReadyMessages ready = new InMemoryReadyMessages();
    ready.append(entry(0));
    ready.append(entry(1));
    ready.requeue(entry(-1));
    assertEquals(3, ready.clear());
    assertEquals(0, ready.size());
  }
}
