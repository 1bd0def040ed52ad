package dev.warren.rar.api;

import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * Injected with {@code @Resource}: hands out connections to the broker running in this server.
 * Inside a JTA transaction their publishes take effect when the transaction commits.
 */
public interface AmqpConnectionFactory extends Serializable, Referenceable {

  /** A connection to use and close in a try-with-resources block; the container pools them. */
  AmqpConnection getConnection();
}
