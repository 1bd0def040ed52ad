package dev.warren.broker.management;

/**
 * What a route demands of the user, after RabbitMQ's {@code rabbit_mgmt_util:is_authorized_*}
 * family. {@link Authorisation} is the one place these are decided.
 */
public enum Access {
  /** Health checks: no authentication at all. */
  NONE,
  /** Any user with a management tag. */
  MANAGEMENT,
  /** A management user who may open the vhost of the path (administrators may open any). */
  VHOST,
  /** Monitoring and administrators, or a user who may open the vhost of the path. */
  VHOST_MONITORING,
  /** {@code monitoring} or {@code administrator}. */
  MONITORING,
  /** {@code policymaker} who may open the vhost of the path, or an administrator. */
  POLICYMAKER,
  /** {@code policymaker} or administrator, for global parameters. */
  GLOBAL_POLICYMAKER,
  /** {@code administrator}. */
  ADMINISTRATOR
}
