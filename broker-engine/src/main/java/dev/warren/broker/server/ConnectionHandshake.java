package dev.warren.broker.server;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.engine.api.Broker;
import dev.warren.broker.engine.api.ConnectionDetails;
import dev.warren.broker.protocol.ConnectionMethod;
import dev.warren.broker.protocol.FrameDecoder;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the connection class's handshake settles on one socket: the offer of connection.start, the
 * login of start-ok, the limits of tune-ok (applied to the socket), and whether an update-secret
 * still logs the same user in. The {@link AmqpConnection} sends what this returns and keeps the
 * connection's state, so the order of frames and of state changes is all in one place. Event loop
 * only.
 */
final class ConnectionHandshake {
  private final BrokerConfig config;
  private final Login login;
  private final Channel channel;
  private final long connectedAt;
  private String mechanism;
  private String user;
  private Map<String, Object> clientProperties;
  private boolean clientWantsAuthFailureClose;
  private Tuning tuning;

  ConnectionHandshake(BrokerConfig config, Broker broker, Channel channel, long connectedAt) {
    this.config = config;
    this.login = new Login(broker, config.security().loopbackUsers());
    this.channel = channel;
    this.connectedAt = connectedAt;
  }

  /**
   * The answer to the protocol header; EXTERNAL is offered where a client certificate was verified.
   */
  ConnectionMethod.Start start() {
    return new ConnectionMethod.Start(
        0,
        9,
        ServerProperties.table(config.cluster() == null ? null : config.cluster().name()),
        Login.mechanisms(TlsSupport.peerCommonName(channel)),
        "en_US");
  }

  /**
   * Records who the client says it is and logs it in.
   *
   * @throws dev.warren.broker.engine.api.BrokerException for an unknown mechanism or a malformed
   *     response
   */
  Login.Outcome logIn(ConnectionMethod.StartOk startOk) {
    mechanism = startOk.mechanism();
    clientWantsAuthFailureClose = SaslMechanisms.wantsCloseOnRefusal(startOk.clientProperties());
    clientProperties = startOk.clientProperties();
    Login.Outcome outcome =
        login.attempt(
            startOk.mechanism(),
            startOk.response(),
            channel.remoteAddress() instanceof InetSocketAddress peer ? peer.getAddress() : null,
            TlsSupport.peerCommonName(channel));
    if (outcome instanceof Login.Accepted accepted) {
      user = accepted.user();
    }
    return outcome;
  }

  /** Whether a refused login is told with connection.close before the socket closes. */
  boolean clientWantsAuthFailureClose() {
    return clientWantsAuthFailureClose;
  }

  /** The connection.tune that follows a successful login. */
  ConnectionMethod.Tune proposal() {
    return Tuning.proposal(config);
  }

  /**
   * Accepts the client's tune-ok and applies it: the decoder's frame max and the heartbeat.
   *
   * @throws dev.warren.broker.engine.api.BrokerException 530 for a limit out of range (see {@link
   *     Tuning#negotiate})
   */
  void tune(ConnectionMethod.TuneOk tuneOk) {
    tuning = Tuning.negotiate(config, tuneOk);
    channel.pipeline().get(FrameDecoder.class).setFrameMax(tuning.frameMax());
    long heartbeatMillis = tuning.heartbeatSeconds() * 1000L;
    if (heartbeatMillis > 0) {
      // RabbitMQ's rules: a heartbeat after half an interval without writing (clients time out
      // reads after one interval), and a peer silent for two intervals is gone
      channel
          .pipeline()
          .addFirst(
              "heartbeat",
              new IdleStateHandler(
                  2 * heartbeatMillis, heartbeatMillis / 2, 0, TimeUnit.MILLISECONDS));
    }
  }

  /** The limits agreed in tune-ok; null before. */
  Tuning tuning() {
    return tuning;
  }

  /** The logged-in user; null before start-ok succeeded. */
  String user() {
    return user;
  }

  /**
   * Whether a connection.update-secret's new secret logs the user in again with the connection's
   * mechanism (for EXTERNAL the certificate already proved who it is).
   */
  boolean acceptsNewSecret(byte[] newSecret) {
    return login.acceptsNewSecret(mechanism, user, newSecret);
  }

  /** The connection as listings show it, once tuned. */
  ConnectionDetails describe(String name) {
    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
    InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    return new ConnectionDetails(
        name,
        "network",
        "AMQP 0-9-1",
        local.getAddress().getHostAddress(),
        local.getPort(),
        peer.getAddress().getHostAddress(),
        peer.getPort(),
        tls == null ? null : tls.engine().getSession().getProtocol(),
        tls == null ? null : tls.engine().getSession().getCipherSuite(),
        mechanism,
        clientProperties,
        tuning.heartbeatSeconds(),
        tuning.frameMax(),
        tuning.channelMax(),
        connectedAt);
  }
}
