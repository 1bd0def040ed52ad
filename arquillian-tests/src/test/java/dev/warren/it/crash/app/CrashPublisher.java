package dev.warren.it.crash.app;

import dev.warren.rar.api.AmqpConnection;
import dev.warren.rar.api.AmqpConnectionFactory;
import dev.warren.rar.api.MessageProperties;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import java.nio.charset.StandardCharsets;

/**
 * The outbound transaction: a row and a persistent publish in one XA transaction, with the killing
 * resource enlisted before, between or after them (the transaction manager prepares and commits its
 * branches in the order they were enlisted).
 */
@Stateless
public class CrashPublisher {
  public static final String QUEUE = "crash.outbound";

  /** Where the killing resource goes and in which phase it kills. */
  public enum KillPoint {
    FIRST_IN_COMMIT,
    MIDDLE_IN_COMMIT,
    LAST_IN_COMMIT,
    LAST_IN_PREPARE,
    NONE
  }

  @Resource(name = "warren/ConnectionFactory")
  AmqpConnectionFactory connectionFactory;

  @EJB CrashLedger ledger;

  public void insertAndPublish(String id, KillPoint kill) {
    if (kill == KillPoint.FIRST_IN_COMMIT) {
      KillSwitch.enlist(KillingXAResource.Phase.COMMIT, id);
    }
    ledger.insert("crash_outbound", id);
    if (kill == KillPoint.MIDDLE_IN_COMMIT) {
      KillSwitch.enlist(KillingXAResource.Phase.COMMIT, id);
    }
    try (AmqpConnection connection = connectionFactory.getConnection()) {
      connection.declareQueue(QUEUE, true, false, false, null);
      connection.publish(
          "",
          QUEUE,
          MessageProperties.builder().persistent().build(),
          id.getBytes(StandardCharsets.UTF_8));
    }
    if (kill == KillPoint.LAST_IN_COMMIT) {
      KillSwitch.enlist(KillingXAResource.Phase.COMMIT, id);
    } else if (kill == KillPoint.LAST_IN_PREPARE) {
      KillSwitch.enlist(KillingXAResource.Phase.PREPARE, id);
    }
  }
}
