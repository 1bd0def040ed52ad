package dev.warren.broker.security;

/**
 * The users and their permissions as {@link AccessControl} reads them: one consistent moment of the
 * runtime definitions, replaced as a whole when they change.
 */
public interface Grants {

  /** The user of that name, or null. */
  User user(String name);

  /** The user's permission in the virtual host, or null if it has none there. */
  Permission permission(String user, String virtualHost);

  /** Grows with every change, so that a cached check can tell it is stale. */
  long version();
}
