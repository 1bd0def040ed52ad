package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.RecordingListener.Confirm;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.GetResult;
import dev.warren.broker.engine.api.ReturnedMessage;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.protocol.ReplyCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Confirms, mandatory returns, transactions and exchange-to-exchange routing. */
class PublishingModesTest extends EngineFixture {
  private final RecordingListener listener = new RecordingListener();

  @Test
  void confirmsAreNumberedFromOne() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    channel.selectConfirms();
    for (int i = 0; i < 3; i++) {
      publish(channel, "", queue, "m" + i);
    }
    assertEquals(
        List.of(
            new Confirm(1, false, true), new Confirm(2, false, true), new Confirm(3, false, true)),
        listener.confirms());
  }

  @Test
  void unroutableMandatoryMessageIsReturnedBeforeItIsConfirmed() {
    BrokerChannel channel = channel(listener);
    channel.selectConfirms();
    channel.publish("amq.direct", "nobody", true, BasicProperties.EMPTY, "lost".getBytes());
    channel.publish("amq.direct", "nobody", false, BasicProperties.EMPTY, "dropped".getBytes());
    assertEquals(3, listener.events.size());
    ReturnedMessage returned = assertInstanceOf(ReturnedMessage.class, listener.events.get(0));
    assertEquals(312, returned.replyCode());
    assertEquals("NO_ROUTE", returned.replyText());
    assertEquals("amq.direct", returned.exchange());
    assertEquals("nobody", returned.routingKey());
    assertEquals("lost", new String(returned.body()));
    assertEquals(new Confirm(1, false, true), listener.events.get(1));
    assertEquals(new Confirm(2, false, true), listener.events.get(2));
  }

  @Test
  void confirmAndTransactionModesExcludeEachOther() {
    BrokerChannel confirming = channel(listener);
    confirming.selectConfirms();
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "cannot switch from confirm to tx mode",
        confirming::selectTx);
    BrokerChannel transactional = channel(listener);
    transactional.selectTx();
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "cannot switch from tx to confirm mode",
        transactional::selectConfirms);
    BrokerChannel plain = channel(listener);
    assertRefused(ReplyCode.PRECONDITION_FAILED, "channel is not transactional", plain::commitTx);
    assertRefused(ReplyCode.PRECONDITION_FAILED, "channel is not transactional", plain::rollbackTx);
  }

  @Test
  void transactionalPublishesAppearOnlyAtCommit() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    channel.selectTx();
    publish(channel, "", queue, "rolled back");
    channel.rollbackTx();
    publish(channel, "", queue, "committed");
    assertEquals(0, channel.checkQueue(queue).messageCount());
    channel.commitTx();
    assertEquals(1, channel.checkQueue(queue).messageCount());
    assertEquals("committed", new String(channel.get(queue, true).orElseThrow().body()));
  }

  @Test
  void transactionalAcksApplyAtCommitAndRollbackKeepsMessagesDelivered() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    publish(channel, "", queue, "a");
    publish(channel, "", queue, "b");
    channel.selectTx();
    GetResult a = channel.get(queue, false).orElseThrow();
    GetResult b = channel.get(queue, false).orElseThrow();
    channel.ack(a.deliveryTag(), false);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "unknown delivery tag " + a.deliveryTag(),
        () -> channel(listener).ack(a.deliveryTag(), false));
    channel.rollbackTx();
    // Rolled back: "a" is unacknowledged again, not requeued.
    assertEquals(0, channel.checkQueue(queue).messageCount());
    channel.ack(a.deliveryTag(), false);
    channel.reject(b.deliveryTag(), true);
    assertEquals(0, channel.checkQueue(queue).messageCount());
    channel.commitTx();
    assertEquals(1, channel.checkQueue(queue).messageCount());
    GetResult again = channel.get(queue, true).orElseThrow();
    assertEquals("b", new String(again.body()));
    assertTrue(again.redelivered());
  }

  @Test
  void transactionalMandatoryReturnHappensAtCommit() {
    BrokerChannel channel = channel(listener);
    channel.selectTx();
    channel.publish("amq.direct", "nobody", true, BasicProperties.EMPTY, "x".getBytes());
    assertTrue(listener.events.isEmpty());
    channel.commitTx();
    assertInstanceOf(ReturnedMessage.class, listener.events.get(0));
  }

  @Test
  void aMessageReachesEachQueueOnceAcrossBindingsAndExchangePaths() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    String upstream = unique("up");
    String downstream = unique("down");
    channel.declareExchange(new ExchangeDeclaration(upstream, "topic", false, false, false, null));
    channel.declareExchange(
        new ExchangeDeclaration(downstream, "fanout", false, false, false, null));
    channel.bindQueue(queue, upstream, "a.*", null);
    channel.bindQueue(queue, upstream, "#", null);
    channel.bindExchange(downstream, upstream, "a.b", null);
    channel.bindQueue(queue, downstream, "", null);
    // A cycle back to the source must not loop.
    channel.bindExchange(upstream, downstream, "", null);
    publish(channel, upstream, "a.b", "once");
    assertEquals(1, channel.checkQueue(queue).messageCount());
  }

  @Test
  void exchangeToExchangeBindingRoutesOnlyMatchingKeys() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    String source = unique("src");
    String destination = unique("dst");
    channel.declareExchange(new ExchangeDeclaration(source, "direct", false, false, false, null));
    channel.declareExchange(
        new ExchangeDeclaration(destination, "direct", false, false, true, Map.of()));
    channel.bindExchange(destination, source, "k", null);
    channel.bindQueue(queue, destination, "k", null);
    publish(channel, source, "k", "through");
    publish(channel, source, "other", "stopped");
    assertEquals(1, channel.checkQueue(queue).messageCount());
    channel.unbindExchange(destination, source, "k", null);
    publish(channel, source, "k", "unbound");
    assertEquals(1, channel.checkQueue(queue).messageCount());
  }

  @Test
  void headersExchangeRoutesOnHeaders() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    channel.bindQueue(queue, "amq.headers", "", Map.of("x-match", "any", "kind", "report"));
    BasicProperties report = BasicProperties.EMPTY.withHeaders(Map.of("kind", "report"));
    BasicProperties other = BasicProperties.EMPTY.withHeaders(Map.of("kind", "invoice"));
    channel.publish("amq.headers", "", false, report, "yes".getBytes());
    channel.publish("amq.headers", "", false, other, "no".getBytes());
    channel.publish("amq.headers", "", false, BasicProperties.EMPTY, "none".getBytes());
    assertEquals(1, channel.checkQueue(queue).messageCount());
  }
}
