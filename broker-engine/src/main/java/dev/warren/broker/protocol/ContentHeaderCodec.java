package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.AmqpPrimitives.readShortString;
import static dev.warren.broker.protocol.AmqpPrimitives.writeShortString;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * The payload of a content header frame: class id, weight (always 0), body size, then the property
 * flags and the present properties of the basic class in spec order.
 */
final class ContentHeaderCodec {
  // Flag bits of the first property-flags word, one per property, highest bit first.
  private static final int CONTENT_TYPE = 1 << 15;
  private static final int CONTENT_ENCODING = 1 << 14;
  private static final int HEADERS = 1 << 13;
  private static final int DELIVERY_MODE = 1 << 12;
  private static final int PRIORITY = 1 << 11;
  private static final int CORRELATION_ID = 1 << 10;
  private static final int REPLY_TO = 1 << 9;
  private static final int EXPIRATION = 1 << 8;
  private static final int MESSAGE_ID = 1 << 7;
  private static final int TIMESTAMP = 1 << 6;
  private static final int TYPE = 1 << 5;
  private static final int USER_ID = 1 << 4;
  private static final int APP_ID = 1 << 3;
  private static final int CLUSTER_ID = 1 << 2;

  /** Bit 0 of each flags word says another flags word follows. */
  private static final int CONTINUATION = 1;

  private ContentHeaderCodec() {}

  static Frame.ContentHeader decode(int channel, ByteBuf payload) {
    int classId = payload.readUnsignedShort();
    payload.skipBytes(Short.BYTES); // weight: unused, must be 0
    long bodySize = payload.readLong();
    if (bodySize < 0) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR, "body size " + Long.toUnsignedString(bodySize) + " too large");
    }
    if (classId != BasicMethod.CLASS_ID) {
      // Only the basic class carries content; the session reports the mismatch with the method.
      return new Frame.ContentHeader(channel, classId, bodySize, BasicProperties.EMPTY);
    }
    int flags = payload.readUnsignedShort();
    int more = flags;
    while ((more & CONTINUATION) != 0) {
      // Further words can only flag properties basic does not have: nothing to read for them.
      more = payload.readUnsignedShort();
    }
    BasicProperties properties =
        flags == 0 ? BasicProperties.EMPTY : readProperties(payload, flags);
    if (payload.isReadable()) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR,
          payload.readableBytes() + " octets after the properties of the content header");
    }
    return new Frame.ContentHeader(channel, classId, bodySize, properties);
  }

  private static BasicProperties readProperties(ByteBuf in, int flags) {
    return new BasicProperties(
        (flags & CONTENT_TYPE) != 0 ? readShortString(in) : null,
        (flags & CONTENT_ENCODING) != 0 ? readShortString(in) : null,
        (flags & HEADERS) != 0 ? FieldTables.read(in) : null,
        (flags & DELIVERY_MODE) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
        (flags & PRIORITY) != 0 ? Integer.valueOf(in.readUnsignedByte()) : null,
        (flags & CORRELATION_ID) != 0 ? readShortString(in) : null,
        (flags & REPLY_TO) != 0 ? readShortString(in) : null,
        (flags & EXPIRATION) != 0 ? readShortString(in) : null,
        (flags & MESSAGE_ID) != 0 ? readShortString(in) : null,
        (flags & TIMESTAMP) != 0 ? new AmqpTimestamp(in.readLong()) : null,
        (flags & TYPE) != 0 ? readShortString(in) : null,
        (flags & USER_ID) != 0 ? readShortString(in) : null,
        (flags & APP_ID) != 0 ? readShortString(in) : null,
        (flags & CLUSTER_ID) != 0 ? readShortString(in) : null);
  }

  static void encode(ByteBuf out, int classId, long bodySize, BasicProperties properties) {
    out.writeShort(classId).writeShort(0).writeLong(bodySize);
    BasicProperties p = properties == null ? BasicProperties.EMPTY : properties;
    out.writeShort(flags(p));
    writeIfPresent(out, p.contentType());
    writeIfPresent(out, p.contentEncoding());
    Map<String, Object> headers = p.headers();
    if (headers != null) {
      FieldTables.write(out, headers);
    }
    writeOctetIfPresent(out, p.deliveryMode());
    writeOctetIfPresent(out, p.priority());
    writeIfPresent(out, p.correlationId());
    writeIfPresent(out, p.replyTo());
    writeIfPresent(out, p.expiration());
    writeIfPresent(out, p.messageId());
    AmqpTimestamp timestamp = p.timestamp();
    if (timestamp != null) {
      out.writeLong(timestamp.epochSeconds());
    }
    writeIfPresent(out, p.type());
    writeIfPresent(out, p.userId());
    writeIfPresent(out, p.appId());
    writeIfPresent(out, p.clusterId());
  }

  private static int flags(BasicProperties p) {
    return flag(p.contentType(), CONTENT_TYPE)
        | flag(p.contentEncoding(), CONTENT_ENCODING)
        | flag(p.headers(), HEADERS)
        | flag(p.deliveryMode(), DELIVERY_MODE)
        | flag(p.priority(), PRIORITY)
        | flag(p.correlationId(), CORRELATION_ID)
        | flag(p.replyTo(), REPLY_TO)
        | flag(p.expiration(), EXPIRATION)
        | flag(p.messageId(), MESSAGE_ID)
        | flag(p.timestamp(), TIMESTAMP)
        | flag(p.type(), TYPE)
        | flag(p.userId(), USER_ID)
        | flag(p.appId(), APP_ID)
        | flag(p.clusterId(), CLUSTER_ID);
  }

  private static int flag(Object property, int bit) {
    return property != null ? bit : 0;
  }

  private static void writeIfPresent(ByteBuf out, String property) {
    if (property != null) {
      writeShortString(out, property);
    }
  }

  private static void writeOctetIfPresent(ByteBuf out, Integer property) {
    if (property != null) {
      out.writeByte(property);
    }
  }
}
