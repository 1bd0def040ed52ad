package dev.warren.broker.server;

import dev.warren.broker.engine.TlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/** The AMQPS side of the server: the JDK's TLS engine, TLS 1.2 and 1.3 only. */
public final class TlsSupport {
  private static final System.Logger LOG = System.getLogger(TlsSupport.class.getName());
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /**
   * Goes right after the SslHandler: a failed handshake (an untrusted or missing client
   * certificate, a client speaking plain AMQP to the TLS port) is the client's problem, worth one
   * warning with the peer and the reason rather than an error with a stack trace.
   */
  static final ChannelInboundHandlerAdapter HANDSHAKE_FAILURES = new HandshakeFailures();

  @ChannelHandler.Sharable
  private static final class HandshakeFailures extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof DecoderException && cause.getCause() instanceof SSLException failure) {
        LOG.log(
            System.Logger.Level.WARNING,
            () ->
                "closing AMQP connection %s: TLS handshake failed: %s"
                    .formatted(ctx.channel().remoteAddress(), failure.getMessage()));
        ctx.close();
      } else {
        ctx.fireExceptionCaught(cause);
      }
    }
  }

  private TlsSupport() {}

  static SslContext serverContext(TlsConfig tls) {
    return serverContext(tls, clientAuth(tls.clientCertificates()));
  }

  /**
   * The AMQPS key store's context for HTTPS listeners (management, metrics): the same server
   * certificate, but no client certificate is asked for (HTTP clients log in with a password).
   */
  public static SslContext httpsContext(TlsConfig tls) {
    return serverContext(tls, ClientAuth.NONE);
  }

  private static SslContext serverContext(TlsConfig tls, ClientAuth clientAuth) {
    try {
      char[] keyPassword = password(tls.keyStorePassword());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(tls.keyStore(), keyPassword), keyPassword);
      SslContextBuilder builder =
          SslContextBuilder.forServer(keys)
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .clientAuth(clientAuth);
      if (tls.trustStore() != null) {
        TrustManagerFactory trust =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(tls.trustStore(), password(tls.trustStorePassword())));
        builder.trustManager(trust);
      }
      return builder.build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS from " + tls.keyStore(), e);
    }
  }

  /**
   * The common name of the peer's verified certificate, or null on a plain connection or without
   * one: SASL EXTERNAL's user, as with RabbitMQ's ssl_cert_login_from = common_name.
   */
  static String peerCommonName(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
        return null;
      }
      String subject = certificate.getSubjectX500Principal().getName();
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }

  private static ClientAuth clientAuth(TlsConfig.ClientCertificates mode) {
    return switch (mode) {
      case NONE -> ClientAuth.NONE;
      case OPTIONAL -> ClientAuth.OPTIONAL;
      case REQUIRED -> ClientAuth.REQUIRE;
    };
  }

  private static KeyStore load(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    String type = file.toString().endsWith(".jks") ? "JKS" : "PKCS12";
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }

  private static char[] password(String value) {
    return value == null ? new char[0] : value.toCharArray();
  }
}
