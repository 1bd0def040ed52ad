package dev.warren.broker.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes a test starts. Ports come from 20000–44999: below the kernel's
 * ephemeral range, so an outgoing connection does not take one between the check and the bind, and
 * low enough that RabbitMQ's rabbitmqctl (which listens on its node's distribution port + 10000)
 * still finds a valid port.
 */
public final class FreePorts {
  private static final int LOW = 20000;
  private static final int HIGH = 45000;
  private static final int ATTEMPTS = 1000;

  private FreePorts() {}

  /** Distinct ports that were free when checked. */
  public static List<Integer> take(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS && ports.size() < count; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (!ports.contains(port) && isFree(port)) {
        ports.add(port);
      }
    }
    if (ports.size() < count) {
      throw new IllegalStateException("found only " + ports.size() + " free ports of " + count);
    }
    return ports;
  }

  public static int take() {
    return take(1).get(0);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
