package dev.warren.broker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.warren.broker.engine.api.BrokerChannel;
import dev.warren.broker.engine.api.BrokerConnection;
import dev.warren.broker.engine.api.Delivery;
import dev.warren.broker.engine.api.HeldMessage;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.engine.api.StoredMessageId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages delivered in a transaction branch that was prepared before the broker stopped: named to
 * {@link BrokerEngine#start(BrokerConfig, Collection)}, the store's recovery keeps them from every
 * consumer until {@code acknowledgeHeld} settles them for good.
 */
class HeldRecoveredMessagesTest {
  private static final String QUEUE = "orders";

  @TempDir Path dataDir;

  private BrokerEngine start(Collection<StoredMessageId> hold) {
    return BrokerEngine.start(
        BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0).withDataDir(dataDir),
        hold);
  }

  private static Connection client(BrokerEngine engine) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(engine.amqpPort());
    return factory.newConnection("held-test");
  }

  private static void publish(BrokerEngine engine, String body, boolean persistent)
      throws Exception {
    try (Connection client = client(engine);
        Channel channel = client.createChannel()) {
      channel.basicPublish(
          "",
          QUEUE,
          persistent ? MessageProperties.PERSISTENT_BASIC : MessageProperties.BASIC,
          body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> drain(BrokerEngine engine) throws Exception {
    try (Connection client = client(engine);
        Channel channel = client.createChannel()) {
      List<String> bodies = new ArrayList<>();
      GetResponse response;
      while ((response = channel.basicGet(QUEUE, true)) != null) {
        bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
      }
      return bodies;
    }
  }

  /** Delivers "held" in-VM, unacknowledged, and returns its stored id; then the broker stops. */
  private StoredMessageId deliveredThenStopped() throws Exception {
    try (BrokerEngine engine = start(List.of())) {
      BrokerConnection connection = engine.broker().connect("/", "guest", "test");
      RecordingListener listener = new RecordingListener();
      BrokerChannel channel = connection.openChannel(listener);
      channel.declareQueue(new QueueDeclaration(QUEUE, true, false, false, null));
      publish(engine, "held", true);
      publish(engine, "transient", false);
      channel.consume(QUEUE, "", false, false, null);
      Delivery held = listener.deliveries.poll(10, TimeUnit.SECONDS);
      Delivery transientOne = listener.deliveries.poll(10, TimeUnit.SECONDS);
      assertNotNull(transientOne);

      Optional<StoredMessageId> id = channel.storedId(held.deliveryTag());
      assertEquals(Optional.empty(), channel.storedId(transientOne.deliveryTag()));
      assertEquals(Optional.empty(), channel.storedId(9_999), "not an outstanding tag");
      assertTrue(id.isPresent());
      assertEquals("/", id.get().virtualHost());
      assertEquals(QUEUE, id.get().queue());
      channel.awaitStored();
      publish(engine, "free", true);
      channel.awaitStored();
      return id.get();
    }
  }

  @Test
  void aHeldMessageReachesNoConsumerUntilItIsAcknowledgedForGood() throws Exception {
    StoredMessageId id = deliveredThenStopped();

    try (BrokerEngine engine = start(List.of(id))) {
      List<HeldMessage> held = engine.broker().heldMessages();
      assertEquals(1, held.size());
      assertEquals(id, held.get(0).id());
      assertEquals("held", new String(held.get(0).body(), StandardCharsets.UTF_8));
      assertEquals(List.of("free"), drain(engine), "basic.get never sees the held message");

      engine.broker().acknowledgeHeld(id);
      assertEquals(List.of(), engine.broker().heldMessages());
    }
    try (BrokerEngine engine = start(List.of(id))) {
      assertEquals(List.of(), engine.broker().heldMessages(), "the ack was on disk");
      assertEquals(List.of(), drain(engine));
    }
  }

  @Test
  void aMessageNotNamedAgainComesBackAsUsual() throws Exception {
    StoredMessageId id = deliveredThenStopped();

    try (BrokerEngine engine = start(List.of(id))) {
      assertEquals(1, engine.broker().heldMessages().size());
    }
    try (BrokerEngine engine = start(List.of())) {
      assertEquals(List.of(), engine.broker().heldMessages());
      assertEquals(List.of("held", "free"), drain(engine), "never acknowledged, so recovered");
    }
  }

  @Test
  void anIdWhoseMessageIsNotRecoveredHoldsNothing() throws Exception {
    StoredMessageId id = deliveredThenStopped();
    StoredMessageId missing = new StoredMessageId("/", "no-such-queue", id.storeId());
    StoredMessageId otherId = new StoredMessageId("/", QUEUE, id.storeId() + 1_000);

    try (BrokerEngine engine = start(List.of(missing, otherId))) {
      assertEquals(List.of(), engine.broker().heldMessages());
      engine.broker().acknowledgeHeld(missing); // nothing held: nothing happens
      assertEquals(List.of("held", "free"), drain(engine));

      RecordingListener listener = new RecordingListener();
      BrokerChannel channel = engine.broker().connect("/", "guest", "test").openChannel(listener);
      publish(engine, "new", true);
      channel.consume(QUEUE, "", false, false, null);
      Delivery fresh = listener.deliveries.poll(10, TimeUnit.SECONDS);
      assertTrue(
          channel.storedId(fresh.deliveryTag()).orElseThrow().storeId() > otherId.storeId(),
          "no new message takes an id the run was asked to hold");
    }
  }
}
