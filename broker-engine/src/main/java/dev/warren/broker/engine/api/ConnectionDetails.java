package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * What a connection's owner tells the broker about it when it opens, for listings: RabbitMQ's
 * connection fields that never change while the connection is open.
 *
 * @param name unique among open connections, e.g. {@code 127.0.0.1:5000 -> 127.0.0.1:5672}
 * @param type "network" for a client socket, "direct" for an in-VM client
 * @param protocol e.g. "AMQP 0-9-1"
 * @param host the server's address the client connected to, or null for a direct connection
 * @param port the server's port, or -1
 * @param peerHost the client's address, or null
 * @param peerPort the client's port, or -1
 * @param tlsProtocol e.g. "TLSv1.3", or null on a plain connection
 * @param tlsCipher the TLS cipher suite, or null
 * @param authMechanism the SASL mechanism, e.g. "PLAIN"
 * @param clientProperties the client-properties table of connection.start-ok
 * @param heartbeatSeconds the negotiated heartbeat (RabbitMQ's {@code timeout})
 * @param frameMax the negotiated frame_max
 * @param channelMax the negotiated channel_max
 * @param connectedAt epoch milliseconds
 */
public record ConnectionDetails(
    String name,
    String type,
    String protocol,
    String host,
    int port,
    String peerHost,
    int peerPort,
    String tlsProtocol,
    String tlsCipher,
    String authMechanism,
    Map<String, Object> clientProperties,
    int heartbeatSeconds,
    int frameMax,
    int channelMax,
    long connectedAt) {

  public ConnectionDetails {
    clientProperties = clientProperties == null ? Map.of() : clientProperties;
  }

  /** An in-VM client's connection, e.g. the resource adapter's. */
  public static ConnectionDetails direct(String name) {
    return new ConnectionDetails(
        name,
        "direct",
        "Direct 0-9-1",
        null,
        -1,
        null,
        -1,
        null,
        null,
        "none",
        Map.of(),
        0,
        0,
        0,
        System.currentTimeMillis());
  }
}
