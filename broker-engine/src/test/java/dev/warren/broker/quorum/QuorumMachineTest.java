package dev.warren.broker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.model.Message;
import dev.warren.broker.protocol.BasicProperties;
import dev.warren.broker.quorum.QuorumCommand.Cancel;
import dev.warren.broker.quorum.QuorumCommand.ChannelDown;
import dev.warren.broker.quorum.QuorumCommand.Checkout;
import dev.warren.broker.quorum.QuorumCommand.Dequeue;
import dev.warren.broker.quorum.QuorumCommand.Discard;
import dev.warren.broker.quorum.QuorumCommand.Enqueue;
import dev.warren.broker.quorum.QuorumCommand.NodeDown;
import dev.warren.broker.quorum.QuorumCommand.Purge;
import dev.warren.broker.quorum.QuorumCommand.Release;
import dev.warren.broker.quorum.QuorumCommand.Return;
import dev.warren.broker.quorum.QuorumCommand.Settle;
import dev.warren.broker.quorum.QuorumCommand.Tick;
import dev.warren.broker.quorum.QuorumEffect.DeadLetter;
import dev.warren.broker.quorum.QuorumEffect.Deliver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quorum queue's state machine alone: commands in, state, replies and effects out. */
class QuorumMachineTest {
  private static final ConsumerKey A = new ConsumerKey("n1", 1, "a");
  private static final ConsumerKey B = new ConsumerKey("n2", 7, "b");

  private QuorumState state = new QuorumState(QuorumSettings.DEFAULTS);
  private long index;
  private long now = 1_000;
  private QuorumMachine.Applied last;

  private QuorumMachine.Applied apply(QuorumCommand command) {
    last = QuorumMachine.apply(new QuorumMachine.Meta(++index, now), command, state);
    state = last.state();
    return last;
  }

  private void publish(String... bodies) {
    for (String body : bodies) {
      apply(new Enqueue(message(body, null)));
    }
  }

