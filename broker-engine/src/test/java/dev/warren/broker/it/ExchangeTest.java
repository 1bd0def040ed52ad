package dev.warren.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** exchange.declare / delete / bind / unbind and the rules around reserved exchanges. */
class ExchangeTest extends ClientTestBase {

  @ParameterizedTest
  @EnumSource(BuiltinExchangeType.class)
  void declareOfEachTypeCanBeFoundPassively(BuiltinExchangeType type) throws Exception {
    String exchange = unique("type-" + type.getType());

    channel.exchangeDeclare(exchange, type);

    assertTrue(exchangeExists(exchange));
    channel.exchangeDelete(exchange);
  }

  @ParameterizedTest
  @ValueSource(strings = {"amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match"})
  void predeclaredExchangesExist(String exchange) throws Exception {
    assertTrue(exchangeExists(exchange));
  }

  @Test
  void redeclaringPredeclaredExchangeWithSamePropertiesSucceeds() throws IOException {
    channel.exchangeDeclare("amq.direct", BuiltinExchangeType.DIRECT, true);

    assertTrue(channel.isOpen());
  }

  @Test
  void passiveDeclareOfMissingExchangeClosesChannelWith404() {
    String exchange = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDeclarePassive(exchange));

    assertReply(close, 404, "NOT_FOUND - no exchange '" + exchange + "' in vhost '/'");
  }

  @Test
  void redeclareWithDifferentTypeClosesChannelWith406() throws IOException {
    String exchange = unique("type-change");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, true, null);

    ShutdownSignalException close =
        expectChannelClose(
            channel,
            ch -> ch.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, null));

    assertReply(
        close,
        406,
        "PRECONDITION_FAILED - inequivalent arg 'type' for exchange '"
            + exchange
            + "' in vhost '/': received 'fanout' but current is 'direct'");
  }

  @Test
  void redeclareWithDifferentDurabilityClosesChannelWith406() throws IOException {
    String exchange = unique("durability-change");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, true, null);

    ShutdownSignalException close =
        expectChannelClose(
            channel, ch -> ch.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true));

    assertReply(
        close, 406, "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange '" + exchange);
  }

  @Test
  void declaringExchangeWithAmqPrefixClosesChannelWith403() {
    String exchange = "amq." + unique("reserved");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC));

    assertReply(
        close,
        403,
        "ACCESS_REFUSED - exchange name '" + exchange + "' contains reserved prefix 'amq.*'");
  }

  @Test
  void declaringExchangeOfUnknownTypeClosesConnectionWith503() {
    String exchange = unique("unknown-type");

    ShutdownSignalException close =
        expectConnectionClose(
            connection, c -> c.createChannel().exchangeDeclare(exchange, "x-no-such-type"));

    assertReply(close, 503, "COMMAND_INVALID - unknown exchange type 'x-no-such-type'");
  }

  @Test
  void deleteIfUnusedOfBoundExchangeClosesChannelWith406() throws IOException {
    String exchange = unique("bound");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT);
    channel.queueBind(serverNamedQueue(), exchange, "");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDelete(exchange, true));

    assertReply(
        close, 406, "PRECONDITION_FAILED - exchange '" + exchange + "' in vhost '/' in use");
  }

  @Test
  void deleteIfUnusedOfUnboundExchangeSucceeds() throws Exception {
    String exchange = unique("unbound");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT);

    channel.exchangeDelete(exchange, true);

    assertFalse(exchangeExists(exchange));
  }

  @Test
  void deleteOfMissingExchangeSucceeds() throws IOException {
    channel.exchangeDelete(unique("never-declared"));

    assertTrue(channel.isOpen());
  }

  @Test
  void deletingExchangeRemovesItsBindings() throws IOException {
    String exchange = unique("deleted");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT);
    channel.queueBind(queue, exchange, "");

    channel.exchangeDelete(exchange);
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT);
    publish(exchange, "", "after re-declare");

    assertStaysEmpty(queue);
  }

  @Test
  void declaringDefaultExchangeClosesChannelWith403() {
    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDeclare("", BuiltinExchangeType.DIRECT));

    assertReply(close, 403, "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void passiveDeclareOfDefaultExchangeClosesChannelWith403() {
    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDeclarePassive(""));

    assertReply(close, 403, "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void bindingQueueToDefaultExchangeClosesChannelWith403() throws IOException {
    String queue = serverNamedQueue();

    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.queueBind(queue, "", "x"));

    assertReply(close, 403, "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void unbindingQueueFromDefaultExchangeClosesChannelWith403() throws IOException {
    String queue = serverNamedQueue();

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueUnbind(queue, "", queue));

    assertReply(close, 403, "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void deletingDefaultExchangeClosesChannelWith403() {
    ShutdownSignalException close = expectChannelClose(channel, ch -> ch.exchangeDelete(""));

    assertReply(close, 403, "ACCESS_REFUSED - operation not permitted on the default exchange");
  }

  @Test
  void deletingPredeclaredExchangeClosesChannelWith403() {
    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.exchangeDelete("amq.direct"));

    assertReply(close, 403);
  }

  @Test
  void bindingToMissingExchangeClosesChannelWith404() throws IOException {
    String queue = serverNamedQueue();
    String exchange = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueBind(queue, exchange, "k"));

    assertReply(close, 404, "NOT_FOUND - no exchange '" + exchange + "' in vhost '/'");
  }

  @Test
  void bindingMissingQueueClosesChannelWith404() {
    String queue = unique("missing");

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.queueBind(queue, "amq.direct", "k"));

    assertReply(close, 404, "NOT_FOUND - no queue '" + queue + "' in vhost '/'");
  }

  @Test
  void publishingToInternalExchangeClosesChannelWith403() throws IOException {
    String exchange = unique("internal");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, true, null);

    ShutdownSignalException close =
        expectChannelClose(channel, ch -> ch.basicPublish(exchange, "", null, bytes("x")));

    assertReply(
        close,
        403,
        "ACCESS_REFUSED - cannot publish to internal exchange '" + exchange + "' in vhost '/'");
  }

  @Test
  void internalExchangeReceivesMessagesThroughExchangeBinding() throws IOException {
    String entry = unique("entry");
    String internal = unique("internal-target");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(entry, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeDeclare(internal, BuiltinExchangeType.FANOUT, false, true, true, null);
    channel.exchangeBind(internal, entry, "");
    channel.queueBind(queue, internal, "");

    publish(entry, "", "via internal");

    assertEquals("via internal", awaitBody(queue));
  }

  @Test
  void autoDeleteExchangeIsDeletedWhenItsLastQueueIsUnbound() throws Exception {
    String exchange = unique("auto-delete");
    String first = serverNamedQueue();
    String second = serverNamedQueue();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, null);
    channel.queueBind(first, exchange, "");
    channel.queueBind(second, exchange, "");

    channel.queueUnbind(first, exchange, "");
    assertTrue(exchangeExists(exchange), "one binding is left");
    channel.queueUnbind(second, exchange, "");

    assertFalse(exchangeExists(exchange));
  }

  @Test
  void autoDeleteExchangeIsDeletedWhenItsOnlyBoundQueueIsDeleted() throws Exception {
    String exchange = unique("auto-delete-queue");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, null);
    channel.queueBind(queue, exchange, "");

    channel.queueDelete(queue);

    assertFalse(exchangeExists(exchange));
  }

  @Test
  void autoDeleteExchangeThatNeverHadBindingsSurvives() throws Exception {
    String exchange = unique("auto-delete-unused");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, null);

    assertTrue(exchangeExists(exchange));
  }

  @Test
  void exchangeToExchangeBindingRoutesToQueuesOfDestination() throws IOException {
    String source = unique("e2e-source");
    String destination = unique("e2e-destination");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(source, BuiltinExchangeType.TOPIC, false, true, null);
    channel.exchangeDeclare(destination, BuiltinExchangeType.DIRECT, false, true, null);
    channel.exchangeBind(destination, source, "orders.*");
    channel.queueBind(queue, destination, "orders.new");

    publish(source, "orders.new", "routed twice");
    publish(source, "orders.old", "stops at destination");
    publish(source, "invoices.new", "stops at source");

    assertEquals("routed twice", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void messageReachesQueueOnceEvenThroughTwoRoutes() throws IOException {
    String source = unique("diamond-source");
    String left = unique("diamond-left");
    String right = unique("diamond-right");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(source, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeDeclare(left, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeDeclare(right, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeBind(left, source, "");
    channel.exchangeBind(right, source, "");
    channel.queueBind(queue, left, "");
    channel.queueBind(queue, right, "");
    channel.queueBind(queue, source, "");

    publish(source, "", "once");

    assertEquals("once", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void exchangeBindingCycleDoesNotLoopForever() throws IOException {
    String a = unique("cycle-a");
    String b = unique("cycle-b");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(a, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeDeclare(b, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeBind(b, a, "");
    channel.exchangeBind(a, b, "");
    channel.queueBind(queue, b, "");

    publish(a, "", "through a cycle");

    assertEquals("through a cycle", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void exchangeUnbindStopsRouting() throws IOException {
    String source = unique("unbind-source");
    String destination = unique("unbind-destination");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(source, BuiltinExchangeType.FANOUT);
    channel.exchangeDeclare(destination, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeBind(destination, source, "");
    channel.queueBind(queue, destination, "");

    channel.exchangeUnbind(destination, source, "");
    publish(source, "", "nowhere");

    assertStaysEmpty(queue);
    channel.exchangeDelete(source);
  }

  @Test
  void autoDeleteExchangeIsDeletedWhenItsLastExchangeBindingIsRemoved() throws Exception {
    String source = unique("auto-delete-source");
    String destination = unique("plain-destination");
    channel.exchangeDeclare(source, BuiltinExchangeType.FANOUT, false, true, null);
    channel.exchangeDeclare(destination, BuiltinExchangeType.FANOUT);
    channel.exchangeBind(destination, source, "");

    channel.exchangeUnbind(destination, source, "");

    assertFalse(exchangeExists(source));
    assertTrue(exchangeExists(destination), "only the source of a binding is auto-deleted");
    channel.exchangeDelete(destination);
  }

  @Test
  void bindingTwiceIsIdempotent() throws IOException {
    String queue = serverNamedQueue();
    channel.queueBind(queue, "amq.direct", queue);
    channel.queueBind(queue, "amq.direct", queue);

    publish("amq.direct", queue, "single copy");

    assertEquals("single copy", awaitBody(queue));
    assertStaysEmpty(queue);
  }

  @Test
  void bindingsWithDifferentArgumentsAreDistinct() throws IOException {
    String exchange = unique("headers-args");
    String queue = serverNamedQueue();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.HEADERS, false, true, null);
    channel.queueBind(queue, exchange, "", Map.of("x-match", "all", "a", "1"));
    channel.queueBind(queue, exchange, "", Map.of("x-match", "all", "b", "2"));

    channel.queueUnbind(queue, exchange, "", Map.of("x-match", "all", "a", "1"));
    channel.basicPublish(
        exchange,
        "",
        new AMQP.BasicProperties.Builder().headers(Map.of("b", "2")).build(),
        bytes("still bound by b"));

    assertEquals("still bound by b", awaitBody(queue));
  }

  @Test
  void durableExchangeCanBeDeclaredAndDeleted() throws Exception {
    String exchange = unique("durable");
    channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);

    assertTrue(exchangeExists(exchange));
    channel.exchangeDelete(exchange);
    assertFalse(exchangeExists(exchange));
  }

  @Test
  void exchangeExistsAfterDeclarerDisconnects() throws IOException, TimeoutException {
    String exchange = unique("outlives-connection");
    try (var other = newConnection()) {
      other.createChannel().exchangeDeclare(exchange, BuiltinExchangeType.DIRECT);
    }

    assertTrue(exchangeExists(exchange));
    channel.exchangeDelete(exchange);
  }
}
