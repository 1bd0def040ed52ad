package dev.warren.broker.engine.api;

import java.util.Map;

/**
 * The policy and operator policy that apply to a queue or exchange, and their combined definition;
 * names are null where none applies.
 */
public record EffectivePolicyView(
    String policy, String operatorPolicy, Map<String, Object> definition) {
  public static final EffectivePolicyView NONE = new EffectivePolicyView(null, null, Map.of());
}
