package dev.warren.rar.adapter.tx;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.engine.api.ChannelListener;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.ResourceAlarms;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.rar.adapter.MessageConversion;
import dev.warren.rar.api.AmqpException;
import java.time.Duration;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * An engine channel in confirm mode: a publish counts as done when the broker confirms it, which
 * for a persistent message in a durable queue means it is on disk (or already consumed and
 * acknowledged). That is what lets a commit return only once its messages are safe.
 */
public final class ConfirmingChannel implements Publisher, AutoCloseable {
  private final BrokerChannel channel;
  private final ResourceAlarms alarms;
  private final Duration timeout;
  private final Object confirmLock = new Object();
  private final NavigableSet<Long> unconfirmed = new TreeSet<>();
  private long lastSeqNo;
  private boolean nacked;

  /**
   * @param alarms while one is raised, publishing waits (up to the timeout)
   * @param timeout how long to wait for an alarm to clear, and then for the confirms
   */
  public ConfirmingChannel(BrokerConnection connection, ResourceAlarms alarms, Duration timeout) {
    this.alarms = alarms;
    this.timeout = timeout;
    this.channel = connection.openChannel(new ConfirmListener());
    channel.selectConfirms();
  }

  /** The underlying channel, for topology operations that need no confirm. */
  public BrokerChannel channel() {
    return channel;
  }

  @Override
  public synchronized void publishAll(List<PendingPublish> publishes) {
    awaitPublishingAllowed();
    for (PendingPublish publish : publishes) {
      long seqNo;
      synchronized (confirmLock) {
        // registered before publishing: the confirm may arrive before publish() returns
        seqNo = ++lastSeqNo;
        unconfirmed.add(seqNo);
      }
      try {
        channel.publish(
            publish.exchange(),
            publish.routingKey(),
            false,
            MessageConversion.toEngine(publish.properties()),
            publish.body());
      } catch (BrokerException e) {
        synchronized (confirmLock) {
          // a refused publish gets no sequence number from the broker: the next one takes it
          unconfirmed.remove(seqNo);
          lastSeqNo--;
        }
        throw new AmqpException(e.replyCode().code(), e.getMessage(), e);
      }
    }
    awaitConfirms();
  }

  /**
   * In-VM publishers are blocked by the resource alarms as RabbitMQ blocks publishing connections:
   * their thread waits, so that a flood of EJB publishes cannot exhaust the server's heap or disk.
   */
  private void awaitPublishingAllowed() {
    try {
      if (!alarms.awaitClear(timeout)) {
        throw new AmqpException(
            0,
            "publishing is blocked by a resource alarm ("
                + alarms.blockReason()
                + ") and it did not clear within "
                + timeout.toSeconds()
                + " s",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AmqpException(0, "interrupted while publishing was blocked", e);
    }
  }

  private void awaitConfirms() {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (confirmLock) {
      while (!unconfirmed.isEmpty()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AmqpException(0, "the broker did not confirm the publishes in time", null);
        }
        try {
          confirmLock.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AmqpException(0, "interrupted while waiting for publisher confirms", e);
        }
      }
      if (nacked) {
        nacked = false;
        throw new AmqpException(0, "the broker refused (nacked) a publish", null);
      }
    }
  }

  @Override
  public void close() {
    channel.close();
  }

  private final class ConfirmListener implements ChannelListener {
    @Override
    public void confirmed(long seqNo, boolean multiple, boolean ack) {
      synchronized (confirmLock) {
        if (multiple) {
          unconfirmed.headSet(seqNo, true).clear();
        } else {
          unconfirmed.remove(seqNo);
        }
        nacked |= !ack;
        confirmLock.notifyAll();
      }
    }

    @Override
    public void deliver(Delivery delivery) {
      // this channel never consumes
    }

    @Override
    public void returned(ReturnedMessage message) {
      // publishes are not mandatory, as with RabbitMQ clients by default
    }

    @Override
    public void consumerCancelled(String consumerTag) {
      // this channel never consumes
    }
  }
}
