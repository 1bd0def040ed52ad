package dev.warren.broker.definitions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The one seam through which policies reach the broker: the policies and operator policies of every
 * virtual host as of the last change, which of them applies to a queue or exchange (RabbitMQ's
 * matching: the pattern found anywhere in the name, {@code apply-to}, the highest priority), and
 * listeners told when a virtual host's policies change, so that its queues and exchanges can apply
 * them.
 */
public final class PolicyRegistry {

  /**
   * What a policy is matched against. A policy with a key that a queue's type does not support
   * (RabbitMQ's {@code unsupported_policies} capability of the queue type, as of 4.0) does not
   * apply to that queue at all: the next matching policy does.
   */
  public enum Target {
    CLASSIC_QUEUE(
        "queues",
        Set.of(
            "max-age",
            "stream-max-segment-size-bytes",
            "initial-cluster-size",
            "delivery-limit",
            "dead-letter-strategy",
            "max-in-memory-length",
            "max-in-memory-bytes")),
    QUORUM_QUEUE(
        "queues",
        Set.of(
            "max-priority",
            "queue-mode",
            "ha-mode",
            "ha-params",
            "ha-sync-mode",
            "ha-promote-on-shutdown",
            "ha-promote-on-failure",
            "queue-master-locator",
            "max-age",
            "stream-max-segment-size-bytes",
            "initial-cluster-size")),
    EXCHANGE("exchanges", Set.of());

    private final String applyTo;
    private final Set<String> unsupported;

    Target(String applyTo, Set<String> unsupported) {
      this.applyTo = applyTo;
      this.unsupported = unsupported;
    }

    /** A queue's target by its declared {@code x-queue-type}. */
    public static Target queue(boolean quorum) {
      return quorum ? QUORUM_QUEUE : CLASSIC_QUEUE;
    }