  private static Message message(String body, String expiration) {
    BasicProperties properties =
        expiration == null
            ? BasicProperties.EMPTY
            : BasicProperties.EMPTY.withExpiration(expiration);
    return new Message("", "q", properties, body.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> delivered(QuorumMachine.Applied applied, ConsumerKey to) {
    List<String> bodies = new ArrayList<>();
    for (QuorumEffect effect : applied.effects()) {
      if (effect instanceof Deliver d && d.consumer().equals(to)) {
        bodies.add(body(d.message()));
      }
    }
    return bodies;
  }

  private static List<String> deadLettered(QuorumMachine.Applied applied, String reason) {
    List<String> bodies = new ArrayList<>();
    for (QuorumEffect effect : applied.effects()) {
      if (effect instanceof DeadLetter d && d.reason().equals(reason)) {
        bodies.add(new String(d.message().body(), StandardCharsets.UTF_8));
      }
    }
    return bodies;
  }

  private static String body(QueuedMessage message) {
    return new String(message.message().body(), StandardCharsets.UTF_8);
  }

  private static long idOf(QuorumMachine.Applied applied) {
    return ((Deliver) applied.effects().get(0)).message().id();
  }

  @Test
  void aConsumerReceivesWhatWasEnqueuedUpToItsPrefetch() {
    publish("m1", "m2", "m3");

    QuorumMachine.Applied checkout = apply(new Checkout(A, 2, false));

    assertEquals(List.of("m1", "m2"), delivered(checkout, A));
    assertEquals(1, state.readyCount());
    assertEquals(2, state.unsettledCount());
    QuorumMachine.Applied settled = apply(new Settle(A, List.of(1L)));
    assertEquals(List.of("m3"), delivered(settled, A), "settling frees credit for the next one");
  }

  @Test
  void consumersAreServedRoundRobin() {
    apply(new Checkout(A, 0, false));
    apply(new Checkout(B, 0, false));

    List<String> toA = new ArrayList<>();
    List<String> toB = new ArrayList<>();
    for (String body : List.of("m1", "m2", "m3", "m4")) {
      apply(new Enqueue(message(body, null)));
      toA.addAll(delivered(last, A));
      toB.addAll(delivered(last, B));
    }

    assertEquals(List.of("m1", "m3"), toA);
    assertEquals(List.of("m2", "m4"), toB);
  }

  @Test
  void aReturnedMessageComesBackFirstRedeliveredAndCounted() {
    publish("m1", "m2");
    apply(new Checkout(A, 1, false));
    long first = idOf(last);

    apply(new Return(A, List.of(first)));

    Deliver again = (Deliver) last.effects().get(0);
    assertEquals("m1", body(again.message()));
    assertTrue(again.message().delivered(), "marked redelivered");
    assertEquals(1, again.message().deliveryCount(), "x-delivery-count");
  }

  @Test
  void aReleasedMessageComesBackFirstAsItWasNotCountedNorRedelivered() {
    publish("m1", "m2", "m3");
    apply(new Checkout(A, 2, false));
    apply(new Return(A, List.of(1L))); // m1 came back from A's client: redelivered, counted
    assertEquals(List.of("m1"), delivered(last, A), "A holds m2 and m1 again");
    apply(new Cancel(A)); // A's consumer goes; its node proposes the cancel, then the release
    apply(new Checkout(B, 0, false));
    assertEquals(List.of("m3"), delivered(last, B));

    apply(new Release(A, List.of(2L, 1L))); // A's node never handed them to its client

    assertEquals(3, state.unsettledCount(), "B holds all three; A is forgotten");
    assertEquals(1, state.consumerCount());
    List<QueuedMessage> toB = new ArrayList<>();
    last.effects().forEach(effect -> toB.add(((Deliver) effect).message()));
    assertEquals(List.of("m1", "m2"), toB.stream().map(QuorumMachineTest::body).toList());
    assertTrue(toB.get(0).delivered(), "m1 was delivered to a client before: still flagged");
    assertEquals(1, toB.get(0).deliveryCount(), "and counted once, not twice");
    assertEquals(false, toB.get(1).delivered(), "m2 never reached a client: not redelivered");
    assertEquals(0, toB.get(1).deliveryCount());
  }

  @Test
  void aReleaseOfIdsTheConsumerDoesNotHoldChangesNothing() {
    publish("m1");
    apply(new Checkout(A, 1, false));
    apply(new Settle(A, List.of(1L)));

    apply(new Release(A, List.of(1L)));

    assertEquals(0, state.readyCount());
    assertEquals(List.of(), last.effects());
  }

  @Test
  void aMessageReturnedMoreOftenThanTheDeliveryLimitIsDeadLettered() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-delivery-limit", 2)));
    publish("poison");
    apply(new Checkout(A, 1, false));
    for (int returns = 1; returns <= 2; returns++) {
      apply(new Return(A, List.of(1L)));
      assertEquals(List.of("poison"), delivered(last, A), "redelivered after return " + returns);
    }

    apply(new Return(A, List.of(1L)));

    assertEquals(List.of("poison"), deadLettered(last, QuorumMachine.DELIVERY_LIMIT));
    assertEquals(0, state.readyCount() + state.unsettledCount());
  }

  @Test
  void theDefaultDeliveryLimitIsTwentyAsInRabbitMq4() {
    assertEquals(20, QuorumSettings.of(Map.of()).deliveryLimit());
  }

  @Test
  void aDiscardedMessageIsDeadLetteredAsRejected() {
    publish("bad");
    apply(new Checkout(A, 1, false));

    apply(new Discard(A, List.of(1L)));

    assertEquals(List.of("bad"), deadLettered(last, QuorumMachine.REJECTED));
    assertEquals(0, state.unsettledCount());
  }

  @Test
  void aClosedChannelsMessagesGoToAnotherConsumerCounted() {
    apply(new Checkout(A, 0, false));
    apply(new Checkout(B, 1, false));
    publish("m1", "m2"); // m1 to A, m2 to B
    apply(new Settle(B, List.of(2L)));

    apply(new ChannelDown("n1", 1));

    Deliver moved = (Deliver) last.effects().get(0);
    assertEquals(B, moved.consumer());
    assertEquals("m1", body(moved.message()));
    assertEquals(1, moved.message().deliveryCount());
    assertEquals(1, state.consumerCount());
  }

  @Test
  void aNodeThatIsGoneLosesAllItsConsumers() {
    apply(new Checkout(A, 0, false));
    apply(new Checkout(new ConsumerKey("n1", 2, "c"), 0, false));
    apply(new Checkout(B, 0, false));

    apply(new NodeDown("n1"));

    assertEquals(1, state.consumerCount());
  }

  @Test
  void aCancelledConsumerGetsNothingMoreButKeepsWhatItHolds() {
    publish("m1");
    apply(new Checkout(A, 0, false));

    apply(new Cancel(A));
    publish("m2");

    assertEquals(List.of(), delivered(last, A));
    assertEquals(1, state.readyCount());
    apply(new Settle(A, List.of(1L)));
    assertEquals(0, state.unsettledCount());
    assertEquals(0, state.consumerCount());
  }

  @Test
  void withASingleActiveConsumerOnlyTheFirstReceivesUntilItGoes() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-single-active-consumer", true)));
    apply(new Checkout(A, 0, false));
    apply(new Checkout(B, 0, false));
    publish("m1", "m2");
    assertEquals(List.of(), delivered(last, B));

    apply(new Cancel(A));
    apply(new Settle(A, List.of(1L, 2L)));
    publish("m3");

    assertEquals(List.of("m3"), delivered(last, B));
  }

