package dev.warren.broker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.model.Message;
import dev.warren.broker.protocol.BasicProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shard entries and snapshots survive their encoding, so every member reads the same log. */
class QuorumCodecTest {
  private static final QueueKey KEY = new QueueKey("/v", "q");
  private static final ConsumerKey CONSUMER = new ConsumerKey("n1", 5, "ctag");

  @Test
  void everyEntrySurvivesTheCodec() {
    Message message =
        new Message(
            "ex",
            "rk",
            BasicProperties.EMPTY.withHeaders(Map.of("h", "v")),
            "body".getBytes(StandardCharsets.UTF_8));
    List<ShardEntry.Command> commands =
        List.of(
            new ShardEntry.Open(Map.of("x-queue-type", "quorum", "x-max-length", 5)),
            new ShardEntry.Close(),
            new ShardEntry.NodeGone("n2"),
            new ShardEntry.ForQueue(new QuorumCommand.Checkout(CONSUMER, 10, true)),
            new ShardEntry.ForQueue(new QuorumCommand.Cancel(CONSUMER)),
            new ShardEntry.ForQueue(new QuorumCommand.Settle(CONSUMER, List.of(1L, 2L))),
            new ShardEntry.ForQueue(new QuorumCommand.Return(CONSUMER, List.of(3L))),
            new ShardEntry.ForQueue(new QuorumCommand.Discard(CONSUMER, List.of())),
            new ShardEntry.ForQueue(new QuorumCommand.Release(CONSUMER, List.of(4L, 5L))),
            new ShardEntry.ForQueue(new QuorumCommand.Dequeue(ConsumerKey.getter("n2", 0), false)),
            new ShardEntry.ForQueue(new QuorumCommand.Purge()),
            new ShardEntry.ForQueue(new QuorumCommand.ChannelDown("n1", 5)),
            new ShardEntry.ForQueue(new QuorumCommand.NodeDown("n3")),
            new ShardEntry.ForQueue(new QuorumCommand.Tick()),
            new ShardEntry.ForQueue(
                new QuorumCommand.Configure(
                    new QuorumSettings(2L, null, true, true, 3, 1_000L, false))));
    for (ShardEntry.Command command : commands) {
      ShardEntry entry = new ShardEntry(KEY, "n1", 7, 123_456, command);
      assertEquals(entry, QuorumCodec.decode(QuorumCodec.encode(entry)));
    }
    ShardEntry enqueue =
        QuorumCodec.decode(
            QuorumCodec.encode(
                new ShardEntry(
                    KEY, "n1", 8, 1, new ShardEntry.ForQueue(new QuorumCommand.Enqueue(message)))));
    QuorumCommand.Enqueue decodedCommand =
        (QuorumCommand.Enqueue) ((ShardEntry.ForQueue) enqueue.command()).command();
    assertTrue(decodedCommand.mayReject());
    Message decoded = decodedCommand.message();
    assertEquals("ex", decoded.exchange());
    assertEquals("rk", decoded.routingKey());
    assertEquals(Map.of("h", "v"), decoded.properties().headers());
    assertEquals("body", new String(decoded.body(), StandardCharsets.UTF_8));
    ShardEntry confirmedAtCommit =
        QuorumCodec.decode(
            QuorumCodec.encode(
                new ShardEntry(
                    KEY,
                    "n1",
                    9,
                    1,
                    new ShardEntry.ForQueue(new QuorumCommand.Enqueue(message, false)))));
    assertFalse(
        ((QuorumCommand.Enqueue) ((ShardEntry.ForQueue) confirmedAtCommit.command()).command())
            .mayReject());
  }

  @Test
  void aSnapshotRestoresAStateThatBehavesTheSame() {
    QuorumState state = new QuorumState(QuorumSettings.of(Map.of("x-delivery-limit", 3)));
    long index = 0;
    for (String body : List.of("m1", "m2", "m3")) {
      state = apply(state, ++index, new QuorumCommand.Enqueue(message(body)));
    }
    state = apply(state, ++index, new QuorumCommand.Checkout(CONSUMER, 1, false));
    state = apply(state, ++index, new QuorumCommand.Return(CONSUMER, List.of(1L)));

    QuorumState copy =
        QuorumCodec.decodeStates(QuorumCodec.encodeStates(Map.of(KEY, state))).get(KEY);

    assertEquals(state.readyCount(), copy.readyCount());
    assertEquals(state.unsettledCount(), copy.unsettledCount());
    assertEquals(state.settings(), copy.settings());
    QuorumCommand next = new QuorumCommand.Settle(CONSUMER, List.of(1L));
    assertEquals(
        describe(QuorumMachine.apply(new QuorumMachine.Meta(++index, 10), next, state)),
        describe(QuorumMachine.apply(new QuorumMachine.Meta(index, 10), next, copy)));
  }

  private static QuorumState apply(QuorumState state, long index, QuorumCommand command) {
    return QuorumMachine.apply(new QuorumMachine.Meta(index, 10), command, state).state();
  }

  private static String describe(QuorumMachine.Applied applied) {
    StringBuilder text = new StringBuilder(applied.reply().toString());
    for (QuorumEffect effect : applied.effects()) {
      if (effect instanceof QuorumEffect.Deliver d) {
        text.append(" deliver ")
            .append(d.message().id())
            .append('/')
            .append(d.message().deliveryCount())
            .append(" to ")
            .append(d.consumer());
      } else {
        text.append(" dead ").append(((QuorumEffect.DeadLetter) effect).reason());
      }
    }
    return text.toString();
  }

  private static Message message(String body) {
    return new Message("", "q", BasicProperties.EMPTY, body.getBytes(StandardCharsets.UTF_8));
  }
}
