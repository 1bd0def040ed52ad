package dev.warren.rar.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * The content-header properties of an AMQP message. Every property is optional: {@code null} means
 * absent. Build one with {@link #builder()}.
 */
public record MessageProperties(
    String contentType,
    String contentEncoding,
    Map<String, Object> headers,
    Integer deliveryMode,
    Integer priority,
    String correlationId,
    String replyTo,
    String expiration,
    String messageId,
    Instant timestamp,
    String type,
    String userId,
    String appId)
    implements Serializable {

  public static final MessageProperties EMPTY = builder().build();

  /** Delivery mode 2: the broker stores the message on disk in a durable queue. */
  public static final int PERSISTENT = 2;

  public MessageProperties {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public boolean persistent() {
    return deliveryMode != null && deliveryMode == PERSISTENT;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preloaded with these properties. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.contentType = contentType;
    builder.contentEncoding = contentEncoding;
    builder.headers = headers;
    builder.deliveryMode = deliveryMode;
    builder.priority = priority;
    builder.correlationId = correlationId;
    builder.replyTo = replyTo;
    builder.expiration = expiration;
    builder.messageId = messageId;
    builder.timestamp = timestamp;
    builder.type = type;
    builder.userId = userId;
    builder.appId = appId;
    return builder;
  }

  /** Collects the optional properties; unset ones stay absent. */
  public static final class Builder {
    private String contentType;
    private String contentEncoding;
    private Map<String, Object> headers;
    private Integer deliveryMode;
    private Integer priority;
    private String correlationId;
    private String replyTo;
    private String expiration;
    private String messageId;
    private Instant timestamp;
    private String type;
    private String userId;
    private String appId;

    private Builder() {}

    public Builder contentType(String value) {
      contentType = value;
      return this;
    }

    public Builder contentEncoding(String value) {
      contentEncoding = value;
      return this;
    }

    public Builder headers(Map<String, Object> value) {
      headers = value;
      return this;
    }

    public Builder deliveryMode(Integer value) {
      deliveryMode = value;
      return this;
    }

    public Builder persistent() {
      return deliveryMode(PERSISTENT);
    }

    public Builder priority(Integer value) {
      priority = value;
      return this;
    }

    public Builder correlationId(String value) {
      correlationId = value;
      return this;
    }

    public Builder replyTo(String value) {
      replyTo = value;
      return this;
    }

    public Builder expiration(String value) {
      expiration = value;
      return this;
    }

    public Builder messageId(String value) {
      messageId = value;
      return this;
    }

    public Builder timestamp(Instant value) {
      timestamp = value;
      return this;
    }

    public Builder type(String value) {
      type = value;
      return this;
    }

    public Builder userId(String value) {
      userId = value;
      return this;
    }

    public Builder appId(String value) {
      appId = value;
      return this;
    }

    public MessageProperties build() {
      return new MessageProperties(
          contentType,
          contentEncoding,
          headers,
          deliveryMode,
          priority,
          correlationId,
          replyTo,
          expiration,
          messageId,
          timestamp,
          type,
          userId,
          appId);
    }
  }
}
