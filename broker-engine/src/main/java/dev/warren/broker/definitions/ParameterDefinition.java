package dev.warren.broker.definitions;

/**
 * A runtime parameter of a virtual host: RabbitMQ keeps operator policies ({@value
 * #OPERATOR_POLICY}) and virtual host limits ({@value #VHOST_LIMITS}, always named {@value
 * #LIMITS_NAME}) as parameters, and exports them so.
 *
 * @param value a JSON value (maps, lists, strings, numbers, booleans)
 */
public record ParameterDefinition(String component, String vhost, String name, Object value) {
  public static final String OPERATOR_POLICY = "operator_policy";
  public static final String VHOST_LIMITS = "vhost-limits";
  public static final String LIMITS_NAME = "limits";
}
