package dev.warren.broker.management;

import java.util.List;

/**
 * The user a management request is made as, with RabbitMQ's tags: {@code administrator} implies
 * everything, {@code monitoring} sees every vhost and connection, {@code policymaker} manages
 * policies and parameters, {@code management} may use the API at all.
 */
public record ManagementUser(String name, List<String> tags) {
  public ManagementUser {
    tags = List.copyOf(tags);
  }

  public boolean administrator() {
    return tags.contains("administrator");
  }

  public boolean monitoring() {
    return administrator() || tags.contains("monitoring");
  }

  public boolean policymaker() {
    return administrator() || tags.contains("policymaker");
  }

  public boolean management() {
    return monitoring() || policymaker() || tags.contains("management");
  }
}
