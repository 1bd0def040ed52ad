package dev.warren.broker.management.controller;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.engine.api.ConnectionDetails;
import dev.warren.broker.engine.api.ConnectionSnapshot;
import dev.warren.broker.engine.api.ConnectionStatistics;
import dev.warren.broker.management.Access;
import dev.warren.broker.management.ApiCall;
import dev.warren.broker.management.ApiException;
import dev.warren.broker.management.ApiRoutes;
import dev.warren.broker.management.Controller;
import dev.warren.broker.management.Shapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/connections}: open connections, each, a user's, a vhost's; closing one (320
 * CONNECTION_FORCED with the {@code X-Reason} header, as RabbitMQ's plugin does).
 */
public final class ConnectionsController implements Controller {
  private static final String DEFAULT_CLOSE_REASON = "Closed via management plugin";
  private static final List<String> SORT = List.of("name");

  private final BrokerAdmin broker;
  private final ChannelsController channels;

  public ConnectionsController(BrokerAdmin broker, ChannelsController channels) {
    this.broker = broker;
    this.channels = channels;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes
        .get("/api/connections", Access.MANAGEMENT, call -> call.list(visible(call, null), SORT))
        .get(
            "/api/vhosts/{vhost}/connections",
            Access.VHOST,
            call -> call.list(visible(call, call.vhost()), SORT))
        .get(
            "/api/connections/username/{username}",
            Access.MANAGEMENT,
            call ->
                call.list(
                    visible(call, null).stream()
                        .filter(c -> c.get("user").equals(call.parameter("username")))
                        .toList(),
                    SORT))
        .get("/api/connections/{connection}", Access.MANAGEMENT, call -> shape(find(call)))
        .get(
            "/api/connections/{connection}/channels",
            Access.MANAGEMENT,
            call -> call.list(channels.ofConnection(find(call).details().name()), SORT))
        .delete("/api/connections/{connection}", Access.MANAGEMENT, this::close);
  }

  private List<Map<String, Object>> visible(ApiCall call, String vhost) {
    return broker.connections().stream()
        .filter(c -> vhost == null || c.vhost().equals(vhost))
        .filter(c -> call.maySee(c.vhost()) && call.maySeeOwnedBy(c.user()))
        .map(this::shape)
        .toList();
  }

  private ConnectionSnapshot find(ApiCall call) {
    String name = call.parameter("connection");
    ConnectionSnapshot connection =
        broker.connections().stream()
            .filter(c -> c.details().name().equals(name))
            .findFirst()
            .orElseThrow(ApiException::objectNotFound);
    if (!call.maySeeOwnedBy(connection.user())) {
      throw ApiException.notAuthorised("User not authorised to access object");
    }
    return connection;
  }

  /** As RabbitMQ: closing a connection that is already gone is a success too. */
  private Object close(ApiCall call) {
    String name = call.parameter("connection");
    for (ConnectionSnapshot connection : broker.connections()) {
      if (connection.details().name().equals(name)) {
        call.requireMayClose(connection.user());
        String reason = call.header("X-Reason");
        broker.closeConnection(name, reason == null ? DEFAULT_CLOSE_REASON : reason);
      }
    }
    return null;
  }

  Map<String, Object> shape(ConnectionSnapshot connection) {
    ConnectionDetails details = connection.details();
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("auth_mechanism", details.authMechanism());
    shape.put("channel_max", details.channelMax());
    shape.put("channels", connection.channels());
    shape.put("client_properties", details.clientProperties());
    shape.put("connected_at", details.connectedAt());
    shape.put("frame_max", details.frameMax());
    shape.put("host", details.host());
    shape.put("name", details.name());
    shape.put("node", broker.identity().node());
    shape.put("peer_cert_issuer", null);
    shape.put("peer_cert_subject", null);
    shape.put("peer_cert_validity", null);
    shape.put("peer_host", details.peerHost());
    shape.put("peer_port", details.peerPort() < 0 ? null : details.peerPort());
    shape.put("port", details.port() < 0 ? null : details.port());
    shape.put("protocol", details.protocol());
    ConnectionStatistics traffic = connection.statistics();
    shape.put("recv_cnt", traffic.packetsReceived());
    Shapes.rated(shape, "recv_oct", traffic.octetsReceived());
    shape.put("send_cnt", traffic.packetsSent());
    Shapes.rated(shape, "send_oct", traffic.octetsSent());
    shape.put("send_pend", 0);
    shape.put("ssl", details.tlsProtocol() != null);
    shape.put("ssl_cipher", details.tlsCipher());
    shape.put("ssl_hash", null);
    shape.put("ssl_key_exchange", null);
    shape.put("ssl_protocol", details.tlsProtocol());
    shape.put("state", connection.state());
    shape.put("timeout", details.heartbeatSeconds());
    shape.put("type", details.type());
    shape.put("user", connection.user());
    if (details.clientProperties().get("connection_name") instanceof String name) {
      shape.put("user_provided_name", name);
    }
    shape.put("user_who_performed_action", connection.user());
    shape.put("vhost", connection.vhost());
    return shape;
  }
}
