package dev.warren.it;

import dev.warren.broker.testsupport.RabbitMqNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The sample in remote mode: for the failsafe run that sets {@value #BROKER}, starts a RabbitMQ
 * node before Arquillian boots Payara Micro, and writes the post-boot commands of the embedded runs
 * with two adapter properties more, {@code mode=remote} and {@code addresses} of that node. The
 * sample and its tests are the same; only the adapter's configuration differs, and the tests' own
 * client talks to RabbitMQ ({@code warren.port}). Other runs are left alone.
 */
public final class RemoteBrokerSession implements LauncherSessionListener {
  static final String BROKER = "warren.it.remoteBroker";
  private static final String TEMPLATE = "warren.it.postBootTemplate";
  private static final String TARGET = "warren.it.postBootRemote";
  private static final String MISSING = "warren.it.remoteBrokerMissing";

  private RabbitMqNode node;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!"rabbitmq".equals(System.getProperty(BROKER))) {
      return;
    }
    String extra = "";
    if (RabbitMqNode.isInstalled()) {
      node = RabbitMqNode.start();
      System.setProperty("warren.port", String.valueOf(node.amqpPort()));
      // asadmin separates properties with ':', so the one in the address is escaped
      extra = "mode=remote:addresses=127.0.0.1\\:" + node.amqpPort() + ":";
    } else {
      // Payara still boots (embedded), and the tests skip or fail (CI) in assumeBrokerStarted
      System.setProperty(MISSING, "true");
    }
    writePostBootCommands(extra);
  }

  /** In the remote run, skips the calling test if RabbitMQ is not installed (fails it on CI). */
  static void assumeBrokerStarted() {
    if (Boolean.getBoolean(MISSING)) {
      RabbitMqNode.requireInstalled();
      Assumptions.abort("RabbitMQ is not installed");
    }
  }

  private static void writePostBootCommands(String extraProperties) {
    try {
      Path template = Path.of(System.getProperty(TEMPLATE));
      Path target = Path.of(System.getProperty(TARGET));
      Files.createDirectories(target.getParent());
      Files.writeString(
          target,
          Files.readString(template).replace("--property ", "--property " + extraProperties));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the remote run's post-boot commands", e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (node != null) {
      node.close();
    }
  }
}
