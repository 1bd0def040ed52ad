package dev.warren.broker.model;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;

/**
 * RabbitMQ's reply texts, in one place. Each method returns the exception for the caller to throw;
 * texts omit the code label, which the server prefixes.
 */
public final class Rejections {
  private Rejections() {}

  /** RabbitMQ's {@code rabbit_misc:rs/1}: "queue 'q' in vhost '/'". */
  public static String queue(String virtualHost, String name) {
    return "queue '" + name + "' in vhost '" + virtualHost + "'";
  }

  public static String exchange(String virtualHost, String name) {
    return "exchange '" + name + "' in vhost '" + virtualHost + "'";
  }

  public static BrokerException noQueue(String virtualHost, String name) {
    return BrokerException.notFound("no " + queue(virtualHost, name));
  }

  /**
   * RabbitMQ's text for a queue whose node is down ({@code rabbit_misc:absent/2}, reason nodedown):
   * the same for a classic queue's every operation from another node.
   */
  public static HomeNodeDown homeNodeDown(String virtualHost, String name, String node) {
    return new HomeNodeDown(
        "home node '"
            + node
            + "' of durable "
            + queue(virtualHost, name)
            + " is down or inaccessible");
  }

  public static BrokerException noExchange(String virtualHost, String name) {
    return BrokerException.notFound("no " + exchange(virtualHost, name));
  }

  public static BrokerException noPreviouslyDeclaredQueue() {
    return BrokerException.notFound("no previously declared queue");
  }

  public static BrokerException defaultExchangeRefused() {
    return BrokerException.accessRefused("operation not permitted on the default exchange");
  }

  public static BrokerException reservedName(String kind, String name) {
    return BrokerException.accessRefused(
        kind + " name '" + name + "' contains reserved prefix 'amq.*'");
  }

  public static BrokerException systemExchangeDeletion(String virtualHost, String name) {
    return BrokerException.accessRefused(
        "deletion of system " + exchange(virtualHost, name) + " not allowed");
  }

  public static BrokerException internalExchange(String virtualHost, String name) {
    return BrokerException.accessRefused(
        "cannot publish to internal " + exchange(virtualHost, name));
  }

  public static BrokerException unknownExchangeType(String type) {
    return new BrokerException(ReplyCode.COMMAND_INVALID, "unknown exchange type '" + type + "'");
  }

  public static BrokerException exclusiveQueueLocked(String virtualHost, String name) {
    return BrokerException.resourceLocked(
        "cannot obtain exclusive access to locked "
            + queue(virtualHost, name)
            + ". It could be originally declared on another connection or the exclusive property"
            + " value does not match that of the original declaration.");
  }

  public static BrokerException exclusiveConsumeUnavailable(String virtualHost, String name) {
    return BrokerException.accessRefused(queue(virtualHost, name) + " in exclusive use");
  }

  /** A quorum queue's log did not take a consumer's registration in time (RabbitMQ's text). */
  public static BrokerException consumeTimedOut(String virtualHost, String name) {
    return new BrokerException(
        ReplyCode.INTERNAL_ERROR, "timed out consuming from quorum " + queue(virtualHost, name));
  }

  /** basic.consume from a quorum queue on a channel with a channel-wide (global) prefetch. */
  public static BrokerException globalQosUnsupported(String virtualHost, String name) {
    return new BrokerException(
        ReplyCode.NOT_IMPLEMENTED, queue(virtualHost, name) + " does not support global qos");
  }

  public static BrokerException inUse(String resource) {
    return BrokerException.preconditionFailed(resource + " in use");
  }

  public static BrokerException notEmpty(String resource) {
    return BrokerException.preconditionFailed(resource + " not empty");
  }

  public static BrokerException invalidBinding(String text) {
    return BrokerException.preconditionFailed(text);
  }

  public static BrokerException vhostNotFound(String virtualHost) {
    return new BrokerException(ReplyCode.NOT_ALLOWED, "vhost " + virtualHost + " not found");
  }

  public static BrokerException unknownDeliveryTag(long tag) {
    return BrokerException.preconditionFailed("unknown delivery tag " + tag);
  }

  public static BrokerException consumerTagReused(String tag) {
    return new BrokerException(
        ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'");
  }

  public static BrokerException notTransactional() {
    return BrokerException.preconditionFailed("channel is not transactional");
  }

  public static BrokerException confirmToTx() {
    return BrokerException.preconditionFailed("cannot switch from confirm to tx mode");
  }

  public static BrokerException txToConfirm() {
    return BrokerException.preconditionFailed("cannot switch from tx to confirm mode");
  }

  public static BrokerException recoverWithoutRequeue() {
    return new BrokerException(ReplyCode.NOT_IMPLEMENTED, "requeue=false");
  }

  /** The store failed to write a transaction's messages or acks (an I/O error, logged). */
  public static BrokerException transactionNotStored() {
    return new BrokerException(
        ReplyCode.INTERNAL_ERROR, "the store could not write the transaction to disk");
  }
}
