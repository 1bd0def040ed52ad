package dev.warren.rar.adapter.remote;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the adapter reaches an external broker in remote mode.
 *
 * @param addresses comma-separated {@code host[:port]} of the broker or of a cluster's nodes; the
 *     client tries them in random order, at connection and at every recovery
 * @param tls whether to connect with TLS (the port then defaults to 5671)
 * @param trustStore CA certificates the broker's certificate must chain to (PKCS#12, or JKS by its
 *     {@code .jks} extension), or null for the JVM's default trust
 * @param trustStorePassword its password, or null
 * @param keyStore the adapter's own key and certificate for brokers that ask for one, or null
 * @param keyStorePassword its password, or null
 * @param recoveryInterval how long to wait between reconnection attempts after a connection failed
 */
public record RemoteSettings(
    String addresses,
    boolean tls,
    Path trustStore,
    String trustStorePassword,
    Path keyStore,
    String keyStorePassword,
    Duration recoveryInterval) {

  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(5);
}
