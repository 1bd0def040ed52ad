package dev.warren.broker.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes a test starts. Ports are drawn from outside the kernel's
 * ephemeral range, so that an outgoing connection (a client's, or a Raft peer's) cannot take one
 * between the check and the child's bind; and at most 55535, so that RabbitMQ's rabbitmqctl (which
 * listens on its node's distribution port + 10000) still finds a valid port.
 */
public final class FreePorts {
  private static final int LOW = 10000;
  private static final int HIGH = 55535;
  private static final int ATTEMPTS = 1000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final PortRange EPHEMERAL = ephemeralRange();

  private FreePorts() {}

  /** Distinct ports that were free when checked. */
  public static List<Integer> take(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS && ports.size() < count; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
      if (!EPHEMERAL.contains(port) && !ports.contains(port) && isFree(port)) {
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

  /** Linux's default when the kernel's setting cannot be read. */
  private static PortRange ephemeralRange() {
    try {
      String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return new PortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    } catch (IOException | RuntimeException e) {
      return new PortRange(32768, 60999);
    }
  }

  private record PortRange(int first, int last) {
    boolean contains(int port) {
      return port >= first && port <= last;
    }
  }
}
