package dev.warren.broker.security;

import dev.warren.broker.engine.api.BrokerException;
import dev.warren.broker.protocol.ReplyCode;
import java.util.function.Supplier;

/**
 * Who may log in, open which virtual host, and do what to which queue or exchange — RabbitMQ's
 * internal authentication and authorisation backend over the current {@link Grants}. Every check
 * reads the grants of the moment, so a change applies to the next operation.
 */
public final class AccessControl {

  /** What a permission pattern is matched against, named as in RabbitMQ's reply texts. */
  public enum Resource {
    QUEUE("queue"),
    EXCHANGE("exchange");

    private final String label;

    Resource(String label) {
      this.label = label;
    }
  }

  /** The default exchange's name for permission checks (RabbitMQ's rabbit_access_control). */
  private static final String DEFAULT_EXCHANGE_ALIAS = "amq.default";

  private final Supplier<? extends Grants> grants;

  public AccessControl(Supplier<? extends Grants> grants) {
    this.grants = grants;
  }

  /** The version of the grants that checks read now (see {@link Grants#version}). */
  public long version() {
    return grants.get().version();
  }

  /** Whether the password is right; false for unknown users and users without a password. */
  public boolean authenticate(String user, String password) {
    User known = user == null ? null : grants.get().user(user);
    return known != null && known.passwordMatches(password);
  }

  /** For mechanisms that proved the identity some other way (EXTERNAL: the client certificate). */
  public boolean userExists(String user) {
    return user != null && grants.get().user(user) != null;
  }

  /**
   * Whether the user may open the virtual host: it needs a permission entry there.
   *
   * @throws BrokerException 530 NOT_ALLOWED with RabbitMQ's text
   */
  public void checkVirtualHostAccess(String user, String virtualHost) {
    if (permission(user, virtualHost) == null) {
      throw new BrokerException(
          ReplyCode.NOT_ALLOWED,
          "access to vhost '%s' refused for user '%s'".formatted(virtualHost, user));
    }
  }

  /**
   * @throws BrokerException 403 ACCESS_REFUSED with RabbitMQ's text if the user's pattern for this
   *     kind of access does not match the resource's name
   */
  public void check(
      String user, String virtualHost, Permission.Kind kind, Resource resource, String name) {
    String checked =
        resource == Resource.EXCHANGE && name.isEmpty() ? DEFAULT_EXCHANGE_ALIAS : name;
    Permission permission = permission(user, virtualHost);
    if (permission == null || !permission.permits(kind, checked)) {
      throw BrokerException.accessRefused(
          "access to %s '%s' in vhost '%s' refused for user '%s'"
              .formatted(resource.label, checked, virtualHost, user));
    }
  }

  private Permission permission(String user, String virtualHost) {
    return grants.get().permission(user, virtualHost);
  }
}
