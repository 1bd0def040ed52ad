package dev.warren.broker.store;

import dev.warren.broker.model.Message;
import java.nio.ByteBuffer;

/**
 * The payload of a message record in a segment: the message's store id, the ids of the stored
 * queues it was routed to, then the message itself. Written by the store thread, read back at
 * recovery and when a queue pages a message in from its segment.
 *
 * @param queueIds the stored queues the message was written for
 */
record MessageRecord(Message message, int[] queueIds) {

  /** Serialises a message's record into {@code out} (reset first). */
  static void write(PayloadWriter out, long id, int[] queueIds, Message message) {
    out.reset();
    out.writeLong(id).writeInt(queueIds.length);
    for (int queueId : queueIds) {
      out.writeInt(queueId);
    }
    out.writeString(message.exchange()).writeString(message.routingKey());
    out.writeProperties(message.properties()).writeBytes(message.body());
  }

  /** Reads a record's payload back. */
  static MessageRecord read(ByteBuffer payload) {
    PayloadReader in = new PayloadReader(payload);
    long id = in.readLong();
    int[] queueIds = new int[in.readInt()];
    for (int i = 0; i < queueIds.length; i++) {
      queueIds[i] = in.readInt();
    }
    Message message =
        new Message(in.readString(), in.readString(), in.readProperties(), in.readBytes(), id);
    return new MessageRecord(message, queueIds);
  }

  long id() {
    return message.storeId();
  }
}