    private boolean supportsAll(Set<String> keys) {
      for (String key : keys) {
        if (unsupported.contains(key)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The policies that apply to one queue or exchange and their combined definition (RabbitMQ's
   * {@code effective_policy_definition}: the operator policy's numeric limits win where they are
   * lower).
   *
   * @param policy the applying policy's name, or null
   * @param operatorPolicy the applying operator policy's name, or null
   */
  public record EffectivePolicy(
      String policy, String operatorPolicy, Map<String, Object> definition) {
    public static final EffectivePolicy NONE = new EffectivePolicy(null, null, Map.of());
  }

  /** Told, on the thread that made the change, that a virtual host's policies changed. */
  @FunctionalInterface
  public interface Listener {
    void policiesChanged(String virtualHost);
  }

  private record Compiled(PolicyDefinition definition, Pattern pattern) {
    boolean matches(Target target, String name) {
      String applyTo = definition.applyTo() == null ? "all" : definition.applyTo();
      return (applyTo.equals("all") || applyTo.equals(target.applyTo))
          && target.supportsAll(definition.definition().keySet())
          && pattern.matcher(name).find();
    }
  }

  private record VhostPolicies(List<Compiled> policies, List<Compiled> operatorPolicies) {}

  private static final Comparator<Compiled> BY_PRIORITY =
      Comparator.comparingInt((Compiled c) -> c.definition().priority())
          .reversed()
          .thenComparing(c -> c.definition().name());

  private volatile Map<String, VhostPolicies> byVhost = Map.of();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * Subscribes to changes.
   *
   * @return closing it unsubscribes
   */
  public AutoCloseable subscribe(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** The policies of a vhost, highest priority first. */
  public List<PolicyDefinition> policies(String virtualHost) {
    VhostPolicies policies = byVhost.get(virtualHost);
    return policies == null
        ? List.of()
        : policies.policies().stream().map(Compiled::definition).toList();
  }

  /** The operator policies of a vhost, highest priority first. */
  public List<PolicyDefinition> operatorPolicies(String virtualHost) {
    VhostPolicies policies = byVhost.get(virtualHost);
    return policies == null
        ? List.of()
        : policies.operatorPolicies().stream().map(Compiled::definition).toList();
  }

  /** What applies to the queue or exchange of that name now. */
  public EffectivePolicy effective(String virtualHost, Target target, String name) {
    VhostPolicies policies = byVhost.get(virtualHost);
    if (policies == null) {
      return EffectivePolicy.NONE;
    }
    PolicyDefinition policy = first(policies.policies(), target, name);
    PolicyDefinition operator = first(policies.operatorPolicies(), target, name);
    if (policy == null && operator == null) {
      return EffectivePolicy.NONE;
    }
    return new EffectivePolicy(
        policy == null ? null : policy.name(),
        operator == null ? null : operator.name(),
        merge(
            policy == null ? Map.of() : policy.definition(),
            operator == null ? Map.of() : operator.definition()));
  }

  /**
   * Takes the policies of a new definitions state and tells the listeners about every vhost whose
   * policies changed.
   */
  public void update(DefinitionsState state) {
    Map<String, List<Compiled>> policies = new HashMap<>();
    Map<String, List<Compiled>> operatorPolicies = new HashMap<>();
    for (PolicyDefinition policy : state.policies()) {
      policies.computeIfAbsent(policy.vhost(), v -> new ArrayList<>()).add(compile(policy));
    }
    for (ParameterDefinition parameter : state.parameters()) {
      if (parameter.component().equals(ParameterDefinition.OPERATOR_POLICY)) {
        PolicyDefinition policy = operatorPolicy(parameter);
        operatorPolicies
            .computeIfAbsent(policy.vhost(), v -> new ArrayList<>())
            .add(compile(policy));
      }
    }
    Set<String> vhosts = new HashSet<>(policies.keySet());
    vhosts.addAll(operatorPolicies.keySet());
    Map<String, VhostPolicies> next = new HashMap<>();
    for (String vhost : vhosts) {
      List<Compiled> p = new ArrayList<>(policies.getOrDefault(vhost, List.of()));
      List<Compiled> o = new ArrayList<>(operatorPolicies.getOrDefault(vhost, List.of()));
      p.sort(BY_PRIORITY);
      o.sort(BY_PRIORITY);
      next.put(vhost, new VhostPolicies(List.copyOf(p), List.copyOf(o)));
    }
    Map<String, VhostPolicies> previous = byVhost;
    byVhost = Map.copyOf(next);
    Set<String> touched = new HashSet<>(previous.keySet());
    touched.addAll(next.keySet());
    for (String vhost : touched) {
      if (!sameDefinitions(previous.get(vhost), next.get(vhost))) {
        listeners.forEach(listener -> listener.policiesChanged(vhost));
      }
    }
  }

  /** An operator policy kept as a parameter, as RabbitMQ keeps it. */
  public static PolicyDefinition operatorPolicy(ParameterDefinition parameter) {
    Map<?, ?> value = parameter.value() instanceof Map<?, ?> map ? map : Map.of();
    Map<String, Object> definition = new LinkedHashMap<>();
    if (value.get("definition") instanceof Map<?, ?> keys) {
      keys.forEach((k, v) -> definition.put(String.valueOf(k), v));
    }
    return new PolicyDefinition(
        parameter.vhost(),
        parameter.name(),
        String.valueOf(value.get("pattern")),
        value.get("apply-to") == null ? "all" : String.valueOf(value.get("apply-to")),
        value.get("priority") instanceof Number n ? n.intValue() : 0,
        definition);
  }

  private static Compiled compile(PolicyDefinition policy) {
    return new Compiled(policy, Pattern.compile(policy.pattern()));
  }

  private static PolicyDefinition first(List<Compiled> policies, Target target, String name) {
    for (Compiled policy : policies) {
      if (policy.matches(target, name)) {
        return policy.definition();
      }
    }
    return null;
  }

  /**
   * RabbitMQ's merge: keys of both, in order (as its maps come out); where both set one, the lower
   * number or the operator's.
   */
  private static Map<String, Object> merge(Map<String, Object> policy, Map<String, Object> op) {
    Map<String, Object> merged = new TreeMap<>(policy);
    op.forEach(
        (key, opValue) ->
            merged.merge(
                key,
                opValue,
                (value, operatorValue) ->
                    value instanceof Number a && operatorValue instanceof Number b
                        ? (a.longValue() <= b.longValue() ? a : b)
                        : operatorValue));
    return java.util.Collections.unmodifiableMap(merged);
  }

  private static boolean sameDefinitions(VhostPolicies a, VhostPolicies b) {
    if (a == null || b == null) {
      return a == b;
    }
    return definitions(a.policies()).equals(definitions(b.policies()))
        && definitions(a.operatorPolicies()).equals(definitions(b.operatorPolicies()));
  }

  private static List<PolicyDefinition> definitions(List<Compiled> compiled) {
    return compiled.stream().map(Compiled::definition).filter(Objects::nonNull).toList();
  }
}
