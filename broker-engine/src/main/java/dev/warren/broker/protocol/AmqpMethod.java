package dev.warren.broker.protocol;

/**
 * One AMQP 0-9-1 method: a plain record whose components are the method's arguments in the order
 * the specification lists them. Each AMQP class is one sealed interface of such records.
 */
public sealed interface AmqpMethod
    permits ConnectionMethod,
        ChannelMethod,
        AccessMethod,
        ExchangeMethod,
        QueueMethod,
        BasicMethod,
        TxMethod,
        ConfirmMethod {

  int classId();

  int methodId();

  /** Whether a content header and body frames follow this method on the wire. */
  default boolean hasContent() {
    return false;
  }
}
