package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged store files: the broker starts, says what it found, and serves everything intact. */
class CorruptionTest {
  private static final int MESSAGES = 10;
  private static final int BODY_BYTES = 1000;

  @TempDir Path dataDir;

  private final List<String> warnings = new ArrayList<>();
  private final Logger storeLogger = Logger.getLogger("dev.warren.broker.store");
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (warnings) {
            warnings.add(
                new java.util.logging.SimpleFormatter().formatMessage(record)
                    + " ["
                    + record.getLoggerName()
                    + "]");
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void recordStoreWarnings() {
    storeLogger.addHandler(recorder);
  }

  @AfterEach
  void stopRecording() {
    storeLogger.removeHandler(recorder);
  }

  @Test
  void aTornLastRecordIsCutOffAndEverythingBeforeItIsServed() throws Exception {
    publishNumberedMessages();
    Path segment = onlySegment();
    long size = Files.size(segment);
    try (var channel =
        java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(size - BODY_BYTES / 2); // the crash hit the middle of the last record
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(numbers(0, MESSAGES - 1), bodies(broker.drain("numbered")));
      assertTrue(logged("torn tail"), warnings.toString());
      // The store keeps working after the repair.
      broker.channel().basicPublish("", "numbered", MessageProperties.PERSISTENT_BASIC, body(42));
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      assertEquals(List.of(42), bodies(broker.drain("numbered")));
    }
  }

  @Test
  void aDamagedRecordInTheMiddleIsSkippedWithItsLocationLogged() throws Exception {
    publishNumberedMessages();
    Path segment = onlySegment();
    byte[] data = Files.readAllBytes(segment);
    int recordBytes = data.length / MESSAGES;
    int damaged = 4;
    for (int i = 0; i < 8; i++) {
      data[damaged * recordBytes + recordBytes / 2 + i] ^= (byte) 0xFF;
    }
    Files.write(segment, data);
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      List<Integer> expected = new ArrayList<>(numbers(0, MESSAGES));
      expected.remove(Integer.valueOf(damaged));
      assertEquals(expected, bodies(broker.drain("numbered")));
      assertTrue(logged("damaged bytes at offset " + damaged * recordBytes), warnings.toString());
    }
  }

  @Test
  void aDeletedAckFileBringsAckedMessagesBackButLosesNothing() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("numbered", true, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "numbered", MessageProperties.PERSISTENT_BASIC, body(i));
      }
      // on disk before any is acked: a message acked before its write is never written at all
      channel.waitForConfirmsOrDie(10_000);
      for (int i = 0; i < MESSAGES / 2; i++) {
        GetResponse response = channel.basicGet("numbered", false);
        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
      }
    }
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      for (Path ack : files.filter(f -> f.toString().endsWith(".ack")).toList()) {
        Files.delete(ack);
      }
    }
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      List<GetResponse> back = broker.drain("numbered");
      // At least once: the acks are lost, so the acked messages are delivered again, redelivered.
      assertEquals(numbers(0, MESSAGES), bodies(back));
      assertTrue(back.stream().allMatch(r -> r.getEnvelope().isRedeliver()));
    }
  }

  @Test
  void aDamagedTopologyRecordLosesOnlyThatDeclaration() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("first", true, false, false, null);
      channel.queueDeclare("second-with-a-longer-name", true, false, false, null);
      channel.queueDeclare("third", true, false, false, null);
    }
    Path log = dataDir.resolve("topology.log");
    byte[] data = Files.readAllBytes(log);
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int inSecond = text.indexOf("second-with");
    data[inSecond + 3] ^= 0x20;
    Files.write(log, data);
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclarePassive("first");
      channel.queueDeclarePassive("third");
      assertTrue(logged("damaged bytes"), warnings.toString());
    }
  }

  private void publishNumberedMessages() throws Exception {
    try (StoredBroker broker = StoredBroker.start(dataDir)) {
      Channel channel = broker.channel();
      channel.queueDeclare("numbered", true, false, false, null);
      channel.confirmSelect();
      for (int i = 0; i < MESSAGES; i++) {
        channel.basicPublish("", "numbered", MessageProperties.PERSISTENT_BASIC, body(i));
      }
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  /** A body of BODY_BYTES whose first four bytes are the number. */
  private static byte[] body(int number) {
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) 'x');
    java.nio.ByteBuffer.wrap(body).putInt(number);
    return body;
  }

  private static List<Integer> bodies(List<GetResponse> responses) {
    return responses.stream().map(r -> java.nio.ByteBuffer.wrap(r.getBody()).getInt()).toList();
  }

  private static List<Integer> numbers(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  private Path onlySegment() throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      List<Path> segments = files.filter(f -> f.toString().endsWith(".seg")).toList();
      assertEquals(1, segments.size(), segments.toString());
      return segments.get(0);
    }
  }

  private boolean logged(String text) {
    synchronized (warnings) {
      return warnings.stream().anyMatch(w -> w.contains(text));
    }
  }
}