  @Test
  void dropHeadKeepsTheNewestMessagesWithinTheLimit() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-max-length", 2)));
    publish("m1", "m2");

    publish("m3");

    assertEquals(List.of("m1"), deadLettered(last, QuorumMachine.MAXLEN));
    apply(new Dequeue(ConsumerKey.getter("n1", 1), true));
    assertEquals("m2", body(((QuorumReply.Got) last.reply()).message()));
  }

  @Test
  void rejectPublishRefusesBeyondTheLimit() {
    state =
        new QuorumState(
            QuorumSettings.of(Map.of("x-max-length", 1, "x-overflow", "reject-publish")));
    publish("m1");

    apply(new Enqueue(message("m2", null)));

    assertInstanceOf(QuorumReply.Rejected.class, last.reply());
    assertEquals(1, state.readyCount());
    assertEquals(List.of(), deadLettered(last, QuorumMachine.MAXLEN));
  }

  @Test
  void aPublishConfirmedAtItsCommitIsTakenEvenBeyondARejectPublishLimitSetMeanwhile() {
    state =
        new QuorumState(
            QuorumSettings.of(Map.of("x-max-length", 1, "x-overflow", "reject-publish")));
    publish("m1");

    apply(new Enqueue(message("m2", null), false));

    assertEquals(QuorumReply.OK, last.reply());
    assertEquals(2, state.readyCount(), "its proposer confirmed it: it must not be dropped");
    assertEquals(List.of(), deadLettered(last, QuorumMachine.MAXLEN));
  }

  @Test
  void rejectPublishDlxDeadLettersTheRefusedMessage() {
    state =
        new QuorumState(
            QuorumSettings.of(Map.of("x-max-length-bytes", 2, "x-overflow", "reject-publish-dlx")));
    publish("ab");

    apply(new Enqueue(message("c", null)));

    assertInstanceOf(QuorumReply.Rejected.class, last.reply());
    assertEquals(List.of("c"), deadLettered(last, QuorumMachine.MAXLEN));
  }

  @Test
  void messagesExpireFromTheHeadByTheLogsClock() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-message-ttl", 1000)));
    publish("old");
    now += 500;
    apply(new Enqueue(message("short", "100")));
    publish("young");

    now += 600; // "old" is past its TTL; "short" too
    apply(new Tick());

    assertEquals(List.of("old", "short"), deadLettered(last, QuorumMachine.EXPIRED));
    assertEquals(1, state.readyCount());
  }

  @Test
  void theClockNeverRunsBackwardsWhenANewLeaderLags() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-message-ttl", 1000)));
    now = 10_000;
    publish("m");
    now = 9_000; // a new leader whose clock is behind

    apply(new Tick());

    assertEquals(10_000, state.clock);
    assertEquals(1, state.readyCount());
  }

  @Test
  void aZeroTtlMessageReachesAWaitingConsumerOrNobody() {
    state = new QuorumState(QuorumSettings.of(Map.of("x-message-ttl", 0)));
    apply(new Enqueue(message("nobody", null)));
    assertEquals(List.of("nobody"), deadLettered(last, QuorumMachine.EXPIRED));

    apply(new Checkout(A, 0, true));
    apply(new Enqueue(message("someone", null)));

    assertEquals(List.of("someone"), delivered(last, A));
  }

  @Test
  void basicGetHoldsTheMessageUntilSettledAndCountsWhatRemains() {
    publish("m1", "m2");
    ConsumerKey getter = ConsumerKey.getter("n1", 3);

    apply(new Dequeue(getter, false));

    QuorumReply.Got got = (QuorumReply.Got) last.reply();
    assertEquals("m1", body(got.message()));
    assertEquals(1, got.remaining());
    assertEquals(1, state.unsettledCount());
    apply(new Return(getter, List.of(got.message().id())));
    assertEquals(2, state.readyCount());
    apply(new Purge());
    assertEquals(new QuorumReply.Purged(2), last.reply());
    apply(new Dequeue(getter, false));
    assertInstanceOf(QuorumReply.Empty.class, last.reply());
  }

  @Test
  void twoMembersApplyingTheSameLogComputeTheSameEffects() {
    List<QuorumCommand> log =
        List.of(
            new Checkout(A, 2, false),
            new Enqueue(message("m1", null)),
            new Checkout(B, 1, false),
            new Enqueue(message("m2", null)),
            new Enqueue(message("m3", null)),
            new Return(A, List.of(1L)),
            new Settle(B, List.of(2L)),
            new ChannelDown("n2", 7),
            new Enqueue(message("m4", null)));
    assertEquals(effectsOf(log), effectsOf(log));
  }

  @Test
  void aPolicysLowerMaxLengthTrimsTheQueueAtOnceAndItsDeliveryLimitAppliesToReturns() {
    publish("m1", "m2", "m3", "m4");
    apply(new QuorumCommand.Configure(new QuorumSettings(2L, null, false, false, 0, null, false)));
    assertEquals(List.of("m1", "m2"), deadLettered(last, QuorumMachine.MAXLEN));
    assertEquals(2, state.readyCount());
    apply(new Checkout(A, 1, false));
    assertEquals(List.of("m3"), delivered(last, A));
    apply(new Return(A, List.of(3L)));
    assertEquals(List.of("m3"), deadLettered(last, QuorumMachine.DELIVERY_LIMIT));
  }

  @Test
  void aPolicysRejectPublishRefusesTheNextEnqueueOnceFull() {
    publish("m1");
    apply(
        new QuorumCommand.Configure(
            new QuorumSettings(
                1L, null, true, false, QuorumSettings.DEFAULT_DELIVERY_LIMIT, null, false)));
    assertInstanceOf(QuorumReply.Rejected.class, apply(new Enqueue(message("m2", null))).reply());
    assertEquals(1, state.readyCount());
  }

  private static List<String> effectsOf(List<QuorumCommand> log) {
    QuorumState member = new QuorumState(QuorumSettings.DEFAULTS);
    List<String> effects = new ArrayList<>();
    long i = 0;
    for (QuorumCommand command : log) {
      QuorumMachine.Applied applied =
          QuorumMachine.apply(new QuorumMachine.Meta(++i, 5_000 + i), command, member);
      member = applied.state();
      for (QuorumEffect effect : applied.effects()) {
        effects.add(
            effect instanceof Deliver d
                ? "deliver " + body(d.message()) + " to " + d.consumer().tag()
                : "dead-letter " + ((DeadLetter) effect).reason());
      }
    }
    return effects;
  }
}
