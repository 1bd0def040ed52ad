package dev.warren.broker.model;

/**
 * Counts the body bytes of the ready messages it wraps, for {@code x-max-length-bytes}. Called only
 * with the queue's lock held, like every {@link ReadyMessages}.
 */
final class SizedReadyMessages implements ReadyMessages {
  private final ReadyMessages delegate;
  private long bytes;

  SizedReadyMessages(ReadyMessages delegate) {
    this.delegate = delegate;
  }

  long bytes() {
    return bytes;
  }

  @Override
  public void append(QueueEntry entry) {
    bytes += entry.message().body().length;
    delegate.append(entry);
  }

  @Override
  public void requeue(QueueEntry entry) {
    bytes += entry.message().body().length;
    delegate.requeue(entry);
  }

  @Override
  public QueueEntry poll() {
    QueueEntry entry = delegate.poll();
    if (entry != null) {
      bytes -= entry.message().body().length;
    }
    return entry;
  }

  @Override
  public QueueEntry peek() {
    return delegate.peek();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public int clear() {
    bytes = 0;
    return delegate.clear();
  }

  @Override
  public int drain(java.util.function.LongConsumer storeIds) {
    bytes = 0;
    return delegate.drain(storeIds);
  }
}
