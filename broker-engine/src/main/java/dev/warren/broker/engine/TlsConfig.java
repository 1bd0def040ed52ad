package dev.warren.broker.engine;

import java.nio.file.Path;

/**
 * The AMQPS listener. Key and trust stores are PKCS#12 (or anything else the JDK's KeyStore reads
 * by file extension: .jks is read as JKS).
 *
 * @param port AMQPS port; 0 picks a free one
 * @param keyStore the server's certificate and private key
 * @param keyStorePassword password of the key store and of the key in it
 * @param trustStore certificates that client certificates must chain to; null: the JDK's defaults
 * @param trustStorePassword password of the trust store
 * @param clientCertificates whether clients must present a certificate
 */
public record TlsConfig(
    int port,
    Path keyStore,
    String keyStorePassword,
    Path trustStore,
    String trustStorePassword,
    ClientCertificates clientCertificates) {

  public static final int DEFAULT_PORT = 5671;

  /** RabbitMQ's verify/fail_if_no_peer_cert combinations. */
  public enum ClientCertificates {
    /** verify_none: no certificate is asked for. */
    NONE,
    /** verify_peer without fail_if_no_peer_cert: one is asked for and checked if sent. */
    OPTIONAL,
    /** verify_peer with fail_if_no_peer_cert: the handshake fails without a trusted one. */
    REQUIRED
  }

  public TlsConfig withPort(int value) {
    return new TlsConfig(
        value, keyStore, keyStorePassword, trustStore, trustStorePassword, clientCertificates);
  }
}
