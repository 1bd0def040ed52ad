package dev.warren.broker.management;

import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.security.User;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who may do what through the management API: HTTP Basic authentication against the broker's users,
 * then RabbitMQ's tag rules ({@code rabbit_mgmt_util:is_authorized_*}). Every route's check and
 * every list's filtering is decided here and nowhere else. A refused login is logged with the
 * user's name and the reason, never the password.
 */
public final class Authorisation {
  private static final System.Logger LOG = System.getLogger(Authorisation.class.getName());

  private final BrokerAdmin broker;

  public Authorisation(BrokerAdmin broker) {
    this.broker = broker;
  }

  /**
   * The user of a request's {@code Authorization: Basic} header.
   *
   * @throws ApiException 401 if it is missing or wrong, or the user has no management tag
   */
  public ManagementUser authenticate(HttpRequest request) {
    String header = request.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new ApiException(401, "not_authorized", "Not authorized");
    }
    String credentials;
    try {
      credentials =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(401, "not_authorized", "Login failed");
    }
    int colon = credentials.indexOf(':');
    String name = colon < 0 ? credentials : credentials.substring(0, colon);
    String password = colon < 0 ? "" : credentials.substring(colon + 1);
    if (!broker.authenticate(name, password)) {
      LOG.log(
          System.Logger.Level.WARNING, "HTTP access denied: login failed for user ''{0}''", name);
      throw new ApiException(401, "not_authorized", "Login failed");
    }
    User user = broker.definitions().user(name);
    if (user == null) {
      throw new ApiException(401, "not_authorized", "Login failed");
    }
    if (broker.loopbackOnly(name)
        && (request.peer() == null || !request.peer().isLoopbackAddress())) {
      throw refused(name, "User can only log in via localhost");
    }
    ManagementUser managementUser = new ManagementUser(user.name(), user.tags());
    if (!managementUser.management()) {
      throw refused(name, "Not management user");
    }
    return managementUser;
  }

  /**
   * Checks a route's demand.
   *
   * @param virtualHost the vhost named by the path, or null if it names none
   * @throws ApiException 401 not_authorised with RabbitMQ's reason
   */
  public void check(Access access, ManagementUser user, String virtualHost) {
    boolean allowed =
        switch (access) {
          case NONE, MANAGEMENT -> true;
          case VHOST -> user.administrator() || maySee(user, virtualHost);
          case VHOST_MONITORING -> user.monitoring() || maySee(user, virtualHost);
          case MONITORING -> user.monitoring();
          case POLICYMAKER ->
              user.administrator() || (user.policymaker() && maySee(user, virtualHost));
          case GLOBAL_POLICYMAKER -> user.policymaker();
          case ADMINISTRATOR -> user.administrator();
        };
    if (!allowed) {
      throw refused(user.name(), reason(access));
    }
  }

  /** Whether lists show the user what is in this vhost. */
  public boolean maySee(ManagementUser user, String virtualHost) {
    DefinitionsState definitions = broker.definitions();
    return virtualHost == null
        || user.monitoring()
        || definitions.permission(user.name(), virtualHost) != null
        || definitions.virtualHost(virtualHost) == null;
  }

  /**
   * Connections, channels and consumers: monitoring users see everyone's, others their own (as
   * {@code is_authorized_user} for GET).
   */
  public boolean maySeeOwnedBy(ManagementUser user, String owner) {
    return user.monitoring() || user.name().equals(owner);
  }

  /** Closing a connection: administrators any, others only their own. */
  public void checkMayClose(ManagementUser user, String owner) {
    if (!user.administrator() && !user.name().equals(owner)) {
      throw refused(user.name(), "User not authorised to access object");
    }
  }

  private static String reason(Access access) {
    return switch (access) {
      case MONITORING -> "Not monitor user";
      case ADMINISTRATOR -> "Not administrator user";
      case VHOST, VHOST_MONITORING -> "User not authorised to access virtual host";
      default -> "User not authorised to access object";
    };
  }

  private static ApiException refused(String user, String reason) {
    LOG.log(System.Logger.Level.WARNING, "HTTP access denied: user ''{0}'' - {1}", user, reason);
    return ApiException.notAuthorised(reason);
  }
}
