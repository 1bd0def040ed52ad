package dev.warren.rar.adapter.inbound;

import dev.warren.rar.adapter.inbound.EndpointConsumer.Received;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Acknowledgements that the delivery thread hands, in batches, to a second WorkManager thread. The
 * broker's side of an ack (settling the message, dispatching the next one to this consumer, reading
 * it back from a queue page on disk) took a quarter of a transacted MDB's delivery thread; here it
 * runs beside the next deliveries instead of before them.
 *
 * <p>Only acks that need not be on disk when their transaction returns come here: a one-phase
 * commit (nothing else in the transaction, so nothing in doubt) and a non-transacted delivery that
 * succeeded. Until the broker has such an ack the message is merely unacknowledged, as after any
 * ack that a crash overtakes before its write: it would be redelivered, never lost. A full batch is
 * handed over; when the delivery thread has no delivery left to make it acks its batch itself (the
 * acks free the credit for the next deliveries), and {@link #finish} makes what was handed over
 * when the consumer stops, before its channel closes.
 */
final class AckHandOver {
  private static final System.Logger LOG = System.getLogger(AckHandOver.class.getName());

  private final WorkManager workManager;
  private final Consumer<Received> acknowledge;
  private final int batchSize;
  private final Queue<List<Received>> handedOver = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Object settling = new Object();
  private List<Received> batch; // the delivery thread's own

  /**
   * @param acknowledge makes one ack on the consumer's channel (from either thread)
   * @param batchSize acks per hand-over (see {@link #batchSize(int)})
   */
  AckHandOver(WorkManager workManager, Consumer<Received> acknowledge, int batchSize) {
    this.workManager = workManager;
    this.acknowledge = acknowledge;
    this.batchSize = batchSize;
    this.batch = new ArrayList<>(batchSize);
  }

  /**
   * The batch size for a consumer's prefetch: a quarter of it, so that credit flows back while the
   * delivery thread is busy; 1 (no hand-over) below 8, where batches would be too small to pay for
   * the hand-over.
   */
  static int batchSize(int prefetch) {
    return prefetch < 8 ? 1 : prefetch / 4;
  }

  /** Delivery thread: an ack to make; the batch goes once full. */
  void add(Received delivery) {
    if (batchSize <= 1) {
      acknowledge.accept(delivery);
      return;
    }
    batch.add(delivery);
    if (batch.size() >= batchSize) {
      handedOver.add(batch);
      batch = new ArrayList<>(batchSize);
      schedule();
    }
  }

  /**
   * Delivery thread: makes the acks it holds itself, when it has no delivery left to make (the acks
   * free the credit for the next ones, which it would otherwise wait for) or stops.
   */
  void settleOwn() {
    if (batch.isEmpty()) {
      return;
    }
    List<Received> own = batch;
    batch = new ArrayList<>(batchSize);
    own.forEach(acknowledge);
  }

  private void schedule() {
    if (!scheduled.compareAndSet(false, true)) {
      return; // the running settler takes the batch
    }
    try {
      workManager.scheduleWork(new Settle());
    } catch (WorkException e) {
      LOG.log(System.Logger.Level.WARNING, "the WorkManager refused ack work; acking here", e);
      try {
        settleHandedOver();
      } finally {
        scheduled.set(false);
      }
    }
  }

  /**
   * Makes every handed-over ack, on the caller's thread. One caller at a time, so that {@link
   * #finish} returns only once a batch that the settler was making is made.
   */
  private void settleHandedOver() {
    synchronized (settling) {
      List<Received> next;
      while ((next = handedOver.poll()) != null) {
        next.forEach(acknowledge);
      }
    }
  }

  /** At stop, the delivery thread done: makes every handed-over ack, here or by the settler. */
  void finish() {
    settleHandedOver();
  }

  /** One run of acks; it ends once nothing is handed over, and a later batch schedules another. */
  private final class Settle implements Work {
    @Override
    public void run() {
      try {
        settleHandedOver();
      } finally {
        scheduled.set(false);
      }
      if (!handedOver.isEmpty()) {
        schedule();
      }
    }

    @Override
    public void release() {
      // a run is short and ends by itself; nothing to interrupt
    }
  }
}
