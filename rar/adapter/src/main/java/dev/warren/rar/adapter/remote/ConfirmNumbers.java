package dev.warren.rar.adapter.remote;

import dev.warren.broker.engine.api.ChannelListener;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publisher-confirm sequence numbers as the channel's user counts them (1, 2, 3, ... from confirm
 * mode on, one per successful publish, as the embedded broker does) against the numbers of the
 * client channel underneath, which start again at 1 whenever that channel is replaced (a recovery
 * or a reopen). Publishes still unconfirmed when the channel goes are reported as nacked: their
 * confirms can no longer come, and a commit waiting for them must fail rather than time out.
 *
 * <p>No lock is shared between the publishing thread and the client's reader thread that confirms:
 * a publisher blocked on a socket the broker stopped reading must not stop the reader.
 */
final class ConfirmNumbers {
  private final NavigableMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();
  private volatile long lastOwn;

  /** Called before the client publishes with {@code clientSeqNo}: its confirm may come at once. */
  long expect(long clientSeqNo) {
    long own = lastOwn + 1;
    outstanding.put(clientSeqNo, own);
    return own;
  }

  /** The publish went out; the next one gets the following number. */
  void published(long own) {
    lastOwn = own;
  }

  /** The publish failed before it left: it has no number. */
  void failed(long clientSeqNo) {
    outstanding.remove(clientSeqNo);
  }

  void confirmed(long clientSeqNo, boolean multiple, boolean ack, ChannelListener listener) {
    if (multiple) {
      NavigableMap<Long, Long> settled = outstanding.headMap(clientSeqNo, true);
      Map.Entry<Long, Long> last = settled.lastEntry();
      settled.clear();
      if (last != null) {
        listener.confirmed(last.getValue(), true, ack);
      }
    } else {
      Long own = outstanding.remove(clientSeqNo);
      if (own != null) {
        listener.confirmed(own, false, ack);
      }
    }
  }

  /** The client channel is gone with these publishes unconfirmed: they count as refused. */
  void abandon(ChannelListener listener) {
    Map.Entry<Long, Long> last = outstanding.lastEntry();
    outstanding.clear();
    if (last != null) {
      listener.confirmed(last.getValue(), true, false);
    }
  }
}
