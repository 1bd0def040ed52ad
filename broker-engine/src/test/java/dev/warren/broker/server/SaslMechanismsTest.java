package dev.warren.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import dev.warren.broker.server.RawAmqpSocket.Args;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

  @Test
  void plainResponseYieldsUserAndPassword() {
    SaslMechanisms.Credentials credentials =
        SaslMechanisms.parse("PLAIN", "\0alice\0s3cret".getBytes(StandardCharsets.UTF_8));

    assertEquals(new SaslMechanisms.Credentials("alice", "s3cret"), credentials);
  }

  @Test
  void amqplainResponseIsATableWithoutLengthPrefix() {
    byte[] response =
        new Args()
            .shortString("LOGIN")
            .octet('S')
            .longString("bob")
            .shortString("PASSWORD")
            .octet('S')
            .longString("pw")
            .bytes();

    assertEquals(
        new SaslMechanisms.Credentials("bob", "pw"), SaslMechanisms.parse("AMQPLAIN", response));
  }

  @Test
  void anonymousIsGuestWithItsDefaultPasswordWhateverTheResponse() {
    assertEquals(
        new SaslMechanisms.Credentials("guest", "guest"),
        SaslMechanisms.parse("ANONYMOUS", "trace".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void unknownMechanismIsCommandInvalidLikeRabbitMq() {
    BrokerException e =
        assertThrows(BrokerException.class, () -> SaslMechanisms.parse("EXTERNAL", new byte[0]));

    assertEquals(ReplyCode.COMMAND_INVALID, e.replyCode());
    assertEquals("unknown authentication mechanism 'EXTERNAL'", e.getMessage());
  }

  @Test
  void malformedResponsesAreSyntaxErrors() {
    byte[] truncatedTable = new Args().shortString("LOGIN").octet('S').longInt(99).bytes();

    assertEquals(
        ReplyCode.SYNTAX_ERROR,
        assertThrows(BrokerException.class, () -> SaslMechanisms.parse("PLAIN", new byte[] {1}))
            .replyCode());
    assertEquals(
        ReplyCode.SYNTAX_ERROR,
        assertThrows(BrokerException.class, () -> SaslMechanisms.parse("AMQPLAIN", truncatedTable))
            .replyCode());
  }

  @Test
  void credentialsNeverPrintTheirPassword() {
    assertFalse(new SaslMechanisms.Credentials("u", "hunter2").toString().contains("hunter2"));
  }
}
