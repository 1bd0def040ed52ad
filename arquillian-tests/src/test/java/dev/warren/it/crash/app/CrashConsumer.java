package dev.warren.it.crash.app;

import dev.warren.rar.api.AmqpMessage;
import dev.warren.rar.api.AmqpMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/**
 * The inbound transaction: the container's transaction acknowledges the message and inserts its
 * row. A message with the header {@code x-kill} (PREPARE or COMMIT) enlists the killing resource
 * after both, so the server dies once their branches are prepared.
 */
@MessageDriven(
    activationConfig = {
      @ActivationConfigProperty(propertyName = "queue", propertyValue = CrashConsumer.QUEUE),
      @ActivationConfigProperty(propertyName = "maxDeliveries", propertyValue = "100")
    })
public class CrashConsumer implements AmqpMessageListener {
  public static final String QUEUE = "crash.inbound";
  public static final String KILL_HEADER = "x-kill";

  @EJB CrashLedger ledger;

  @Override
  public void onMessage(AmqpMessage message) {
    String id = message.bodyAsString();
    ledger.insert("crash_inbound", id);
    Object kill = message.headers().get(KILL_HEADER);
    if (kill != null) {
      KillSwitch.enlist(KillingXAResource.Phase.valueOf(kill.toString()), id);
    }
  }
}
