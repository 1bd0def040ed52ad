package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.warren.broker.it.extensions.DeathScenarios;
import dev.warren.broker.protocol.FieldTableSamples;
import dev.warren.broker.server.RawAmqpSocket.Args;
import dev.warren.broker.server.RawAmqpSocket.RawFrame;
import dev.warren.broker.testsupport.RabbitMqNode;
import dev.warren.broker.testsupport.TestBroker;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same sessions against Warren and a RabbitMQ node (Debian's 3.10.8), for what issue 10 found
 * clients tripping over. Where 3.10 and the 4.0 Warren implements differ, the test says so and
 * checks Warren against 4.0's behaviour instead.
 */
class RabbitMqDifferentialTest {
  private static TestBroker warren;
  private static RabbitMqNode rabbit;

  @BeforeAll
  static void startBothBrokers() {
    rabbit = RabbitMqNode.start();
    warren = TestBroker.start();
  }

  @AfterAll
  static void stopBothBrokers() {
    if (warren != null) {
      warren.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
  }

  /**
   * Every header keeps its type tag and octets. RabbitMQ 3.10 passes the encoded properties on
   * untouched; 4.0 decodes and re-encodes them, which turns {@code L} into {@code l}, as Warren
   * does.
   */
  @Test
  void headerValuesComeBackWithTheTypesTheyWereSentWith() throws IOException {
    Map<String, String> sent = entries(FieldTableSamples.everyType());
    byte[] timestamp = longOctets(0x179A3F2B1C000000L); // nanoseconds since the epoch

    Delivered fromWarren = publishAndGet(warren.port(), timestamp);
    Delivered fromRabbit = publishAndGet(rabbit.amqpPort(), timestamp);

    Map<String, String> asRabbitMq40 = new LinkedHashMap<>(sent);
    asRabbitMq40.put("L", "6c" + sent.get("L").substring(2)); // 'L' becomes 'l'
    assertEquals(asRabbitMq40, fromWarren.headers());
    assertEquals(sent, fromRabbit.headers(), "the reference passes headers through");
    assertEquals(HexFormat.of().formatHex(timestamp), fromWarren.timestamp());
    assertEquals(fromRabbit.timestamp(), fromWarren.timestamp());
  }

  @Test
  void aChannelCloseCrossingTheBrokersIsHandledAlike() throws IOException {
    for (int port : ports()) {
      try (RawAmqpSocket client = RawAmqpSocket.connect(port).openWithChannel(0, 131072)) {
        client.sendMethod(1, 50, 10, new Args().shortInt(0).shortString(unique()).octet(1).table());
        client.sendMethod(1, 20, 40, new Args().shortInt(200).shortString("bye").longInt(0));

        assertEquals(404, client.expectChannelClose(1).replyCode(), label(port));
        client.expectMethod(20, 41);
        client.sendMethod(1, 20, 41, new Args());
        client.sendMethod(1, 20, 10, new Args().shortString(""));
        assertEquals(1, client.expectMethod(20, 11).channel(), label(port));
        client.sendMethod(1, 50, 10, new Args().shortInt(0).shortString("").octet(4).table());
        client.expectMethod(50, 11);
      }
      try (RawAmqpSocket client = RawAmqpSocket.connect(port).openWithChannel(0, 131072)) {
        client.sendMethod(1, 50, 10, new Args().shortInt(0).shortString(unique()).octet(1).table());
        client.sendMethod(1, 20, 40, new Args().shortInt(200).shortString("bye").longInt(0));
        client.expectChannelClose(1);
        client.expectMethod(20, 41);
        client.sendMethod(1, 20, 10, new Args().shortString("")); // before the close-ok

        RawAmqpSocket.Close close = client.expectConnectionClose();
        assertEquals(504, close.replyCode(), label(port));
        assertEquals("CHANNEL_ERROR - second 'channel.open' seen", close.replyText(), label(port));
      }
    }
  }

  @Test
  void aSecondConnectionCloseGetsASecondCloseOk() throws IOException {
    for (int port : ports()) {
      try (RawAmqpSocket client = RawAmqpSocket.connect(port).openWithChannel(0, 131072)) {
        Args close = new Args().shortInt(200).shortString("bye").shortInt(0).shortInt(0);
        client.sendMethod(0, 10, 50, close);
        client.sendMethod(0, 10, 50, close);

        client.expectMethod(10, 51);
        client.expectMethod(10, 51);
        assertFalse(client.closedWithin(Duration.ofMillis(300)), label(port));
      }
    }
  }

  @Test
  void aPublishSentAsAContentHeaderIsAnUnexpectedFrame() throws IOException {
    for (int port : ports()) {
      try (RawAmqpSocket client = RawAmqpSocket.connect(port).openWithChannel(0, 131072)) {
        Args publish = new Args().shortInt(0).shortString("").shortString("routing key").octet(0);
        client.sendFrame(
            RawAmqpSocket.HEADER, 1, new Args().shortInt(60).shortInt(40).bytes(publish));

        assertEquals(505, client.expectConnectionClose().replyCode(), label(port));
      }
    }
  }

  @Test
  void aStartOkLargerThanTheMinimumFrameSizeGetsNoTune() throws IOException {
    for (int port : ports()) {
      try (RawAmqpSocket client = RawAmqpSocket.connect(port)) {
        client.send(RawAmqpSocket.PROTOCOL_HEADER);
        client.expectMethod(10, 10);
        Args padding = new Args().shortString("x").octet('S').longString("p".repeat(4200));
        byte[] table = padding.bytes();
        client.sendMethod(
            0,
            10,
            11,
            new Args()
                .longInt(table.length)
                .raw(table)
                .shortString("PLAIN")
                .longString("\0guest\0guest")
                .shortString("en_US"));

        RawFrame frame;
        try {
          frame = client.readFrame();
        } catch (SocketException reset) {
          continue; // closed without a word, which is what RabbitMQ does
        }
        assertTrue(frame == null || frame.isMethod(10, 50), () -> label(port) + ": no tune");
        assertTrue(client.closedWithin(Duration.ofSeconds(10)), label(port));
      }
    }
  }

  /** The Java client's XDeathHeaderGrowth: the same history in 3.10 and 4.0. */
  @Test
  void theDeathHistoryCountsTheSameWay() throws Exception {
    String prefix = unique();
    List<String> fromWarren = deathHistory(warren.port(), prefix);
    List<String> fromRabbit = deathHistory(rabbit.amqpPort(), prefix);

    assertEquals(fromRabbit, fromWarren);
    assertEquals(4, fromWarren.size(), fromWarren::toString);
  }

  @Test
  void directReplyToNamesAnswerPassiveDeclaresAlike() throws Exception {
    for (int port : ports()) {
      try (Connection connection = factory(port).newConnection()) {
        Channel channel = connection.createChannel();
        AMQP.Queue.DeclareOk bare = channel.queueDeclarePassive("amq.rabbitmq.reply-to");
        assertEquals(0, bare.getMessageCount(), label(port));
        assertEquals(1, bare.getConsumerCount(), label(port));

        Channel stale = connection.createChannel();
        try {
          stale.queueDeclarePassive("amq.rabbitmq.reply-to.no-such-token");
        } catch (IOException e) {
          ShutdownSignalException close = (ShutdownSignalException) e.getCause();
          assertEquals(404, ((AMQP.Channel.Close) close.getReason()).getReplyCode(), label(port));
          continue;
        }
        throw new AssertionError(label(port) + ": a stale reply address was found");
      }
    }
  }

  @Test
  void ccAndBccKeysAreMatchedTogetherAtEveryExchangeHop() throws Exception {
    for (int port : ports()) {
      try (Connection connection = factory(port).newConnection()) {
        Channel channel = connection.createChannel();
        String first = unique();
        String second = unique();
        channel.exchangeDeclare(first, "direct", false, true, null);
        channel.exchangeDeclare(second, "topic", false, true, null);
        channel.exchangeBind(second, first, "to-second");
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, second, "to-queue");
        Map<String, Object> headers =
            Map.of("CC", List.of("to-second"), "BCC", List.of("to-queue"));
        channel.confirmSelect();
        channel.basicPublish(
            first, "", new AMQP.BasicProperties.Builder().headers(headers).build(), new byte[0]);
        channel.waitForConfirmsOrDie(5_000);

        GetResponse response = channel.basicGet(queue, true);
        assertTrue(response != null, label(port) + ": routed over both hops");
      }
    }
  }

  // --- sessions

  private record Delivered(Map<String, String> headers, String timestamp) {}

  /**
   * Publishes a message with {@link FieldTableSamples#everyType} and the given timestamp over a raw
   * socket, takes it back with basic.get and returns its headers and timestamp as octets.
   */
  private static Delivered publishAndGet(int port, byte[] timestamp) throws IOException {
    try (RawAmqpSocket client = RawAmqpSocket.connect(port).openWithChannel(0, 131072)) {
      String queue = unique();
      client.sendMethod(1, 50, 10, new Args().shortInt(0).shortString(queue).octet(4).table());
      client.expectMethod(50, 11);
      client.sendMethod(
          1, 60, 40, new Args().shortInt(0).shortString("").shortString(queue).octet(0));
      int flags = (1 << 13) | (1 << 6); // headers, timestamp
      byte[] header =
          new Args()
              .shortInt(60)
              .shortInt(0)
              .longLong(1)
              .shortInt(flags)
              .raw(FieldTableSamples.everyType())
              .raw(timestamp)
              .bytes();
      client.sendFrame(RawAmqpSocket.HEADER, 1, header);
      client.sendFrame(RawAmqpSocket.BODY, 1, new byte[] {'x'});
      client.sendMethod(1, 60, 70, new Args().shortInt(0).shortString(queue).octet(1));
      client.expectMethod(60, 71);
      RawFrame received = client.readFrame();
      assertEquals(RawAmqpSocket.HEADER, received.type());
      ByteBuffer properties = ByteBuffer.wrap(received.payload()).position(12);
      assertEquals(flags, properties.getShort() & 0xFFFF);
      byte[] table = new byte[4 + properties.getInt(properties.position())];
      properties.get(table);
      byte[] stamp = new byte[8];
      properties.get(stamp);
      return new Delivered(entries(table), HexFormat.of().formatHex(stamp));
    }
  }

  /** The Java client's XDeathHeaderGrowth session: "queue reason count", sorted. */
  private static List<String> deathHistory(int port, String prefix) throws Exception {
    try (Connection connection = factory(port).newConnection()) {
      List<String> history = new ArrayList<>();
      for (Map<String, Object> death :
          DeathScenarios.threeHopsThenNineRejects(connection, prefix, Duration.ofSeconds(15))) {
        history.add(death.get("queue") + " " + death.get("reason") + " " + death.get("count"));
      }
      history.sort(null);
      return history;
    }
  }

  // --- field tables by hand

  /** A table's entries: name to type tag and value octets, in hex, in wire order. */
  private static Map<String, String> entries(byte[] table) {
    ByteBuffer in = ByteBuffer.wrap(table);
    int end = 4 + in.getInt();
    Map<String, String> entries = new LinkedHashMap<>();
    while (in.position() < end) {
      byte[] name = new byte[in.get() & 0xFF];
      in.get(name);
      int start = in.position();
      skipValue(in);
      byte[] value = new byte[in.position() - start];
      in.get(start, value);
      entries.put(new String(name, java.nio.charset.StandardCharsets.UTF_8), hex(value));
    }
    return entries;
  }

  private static void skipValue(ByteBuffer in) {
    char type = (char) in.get();
    switch (type) {
      case 't', 'b', 'B' -> in.position(in.position() + 1);
      case 's', 'u' -> in.position(in.position() + 2);
      case 'I', 'i', 'f' -> in.position(in.position() + 4);
      case 'l', 'L', 'd', 'T' -> in.position(in.position() + 8);
      case 'D' -> in.position(in.position() + 5);
      case 'S', 'A', 'F', 'x' -> in.position(in.position() + 4 + in.getInt(in.position()));
      case 'V' -> {}
      default -> throw new AssertionError("unknown field type " + type);
    }
  }

  private static String hex(byte[] octets) {
    return HexFormat.of().formatHex(octets);
  }

  private static byte[] longOctets(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  // --- plumbing

  private static int[] ports() {
    return new int[] {warren.port(), rabbit.amqpPort()};
  }

  private static String label(int port) {
    return port == warren.port() ? "Warren" : "RabbitMQ " + port;
  }

  private static String unique() {
    return "warren-diff-" + UUID.randomUUID();
  }

  private static ConnectionFactory factory(int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(TestBroker.HOST);
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    return factory;
  }
}
