package dev.warren.it.crash.app;

import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Enlists a {@link KillingXAResource} in the current transaction. Enlisting needs the transaction
 * manager, which each server binds under its own name.
 */
final class KillSwitch {
  private static final String[] TRANSACTION_MANAGER_NAMES = {
    "java:/TransactionManager", "java:appserver/TransactionManager"
  };

  /**
   * Directory of the kill markers: this system property of the server under test, else kill-markers
   * in Payara's instance directory.
   */
  static final String MARKERS_PROPERTY = "warren.crash.markers";

  private KillSwitch() {}

  static void enlist(KillingXAResource.Phase phase, String id) {
    String markers = System.getProperty(MARKERS_PROPERTY);
    Path marker =
        markers != null
            ? Path.of(markers, id)
            : Path.of(System.getProperty("com.sun.aas.instanceRoot"), "kill-markers", id);
    try {
      transactionManager().getTransaction().enlistResource(new KillingXAResource(phase, marker));
    } catch (Exception e) {
      throw new IllegalStateException("cannot enlist the killing resource", e);
    }
  }

  private static TransactionManager transactionManager() throws NamingException {
    InitialContext context = new InitialContext();
    for (String name : TRANSACTION_MANAGER_NAMES) {
      try {
        return (TransactionManager) context.lookup(name);
      } catch (NamingException e) {
        // try the next server's name
      }
    }
    throw new NamingException(
        "no TransactionManager under " + String.join(", ", TRANSACTION_MANAGER_NAMES));
  }
}
