package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.QueueInfo;
import dev.warren.broker.protocol.ReplyCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyRulesTest extends EngineFixture {
  private final RecordingListener listener = new RecordingListener();

  private static ExchangeDeclaration exchange(String name, String type) {
    return new ExchangeDeclaration(name, type, false, false, false, Map.of());
  }

  @Test
  void authenticationChecksTheDefaultUser() {
    assertTrue(broker.authenticate("guest", "guest"));
    assertFalse(broker.authenticate("guest", "wrong"));
    assertFalse(broker.authenticate("nobody", "guest"));
    LocalBroker noUsers = new LocalBroker(BrokerConfig.defaults().withDefaultUser(null, null));
    assertFalse(noUsers.authenticate("guest", "guest"));
    noUsers.shutdown();
  }

  @Test
  void connectingToAnUnknownVirtualHostIsNotAllowed() {
    assertRefused(
        ReplyCode.NOT_ALLOWED,
        "vhost nowhere not found",
        () -> broker.connect("nowhere", "g", "t"));
  }

  @Test
  void unknownExchangeTypeIsAConnectionError() {
    BrokerChannel channel = channel(listener);
    var e =
        assertRefused(
            ReplyCode.COMMAND_INVALID,
            "unknown exchange type 'nope'",
            () -> channel.declareExchange(exchange(unique("x"), "nope")));
    assertTrue(e.replyCode().closesConnection());
  }

  @Test
  void reservedExchangeNamesAreRefusedButPredeclaredOnesCanBeRedeclared() {
    BrokerChannel channel = channel(listener);
    assertRefused(
        ReplyCode.ACCESS_REFUSED,
        "exchange name 'amq.mine' contains reserved prefix 'amq.*'",
        () -> channel.declareExchange(exchange("amq.mine", "direct")));
    channel.declareExchange(
        new ExchangeDeclaration("amq.topic", "topic", true, false, false, null));
    for (String name : new String[] {"amq.direct", "amq.fanout", "amq.topic", "amq.headers"}) {
      channel.checkExchange(name);
    }
    channel.checkExchange("amq.match");
  }

  @Test
  void defaultExchangeCannotBeDeclaredDeletedOrBound() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    String text = "operation not permitted on the default exchange";
    assertRefused(
        ReplyCode.ACCESS_REFUSED, text, () -> channel.declareExchange(exchange("", "direct")));
    assertRefused(ReplyCode.ACCESS_REFUSED, text, () -> channel.deleteExchange("", false));
    assertRefused(
        ReplyCode.ACCESS_REFUSED, text, () -> channel.bindQueue(queue, "", queue, Map.of()));
  }

  @Test
  void redeclaringAnExchangeWithDifferentPropertiesFailsWith406() {
    BrokerChannel channel = channel(listener);
    String name = unique("x");
    channel.declareExchange(exchange(name, "direct"));
    channel.declareExchange(exchange(name, "direct"));
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'type' for exchange '"
            + name
            + "' in vhost '/': received 'fanout' but current is 'direct'",
        () -> channel.declareExchange(exchange(name, "fanout")));
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'durable' for exchange '"
            + name
            + "' in vhost '/': received 'true' but current is 'false'",
        () ->
            channel.declareExchange(
                new ExchangeDeclaration(name, "direct", true, false, false, null)));
  }

  @Test
  void passiveExchangeDeclareOfAMissingExchangeIs404() {
    BrokerChannel channel = channel(listener);
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no exchange 'missing' in vhost '/'",
        () -> channel.checkExchange("missing"));
  }

  @Test
  void exchangeDeleteHonoursIfUnusedAndToleratesMissingExchanges() {
    BrokerChannel channel = channel(listener);
    String name = unique("x");
    String queue = declareQueue(channel, unique("q"));
    channel.declareExchange(exchange(name, "fanout"));
    channel.bindQueue(queue, name, "", Map.of());
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "exchange '" + name + "' in vhost '/' in use",
        () -> channel.deleteExchange(name, true));
    channel.deleteExchange(name, false);
    channel.deleteExchange(name, false);
    assertRefused(ReplyCode.NOT_FOUND, null, () -> channel.checkExchange(name));
  }

  @Test
  void autoDeleteExchangeGoesWithItsLastBinding() {
    BrokerChannel channel = channel(listener);
    String name = unique("x");
    String queue = declareQueue(channel, unique("q"));
    channel.declareExchange(new ExchangeDeclaration(name, "direct", false, true, false, null));
    channel.bindQueue(queue, name, "a", Map.of());
    channel.bindQueue(queue, name, "b", Map.of());
    channel.unbindQueue(queue, name, "a", Map.of());
    channel.checkExchange(name);
    channel.unbindQueue(queue, name, "b", Map.of());
    assertRefused(ReplyCode.NOT_FOUND, null, () -> channel.checkExchange(name));
  }

  @Test
  void autoDeleteExchangeGoesWhenItsOnlyQueueIsDeleted() {
    BrokerChannel channel = channel(listener);
    String name = unique("x");
    String queue = declareQueue(channel, unique("q"));
    channel.declareExchange(new ExchangeDeclaration(name, "fanout", false, true, false, null));
    channel.bindQueue(queue, name, "", Map.of());
    channel.deleteQueue(queue, false, false);
    assertRefused(ReplyCode.NOT_FOUND, null, () -> channel.checkExchange(name));
  }

  @Test
  void publishingToAMissingOrInternalExchangeIsRefused() {
    BrokerChannel channel = channel(listener);
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no exchange 'missing' in vhost '/'",
        () -> publish(channel, "missing", "k", "m"));
    String internal = unique("x");
    channel.declareExchange(new ExchangeDeclaration(internal, "fanout", false, false, true, null));
    assertRefused(
        ReplyCode.ACCESS_REFUSED,
        "cannot publish to internal exchange '" + internal + "' in vhost '/'",
        () -> publish(channel, internal, "k", "m"));
  }

  @Test
  void serverNamedQueuesLookLikeRabbitMqs() {
    BrokerChannel channel = channel(listener);
    QueueInfo info = channel.declareQueue(new QueueDeclaration("", false, true, true, null));
    assertTrue(info.name().matches("amq\\.gen-[A-Za-z0-9_-]{22}"), info.name());
    assertRefused(
        ReplyCode.ACCESS_REFUSED,
        "queue name '" + info.name() + "' contains reserved prefix 'amq.*'",
        () -> channel.declareQueue(new QueueDeclaration(info.name(), false, true, true, null)));
  }

  @Test
  void redeclaringAQueueWithDifferentPropertiesFailsWith406() {
    BrokerChannel channel = channel(listener);
    String name = declareQueue(channel, unique("q"));
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'durable' for queue '"
            + name
            + "' in vhost '/': received 'true' but current is 'false'",
        () -> channel.declareQueue(new QueueDeclaration(name, true, false, false, null)));
    BrokerChannel second = channel(listener);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg 'x-max-priority' for queue '"
            + name
            + "' in vhost '/': received the value '2' of type 'byte' but current is none",
        () ->
            second.declareQueue(
                new QueueDeclaration(
                    name, false, false, false, Map.of("x-max-priority", (byte) 2))));
  }

  @Test
  void redeclaringWithAnIrrelevantArgumentIsFine() {
    BrokerChannel channel = channel(listener);
    String name = declareQueue(channel, unique("q"));
    QueueInfo info =
        channel.declareQueue(new QueueDeclaration(name, false, false, false, Map.of("foo", 1)));
    assertEquals(new QueueInfo(name, 0, 0), info);
  }

  @Test
  void exclusiveQueuesAreLockedToTheirConnectionAndDeletedWithIt() {
    BrokerChannel owner = channel(listener);
    String name = unique("q");
    owner.declareQueue(new QueueDeclaration(name, false, true, false, null));
    BrokerConnection other = broker.connect("/", "guest", "other");
    BrokerChannel stranger = other.openChannel(new RecordingListener());
    String locked =
        "cannot obtain exclusive access to locked queue '"
            + name
            + "' in vhost '/'. It could be originally declared on another connection or the"
            + " exclusive property value does not match that of the original declaration.";
    assertRefused(ReplyCode.RESOURCE_LOCKED, locked, () -> stranger.checkQueue(name));
    assertRefused(ReplyCode.RESOURCE_LOCKED, locked, () -> stranger.purgeQueue(name));
    assertRefused(
        ReplyCode.RESOURCE_LOCKED, locked, () -> stranger.consume(name, "", false, false, null));
    assertRefused(
        ReplyCode.RESOURCE_LOCKED,
        locked,
        () -> stranger.declareQueue(new QueueDeclaration(name, false, true, false, null)));
    assertRefused(
        ReplyCode.RESOURCE_LOCKED, locked, () -> stranger.bindQueue(name, "amq.fanout", "", null));
    connection.close();
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no queue '" + name + "' in vhost '/'",
        () -> stranger.checkQueue(name));
  }

  @Test
  void queueDeleteHonoursIfUnusedAndIfEmpty() {
    BrokerChannel channel = channel(listener);
    String name = declareQueue(channel, unique("q"));
    publish(channel, "", name, "m");
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "queue '" + name + "' in vhost '/' not empty",
        () -> channel.deleteQueue(name, false, true));
    BrokerChannel consumerChannel = channel(new RecordingListener());
    consumerChannel.consume(name, "c", true, false, null);
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        "queue '" + name + "' in vhost '/' in use",
        () -> channel.deleteQueue(name, true, false));
    assertEquals(0, channel.deleteQueue(unique("never-declared"), false, false));
  }

  @Test
  void deletingAQueueReturnsItsMessageCountAndCancelsItsConsumers() throws Exception {
    BrokerChannel channel = channel(listener);
    String name = declareQueue(channel, unique("q"));
    RecordingListener consumerListener = new RecordingListener();
    BrokerChannel consumerChannel = channel(consumerListener);
    consumerChannel.qos(1, false);
    consumerChannel.consume(name, "c1", false, false, null);
    for (int i = 0; i < 3; i++) {
      publish(channel, "", name, "m" + i);
    }
    consumerListener.next();
    assertEquals(2, channel.deleteQueue(name, false, false));
    assertEquals(
        "c1", consumerListener.cancellations.poll(5, java.util.concurrent.TimeUnit.SECONDS));
    assertFalse(consumerChannel.cancel("c1"));
  }

  @Test
  void purgeCountsReadyMessagesOnly() throws Exception {
    BrokerChannel channel = channel(listener);
    String name = declareQueue(channel, unique("q"));
    for (int i = 0; i < 3; i++) {
      publish(channel, "", name, "m" + i);
    }
    assertTrue(channel.get(name, false).isPresent());
    assertEquals(2, channel.purgeQueue(name));
    assertEquals(0, channel.checkQueue(name).messageCount());
  }

  @Test
  void bindingToMissingThingsIs404ButUnbindingIsIdempotent() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no exchange 'nope' in vhost '/'",
        () -> channel.bindQueue(queue, "nope", "k", null));
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no queue 'nope' in vhost '/'",
        () -> channel.bindQueue("nope", "amq.direct", "k", null));
    assertRefused(
        ReplyCode.NOT_FOUND,
        "no exchange 'nope' in vhost '/'",
        () -> channel.bindExchange("nope", "amq.direct", "k", null));
    channel.unbindQueue(queue, "amq.direct", "never-bound", null);
    channel.unbindQueue("nope", "amq.direct", "k", null);
    channel.unbindQueue(queue, "nope", "k", null);
    channel.unbindExchange("nope", "amq.direct", "k", null);
  }

  @Test
  void voidArgumentsAreKeptInBindingsAndDeclarations() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    Map<String, Object> presence = new java.util.HashMap<>();
    presence.put("flag", null);
    channel.bindQueue(queue, "amq.headers", "", presence);
    channel.declareQueue(new QueueDeclaration(unique("q"), false, false, false, presence));
    channel.declareExchange(
        new ExchangeDeclaration(unique("x"), "direct", false, false, false, presence));
    channel.publish(
        "amq.headers",
        "",
        false,
        dev.warren.broker.protocol.BasicProperties.EMPTY.withHeaders(Map.of("flag", "any")),
        "m".getBytes());
    assertEquals(1, channel.checkQueue(queue).messageCount());
  }

  @Test
  void invalidHeadersBindingIs406() {
    BrokerChannel channel = channel(listener);
    String queue = declareQueue(channel, unique("q"));
    assertRefused(
        ReplyCode.PRECONDITION_FAILED,
        null,
        () -> channel.bindQueue(queue, "amq.headers", "", Map.of("x-match", "most")));
  }

  @Test
  void emptyQueueNameMeansTheLastDeclaredQueue() {
    BrokerChannel channel = channel(listener);
    assertRefused(
        ReplyCode.NOT_FOUND, "no previously declared queue", () -> channel.purgeQueue(""));
    String name = declareQueue(channel, unique("q"));
    channel.bindQueue("", "amq.direct", "", null);
    publish(channel, "amq.direct", name, "m");
    assertEquals(1, channel.purgeQueue(""));
  }
}
