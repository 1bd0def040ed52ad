package dev.warren.it;

import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Picks WildFly's port offset before Arquillian reads arquillian.xml, so that parallel builds on
 * one machine never share a port: WildFly shifts every socket binding by the offset, and some
 * bindings (transactions, IIOP) cannot be set one by one. The offset is random and all of the
 * shifted ports must be free; arquillian.xml and the tests read the system properties set here.
 */
public final class WildFlyPorts implements LauncherSessionListener {
  /** The default ports of standalone.xml and standalone-full.xml. */
  private static final int[] DEFAULT_PORTS = {3528, 3529, 4712, 4713, 8009, 8080, 8443, 9990, 9993};

  /** Offsets below the Linux ephemeral range (32768+), where outgoing connections take ports. */
  private static final int MIN_OFFSET = 1_000;

  private static final int MAX_OFFSET = 32_768 - 9993 - 1;
  private static final int ATTEMPTS = 200;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getProperty("wildfly.port.offset") != null) {
      return; // chosen by whoever launched the tests
    }
    int offset = freeOffset();
    System.setProperty("wildfly.port.offset", String.valueOf(offset));
    System.setProperty("wildfly.http.port", String.valueOf(8080 + offset));
    System.setProperty("wildfly.management.port", String.valueOf(9990 + offset));
  }

  public static int freeOffset() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(MIN_OFFSET, MAX_OFFSET);
      if (IntStream.of(DEFAULT_PORTS).allMatch(port -> LocalPorts.isFree(port + offset))) {
        return offset;
      }
    }
    throw new IllegalStateException("no WildFly port offset with all its ports free");
  }
}
