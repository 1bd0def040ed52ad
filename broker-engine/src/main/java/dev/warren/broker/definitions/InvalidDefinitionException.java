package dev.warren.broker.definitions;

/**
 * A definition the broker refuses, with RabbitMQ's reason (the management API answers it with 400,
 * a definitions file at start is refused with it).
 */
public final class InvalidDefinitionException extends RuntimeException {
  public InvalidDefinitionException(String reason) {
    super(reason);
  }

  /** RabbitMQ's wording for a parameter or policy that fails validation. */
  static InvalidDefinitionException validationFailed(String detail) {
    return new InvalidDefinitionException("Validation failed\n\n" + detail + "\n");
  }
}
