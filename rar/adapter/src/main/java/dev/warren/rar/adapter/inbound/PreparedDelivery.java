package dev.warren.rar.adapter.inbound;

import dev.warren.broker.engine.api.StoredMessageId;
import java.io.Serializable;

/**
 * What a prepared inbound branch keeps on disk: where the delivered message is stored (what the
 * engine holds it back by after a restart), and whether the broker had marked the delivery
 * redelivered (its retry copy counts the delivery as the live rollback would).
 *
 * @param storeId 0 once the message is known to be gone (not recovered at a restart)
 */
record PreparedDelivery(String virtualHost, String queue, long storeId, boolean redelivered)
    implements Serializable {

  static PreparedDelivery of(StoredMessageId id, boolean redelivered) {
    return new PreparedDelivery(id.virtualHost(), id.queue(), id.storeId(), redelivered);
  }

  StoredMessageId id() {
    return new StoredMessageId(virtualHost, queue, storeId);
  }

  boolean gone() {
    return storeId == 0;
  }

  /** The same branch, its message known to be gone: a later run may reuse the store id. */
  PreparedDelivery asGone() {
    return new PreparedDelivery(virtualHost, queue, 0, redelivered);
  }
}
