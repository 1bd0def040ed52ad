package dev.warren.broker.cluster.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Group commit with a log whose appends the test completes by hand, no Raft; sent on the calling
 * thread except where the order of sends between threads is the point.
 */
class GroupCommitTest {
  private final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
  private final List<CompletableFuture<Void>> replies =
      Collections.synchronizedList(new ArrayList<>());
  private final GroupCommit commit = new GroupCommit(this::record, Runnable::run);

  private CompletableFuture<Void> record(byte[] entry) {
    sent.add(entry);
    CompletableFuture<Void> reply = new CompletableFuture<>();
    replies.add(reply);
    return reply;
  }

  @Test
  void appendsWhileTheLogIsBusyGoTogetherInOrderAsOneEntry() {
    List<CompletableFuture<Void>> appended = new ArrayList<>();
    for (int i = 0; i < GroupCommit.MAX_IN_FLIGHT + 3; i++) {
      appended.add(commit.append(bytes("e" + i)));
    }
    assertEquals(GroupCommit.MAX_IN_FLIGHT, sent.size(), "one entry each until the limit");

    replies.get(0).complete(null);
    assertTrue(appended.get(0).isDone());
    assertFalse(appended.get(GroupCommit.MAX_IN_FLIGHT).isDone(), "not yet on the log");
    assertEquals(GroupCommit.MAX_IN_FLIGHT + 1, sent.size(), "the three waiting ones, as one");
    int waiting = GroupCommit.MAX_IN_FLIGHT;
    assertEquals(
        List.of("e" + waiting, "e" + (waiting + 1), "e" + (waiting + 2)),
        unframe(sent.get(GroupCommit.MAX_IN_FLIGHT)));

    replies.forEach(reply -> reply.complete(null));
    appended.forEach(future -> assertTrue(future.isDone() && !future.isCompletedExceptionally()));
  }

  @Test
  void aFailedEntryFailsEveryAppendItCarried() {
    for (int i = 0; i < GroupCommit.MAX_IN_FLIGHT; i++) {
      commit.append(bytes("busy" + i));
    }
    CompletableFuture<Void> first = commit.append(bytes("a"));
    CompletableFuture<Void> second = commit.append(bytes("b"));
    replies.get(0).complete(null);
    replies.get(GroupCommit.MAX_IN_FLIGHT).completeExceptionally(new IllegalStateException("no"));

    assertTrue(first.isCompletedExceptionally());
    assertTrue(second.isCompletedExceptionally());
  }

  @Test
  void aSingleEntryGoesAsItIsAndBatchesKeepTheirEntriesIntact() {
    commit.append(bytes("alone"));
    assertArrayEquals(bytes("alone"), sent.get(0));

    byte[] empty = new byte[0];
    byte[] framed = EntryBatch.frame(List.of(bytes("x"), empty, bytes("yz")));
    List<byte[]> read = new ArrayList<>();
    EntryBatch.forEach(framed, read::add);
    assertEquals(3, read.size());
    assertArrayEquals(bytes("x"), read.get(0));
    assertArrayEquals(empty, read.get(1));
    assertArrayEquals(bytes("yz"), read.get(2));
  }

  @Test
  void aBatchStaysBelowTheSizeLimit() {
    for (int i = 0; i < GroupCommit.MAX_IN_FLIGHT; i++) {
      commit.append(bytes("busy" + i));
    }
    byte[] large = new byte[GroupCommit.MAX_BATCH_BYTES / 2 + 1];
    commit.append(large);
    commit.append(large);
    replies.get(0).complete(null);
    assertEquals(1, unframe(sent.get(GroupCommit.MAX_IN_FLIGHT)).size());
    replies.get(1).complete(null);
    assertEquals(1, unframe(sent.get(GroupCommit.MAX_IN_FLIGHT + 1)).size());
  }

  /**
   * A batch that a publishing thread took is not overtaken by the one an earlier batch's completion
   * takes next, even while the first is still on its way into the Raft client (here: held inside
   * it). When the taking thread sent its own batch, the completion's went first.
   */
  @Test
  void batchesReachTheLogInTheOrderTheyWereTaken() throws Exception {
    // several batches in flight: with one, the next is only taken once the last one completed
    int slots = 4;
    CountDownLatch publisherInside = new CountDownLatch(1);
    CountDownLatch letPublisherOn = new CountDownLatch(1);
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try {
      GroupCommit held =
          new GroupCommit(
              entry -> {
                if (unframe(entry).contains("p")) {
                  publisherInside.countDown();
                  await(letPublisherOn);
                }
                return record(entry);
              },
              sender,
              slots);
      for (int i = 0; i < slots - 1; i++) {
        held.append(bytes("busy" + i));
      }
      held.append(bytes("p"));
      assertTrue(publisherInside.await(10, TimeUnit.SECONDS));

      held.append(bytes("w")); // every slot is taken: it waits
      replies.get(0).complete(null); // and this completion takes it
      letPublisherOn.countDown();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sent.size() < slots + 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      List<List<String>> order = new ArrayList<>();
      synchronized (sent) {
        sent.forEach(entry -> order.add(unframe(entry)));
      }
      assertEquals(slots + 1, order.size(), order::toString);
      assertEquals(
          List.of(List.of("p"), List.of("w")), order.subList(order.size() - 2, order.size()));
    } finally {
      sender.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String text) {
    // like the states' own entries: an int length first, so the first byte is 0x00
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return java.nio.ByteBuffer.allocate(4 + payload.length)
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  private static List<String> unframe(byte[] logEntry) {
    List<String> entries = new ArrayList<>();
    EntryBatch.forEach(
        logEntry,
        entry -> entries.add(new String(entry, 4, entry.length - 4, StandardCharsets.UTF_8)));
    return entries;
  }
}
