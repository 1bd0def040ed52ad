package dev.warren.broker.routing;

import java.util.Map;

/**
 * One binding of an exchange to a destination. All three parts make up its identity: binding the
 * same destination with the same key but different arguments creates a second binding.
 */
public record Binding<D>(String routingKey, Map<String, Object> arguments, D destination) {

  public Binding {
    arguments = arguments == null ? Map.of() : arguments;
  }
}
