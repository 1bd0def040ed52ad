package dev.warren.broker.server;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.BasicMethod;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.Frame;
import dev.warren.broker.protocol.ReplyCode;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Optional;

/**
 * Collects basic.publish, its content header and its body frames into one message, enforcing the
 * order the spec requires with RabbitMQ's reply texts. One per channel; event loop only.
 */
final class ContentAssembler {

  /**
   * RabbitMQ 4.0's default max_message_size (16 MiB; 3.x allowed 128 MiB): a declared size above it
   * is refused up front.
   */
  static final long MAX_MESSAGE_SIZE = 16L * 1024 * 1024;

  private static final int INITIAL_BODY_CAPACITY = 64 * 1024;

  record Message(BasicMethod.Publish publish, BasicProperties properties, byte[] body) {}

  private BasicMethod.Publish publish;
  private BasicProperties properties;
  private byte[] body;
  private int bodySize;
  private int received;

  boolean inProgress() {
    return publish != null;
  }

  /** The publish whose content is being collected, or null. */
  BasicMethod.Publish pendingPublish() {
    return publish;
  }

  void start(BasicMethod.Publish method) {
    publish = method;
  }

  /** Throws the 505 for a content header that comes where none is expected. */
  void expectHeader() {
    if (publish == null) {
      throw expectedMethodFrame();
    }
    if (properties != null) {
      throw expectedBody();
    }
  }

  Optional<Message> header(Frame.ContentHeader header) {
    expectHeader();
    if (header.classId() != publish.classId()) {
      throw new BrokerException(
          ReplyCode.UNEXPECTED_FRAME,
          "expected content header for class %d, got one for class %d instead"
              .formatted(publish.classId(), header.classId()));
    }
    if (header.bodySize() > MAX_MESSAGE_SIZE) {
      throw BrokerException.preconditionFailed(
          "message size %d is larger than configured max size %d"
              .formatted(header.bodySize(), MAX_MESSAGE_SIZE));
    }
    properties = header.properties();
    bodySize = (int) header.bodySize();
    // Grown as bytes arrive: a header's claim alone must not make the broker allocate 16 MiB.
    body = new byte[Math.min(bodySize, INITIAL_BODY_CAPACITY)];
    received = 0;
    return completeIfFull();
  }

  /** Takes ownership of the frame's payload and releases it. */
  Optional<Message> body(Frame.ContentBody frame) {
    ByteBuf payload = frame.payload();
    try {
      if (publish == null) {
        throw expectedMethodFrame();
      }
      if (properties == null) {
        throw expectedHeader();
      }
      int size = payload.readableBytes();
      if (size > bodySize - received) {
        throw new BrokerException(
            ReplyCode.FRAME_ERROR,
            "content body of %d octets exceeds the %d octets left of the declared size %d"
                .formatted(size, bodySize - received, bodySize));
      }
      if (received + size > body.length) {
        body =
            Arrays.copyOf(
                body, (int) Math.min(bodySize, Math.max(2L * body.length, received + size)));
      }
      payload.readBytes(body, received, size);
      received += size;
      return completeIfFull();
    } finally {
      payload.release();
    }
  }

  /** A method frame arrived while content was expected. */
  BrokerException interruptedByMethod() {
    return properties == null ? expectedHeader() : expectedBody();
  }

  void reset() {
    publish = null;
    properties = null;
    body = null;
    bodySize = 0;
    received = 0;
  }

  private Optional<Message> completeIfFull() {
    if (received < bodySize) {
      return Optional.empty();
    }
    Message message = new Message(publish, properties, body);
    reset();
    return Optional.of(message);
  }

  private static BrokerException expectedMethodFrame() {
    return new BrokerException(
        ReplyCode.UNEXPECTED_FRAME, "expected method frame, got non method frame instead");
  }

  private BrokerException expectedHeader() {
    return new BrokerException(
        ReplyCode.UNEXPECTED_FRAME,
        "expected content header for class %d, got non content header frame instead"
            .formatted(publish.classId()));
  }

  private static BrokerException expectedBody() {
    return new BrokerException(
        ReplyCode.UNEXPECTED_FRAME, "expected content body, got non content body frame instead");
  }
}
