package dev.warren.it;

import dev.warren.broker.testsupport.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/** Ports of the loopback address, for servers that the tests start on ports they choose. */
public final class LocalPorts {
  private LocalPorts() {}

  /** A port that was free a moment ago, outside the range outgoing connections take theirs from. */
  public static int freePort() {
    return FreePorts.take();
  }

  /** Whether every port of the range could be bound on the loopback address now. */
  public static boolean allFree(int first, int count) {
    return IntStream.range(first, first + count).allMatch(LocalPorts::isFree);
  }

  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
