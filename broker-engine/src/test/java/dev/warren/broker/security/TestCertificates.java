package dev.warren.broker.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the JDK's keytool at test time, so no private key is ever committed: a
 * CA, a server certificate for 127.0.0.1, client certificates signed by the CA, and a self-signed
 * client certificate nobody trusts. PKCS#12 stores, all with {@link #PASSWORD}. Public for the
 * adapter's tests (broker-engine's test-jar).
 */
public final class TestCertificates {
  public static final String PASSWORD = "changeit";
  private static final long KEYTOOL_SECONDS = 60;

  final Path dir;
  final Path caCertificate;
  public final Path serverKeyStore;
  public final Path trustStore;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caCertificate = dir.resolve("ca.crt");
    this.serverKeyStore = dir.resolve("server.p12");
    this.trustStore = dir.resolve("trust.p12");
  }

  /** Creates the CA, the server's key store and the trust store holding the CA. */
  public static TestCertificates create(Path dir) {
    TestCertificates pki = new TestCertificates(dir);
    pki.keytool(
        "-genkeypair",
        "-keystore",
        "ca.p12",
        "-alias",
        "ca",
        "-dname",
        "CN=warren-test-ca",
        "-ext",
        "bc:c");
    pki.keytool("-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.crt");
    pki.keytool(
        "-importcert", "-keystore", "trust.p12", "-alias", "ca", "-file", "ca.crt", "-noprompt");
    pki.signed("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    return pki;
  }

  /** A key store with a CA-signed certificate for the common name. */
  public synchronized Path client(String commonName) {
    Path store = dir.resolve(commonName + ".p12");
    if (!Files.exists(store)) {
      signed(commonName, "CN=" + commonName + ",O=Warren tests", null);
    }
    return store;
  }

  /** A key store with a self-signed certificate: the server must not trust it. */
  Path untrustedClient(String commonName) {
    keytool(
        "-genkeypair",
        "-keystore",
        commonName + ".p12",
        "-alias",
        "key",
        "-dname",
        "CN=" + commonName);
    return dir.resolve(commonName + ".p12");
  }

  /** A client SSL context trusting the CA, presenting the key store's certificate if given. */
  SSLContext clientContext(Path keyStore) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      KeyManagerFactory keys = null;
      if (keyStore != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD.toCharArray());
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(trustStore));
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key store's certificate chain and private key as PEM files, for Python's ssl module. */
  Path[] pem(Path keyStore) {
    try {
      KeyStore store = load(keyStore);
      Key key = store.getKey("key", PASSWORD.toCharArray());
      StringBuilder chain = new StringBuilder();
      for (java.security.cert.Certificate certificate : store.getCertificateChain("key")) {
        chain.append(pemBlock("CERTIFICATE", certificate.getEncoded()));
      }
      String base = keyStore.getFileName().toString().replace(".p12", "");
      Path certFile = dir.resolve(base + "-chain.pem");
      Path keyFile = dir.resolve(base + "-key.pem");
      Files.writeString(certFile, chain, StandardCharsets.US_ASCII);
      Files.writeString(
          keyFile, pemBlock("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      return new Path[] {certFile, keyFile};
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void signed(String name, String dname, String extension) {
    String store = name + ".p12";
    keytool("-genkeypair", "-keystore", store, "-alias", "key", "-dname", dname);
    keytool("-certreq", "-keystore", store, "-alias", "key", "-file", name + ".csr");
    List<String> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-keystore",
                "ca.p12",
                "-alias",
                "ca",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".crt",
                "-rfc"));
    if (extension != null) {
      gencert.addAll(List.of("-ext", extension));
    }
    keytool(gencert.toArray(String[]::new));
    keytool("-importcert", "-keystore", store, "-alias", "ca", "-file", "ca.crt", "-noprompt");
    keytool("-importcert", "-keystore", store, "-alias", "key", "-file", name + ".crt");
  }

  private void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // a short-lived tool: a cheaper JIT and GC start it faster on a busy machine
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (arguments[0].equals("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close(); // a prompt reads end of input instead of waiting
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool " + String.join(" ", arguments) + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path file) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static String pemBlock(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
