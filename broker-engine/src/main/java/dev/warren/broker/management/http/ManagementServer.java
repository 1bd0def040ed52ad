package dev.warren.broker.management.http;

import dev.warren.broker.engine.ManagementConfig;
import dev.warren.broker.engine.TlsConfig;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ListenerInfo;
import dev.warren.broker.http.HttpListener;
import dev.warren.broker.http.HttpListenerConfig;
import dev.warren.broker.management.ManagementService;
import dev.warren.broker.server.EventLoops;
import dev.warren.broker.server.TlsSupport;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone front door of the management API: an HTTP listener and, with the AMQPS key store,
 * an HTTPS one, both on the broker's event loops, serving one {@link ManagementService}.
 */
public final class ManagementServer implements AutoCloseable {
  private final HttpListener http;
  private final HttpListener https;

  private ManagementServer(HttpListener http, HttpListener https) {
    this.http = http;
    this.https = https;
  }

  /**
   * Opens the configured listeners.
   *
   * @param tls the AMQPS key store for HTTPS, or null (then no HTTPS listener is opened)
   * @throws IllegalStateException if a port cannot be bound, or HTTPS is asked for without a key
   *     store
   */
  public static ManagementServer start(
      ManagementConfig config, TlsConfig tls, BrokerAdmin broker, EventLoops loops) {
    ManagementService service = new ManagementService(broker);
    HttpListener http = null;
    HttpListener https = null;
    try {
      if (config.port() != ManagementConfig.OFF) {
        http = open("management", config.bindAddress(), config.port(), loops, null, service);
      }
      if (config.tlsPort() != ManagementConfig.OFF) {
        if (tls == null || tls.keyStore() == null) {
          throw new IllegalStateException("the management HTTPS port needs the AMQPS key store");
        }
        https =
            open(
                "management-tls",
                config.bindAddress(),
                config.tlsPort(),
                loops,
                TlsSupport.httpsContext(tls),
                service);
      }
    } catch (RuntimeException e) {
      if (http != null) {
        http.close();
      }
      throw e;
    }
    return new ManagementServer(http, https);
  }

  private static HttpListener open(
      String name,
      String bindAddress,
      int port,
      EventLoops loops,
      io.netty.handler.ssl.SslContext tls,
      ManagementService service) {
    return HttpListener.start(
        HttpListenerConfig.defaults(name, bindAddress, port),
        loops.acceptors(),
        loops.workers(),
        tls,
        service);
  }

  /** The HTTP port, or -1 if there is no HTTP listener. */
  public int port() {
    return http == null ? -1 : http.port();
  }

  /** The HTTPS port, or -1 if there is no HTTPS listener. */
  public int tlsPort() {
    return https == null ? -1 : https.port();
  }

  public List<ListenerInfo> listeners() {
    List<ListenerInfo> listeners = new ArrayList<>();
    if (http != null) {
      listeners.add(new ListenerInfo("http", http.config().bindAddress(), http.port()));
    }
    if (https != null) {
      listeners.add(new ListenerInfo("https", https.config().bindAddress(), https.port()));
    }
    return listeners;
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    if (https != null) {
      https.close();
    }
  }
}
