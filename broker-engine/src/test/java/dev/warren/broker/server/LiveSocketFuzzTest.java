package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import dev.warren.broker.server.RawAmqpSocket.Args;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against a live broker: attacker threads open connection after connection and send
 * broken, mutated or random frames, while a well-behaved client publishes with confirms and
 * consumes on the side. The broker must stay up with a bounded heap, close each broken connection
 * with the reply code RabbitMQ uses for that breakage, and the good client must lose nothing.
 * Bounded in time ({@link #ATTACK_TIME}) and in attempts per thread.
 */
class LiveSocketFuzzTest {
  private static final System.Logger LOG = System.getLogger(LiveSocketFuzzTest.class.getName());
  private static final Duration ATTACK_TIME = Duration.ofSeconds(10);
  private static final int ATTACKERS = 6;
  private static final int MAX_ATTEMPTS_PER_ATTACKER = 400;
  private static final int GOOD_MESSAGES_MAX = 50_000;
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  private static final long HEAP_GROWTH_LIMIT = 96L * 1024 * 1024;

  /**
   * An attack and the connection.close code RabbitMQ sends for it; 0 where no particular answer is
   * due (the socket ends, or the broker waits for more input).
   */
  enum Attack {
    BAD_FRAME_END(501),
    UNKNOWN_FRAME_TYPE(501),
    FRAME_LARGER_THAN_FRAME_MAX(501),
    UNKNOWN_METHOD(540),
    TRUNCATED_ARGUMENTS(501),
    SHORT_STRING_NOT_UTF8(501),
    HEARTBEAT_ON_A_CHANNEL(505),
    BODY_WITHOUT_PUBLISH(505),
    HUGE_BODY_CLAIMED_THEN_ABANDONED(0),
    GARBAGE_INSTEAD_OF_PROTOCOL_HEADER(0),
    MUTATED_FRAMES(0),
    RANDOM_BYTES(0);

    final int expectedCode;

    Attack(int expectedCode) {
      this.expectedCode = expectedCode;
    }
  }

  @Test
  void hostileConnectionsAreClosedWithTheRightCodeWhileAGoodClientLosesNothing() throws Exception {
    try (TestBroker broker = TestBroker.start()) {
      long heapBefore = usedHeapAfterGc();
      ExecutorService threads = Executors.newFixedThreadPool(ATTACKERS + 1);
      Map<Attack, AtomicInteger> attempts = new ConcurrentHashMap<>();
      List<String> wrongAnswers = new ArrayList<>();
      long deadline = System.nanoTime() + ATTACK_TIME.toNanos();
      try {
        Future<GoodClientResult> good = threads.submit(() -> goodClient(broker.port(), deadline));
        List<Future<?>> attackers = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
          long seed = 1000L + i;
          attackers.add(
              threads.submit(
                  () -> attack(broker.port(), new Random(seed), deadline, attempts, wrongAnswers)));
        }
        for (Future<?> attacker : attackers) {
          attacker.get(ATTACK_TIME.toSeconds() + 120, TimeUnit.SECONDS);
        }
        GoodClientResult result = good.get(120, TimeUnit.SECONDS);

        assertEquals(result.published(), result.received().size(), "the good client lost messages");
        LOG.log(
            System.Logger.Level.INFO,
            () -> "live fuzz: the good client published and received " + result.published());
      } finally {
        threads.shutdownNow();
      }
      LOG.log(
          System.Logger.Level.INFO,
          () -> "live fuzz: attempts per attack " + attempts + ", wrong answers " + wrongAnswers);
      synchronized (wrongAnswers) {
        assertTrue(wrongAnswers.isEmpty(), String.join("\n", wrongAnswers));
      }
      assertTrue(
          attempts.values().stream().mapToInt(AtomicInteger::get).sum() >= Attack.values().length,
          "every attack ran at least once: " + attempts);
      long growth = usedHeapAfterGc() - heapBefore;
      assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " octets");
      // still serving new clients
      try (Connection connection = factory(broker.port()).newConnection()) {
        connection.createChannel().queueDeclare();
      }
    }
  }

  private static void attack(
      int port,
      Random random,
      long deadline,
      Map<Attack, AtomicInteger> attempts,
      List<String> wrongAnswers) {
    Attack[] all = Attack.values();
    for (int i = 0; i < MAX_ATTEMPTS_PER_ATTACKER && System.nanoTime() < deadline; i++) {
      Attack attack = all[(i + random.nextInt(all.length)) % all.length];
      attempts.computeIfAbsent(attack, a -> new AtomicInteger()).incrementAndGet();
      try (RawAmqpSocket socket = RawAmqpSocket.connect(port)) {
        String wrong = run(attack, socket, random);
        if (wrong != null) {
          synchronized (wrongAnswers) {
            wrongAnswers.add(attack + ": " + wrong);
          }
        }
      } catch (IOException | AssertionError e) {
        synchronized (wrongAnswers) {
          wrongAnswers.add(attack + ": " + e);
        }
      }
    }
  }

  /** Returns what was wrong with the broker's answer, or null. */
  private static String run(Attack attack, RawAmqpSocket socket, Random random) throws IOException {
    if (attack == Attack.GARBAGE_INSTEAD_OF_PROTOCOL_HEADER) {
      byte[] garbage = new byte[8 + random.nextInt(64)];
      random.nextBytes(garbage);
      garbage[0] = 'G'; // never a valid AMQP header by accident
      socket.send(garbage);
      return socket.closedWithin(ANSWER_TIMEOUT) ? null : "socket left open";
    }
    socket.openWithChannel(0, 131072);
    switch (attack) {
      case BAD_FRAME_END -> socket.send(RawAmqpSocket.frame(8, 0, new byte[0], 0xCD));
      case UNKNOWN_FRAME_TYPE -> socket.send(RawAmqpSocket.frame(7, 1, new byte[4], 0xCE));
      case FRAME_LARGER_THAN_FRAME_MAX ->
          socket.send(new byte[] {3, 0, 1, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
      case UNKNOWN_METHOD -> socket.sendMethod(1, 999, 1, new Args());
      case TRUNCATED_ARGUMENTS -> socket.sendMethod(1, 50, 10, new Args().shortInt(0).octet(40));
      case SHORT_STRING_NOT_UTF8 -> {
        // basic.consume whose consumer tag is 200 octets of 0xC8, which is not UTF-8
        byte[] tag = new byte[200];
        Arrays.fill(tag, (byte) 0xC8);
        byte[] head = new Args().shortInt(60).shortInt(20).shortInt(0).shortString("q").bytes();
        byte[] tail = new Args().octet(0).table().bytes();
        socket.sendFrame(
            RawAmqpSocket.METHOD, 1, concat(head, new byte[] {(byte) tag.length}, tag, tail));
      }
      case HEARTBEAT_ON_A_CHANNEL -> socket.sendFrame(RawAmqpSocket.HEARTBEAT, 1, new byte[0]);
      case BODY_WITHOUT_PUBLISH -> socket.sendFrame(RawAmqpSocket.BODY, 1, new byte[10]);
      case HUGE_BODY_CLAIMED_THEN_ABANDONED -> {
        socket.sendMethod(
            1, 60, 40, new Args().shortInt(0).shortString("").shortString("q").octet(0));
        // content header: class 60, weight 0, body size 100 MiB, no properties
        socket.sendFrame(
            RawAmqpSocket.HEADER,
            1,
            new Args().shortInt(60).shortInt(0).longLong(100L << 20).shortInt(0).bytes());
        socket.sendFrame(RawAmqpSocket.BODY, 1, new byte[1000]);
        return null; // the broker waits for the rest; closing the socket must free it all
      }
      case MUTATED_FRAMES, RANDOM_BYTES -> {
        socket.send(attack == Attack.RANDOM_BYTES ? randomBytes(random) : mutated(random));
        // Closed, or still open: a mutation may be valid, or claim a payload still to come.
        // Either way the broker must go on serving everyone else.
        socket.closedWithin(Duration.ofMillis(500));
        return null;
      }
      default -> throw new IllegalStateException("unhandled " + attack);
    }
    RawAmqpSocket.Close close = socket.expectConnectionClose();
    if (close.replyCode() != attack.expectedCode) {
      return "expected " + attack.expectedCode + " but got " + close;
    }
    return null;
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A valid queue.declare, publish and content, with a few octets changed. */
  private static byte[] mutated(Random random) {
    byte[] declare =
        RawAmqpSocket.frame(
            1,
            1,
            new Args()
                .shortInt(50)
                .shortInt(10)
                .bytes(new Args().shortInt(0).shortString("fuzz-q").octet(0).table()),
            0xCE);
    byte[] publish =
        RawAmqpSocket.frame(
            1,
            1,
            new Args()
                .shortInt(60)
                .shortInt(40)
                .bytes(new Args().shortInt(0).shortString("").shortString("fuzz-q").octet(0)),
            0xCE);
    byte[] header =
        RawAmqpSocket.frame(
            2, 1, new Args().shortInt(60).shortInt(0).longLong(3).shortInt(0).bytes(), 0xCE);
    byte[] body = RawAmqpSocket.frame(3, 1, "abc".getBytes(StandardCharsets.UTF_8), 0xCE);
    byte[] all = concat(declare, publish, header, body);
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      all[random.nextInt(all.length)] = (byte) random.nextInt(256);
    }
    return all;
  }

  private static byte[] concat(byte[]... parts) {
    int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  record GoodClientResult(int published, Set<Integer> received) {}

  /**
   * Publishes with confirms until the attack ends, and consumes with acks; returns how many it
   * published and which message numbers it received.
   */
  private static GoodClientResult goodClient(int port, long attackDeadline) throws Exception {
    Set<Integer> received = ConcurrentHashMap.newKeySet();
    try (Connection connection = factory(port).newConnection()) {
      Channel consumer = connection.createChannel();
      String queue = consumer.queueDeclare().getQueue();
      consumer.basicQos(100);
      DeliverCallback onDelivery =
          (tag, delivery) -> {
            received.add(Integer.parseInt(new String(delivery.getBody(), StandardCharsets.UTF_8)));
            consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
          };
      consumer.basicConsume(queue, false, onDelivery, tag -> {});
      Channel publisher = connection.createChannel();
      publisher.confirmSelect();
      int published = 0;
      for (int i = 0; i < GOOD_MESSAGES_MAX && System.nanoTime() < attackDeadline; i++) {
        publisher.basicPublish(
            "",
            queue,
            new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
            Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        published++;
        if (i % 100 == 99) {
          publisher.waitForConfirmsOrDie(ANSWER_TIMEOUT.toMillis());
        }
      }
      publisher.waitForConfirmsOrDie(ANSWER_TIMEOUT.toMillis());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < published && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return new GoodClientResult(published, Set.copyOf(received));
    }
  }

  private static ConnectionFactory factory(int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    factory.setChannelRpcTimeout(10_000);
    return factory;
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
