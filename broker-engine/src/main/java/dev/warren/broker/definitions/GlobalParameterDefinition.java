package dev.warren.broker.definitions;

/** A parameter of the whole broker, e.g. {@code cluster_name}; the value is any JSON value. */
public record GlobalParameterDefinition(String name, Object value) {
  public static final String CLUSTER_NAME = "cluster_name";
}
