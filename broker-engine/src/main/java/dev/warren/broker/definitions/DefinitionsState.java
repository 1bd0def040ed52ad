package dev.warren.broker.definitions;

import dev.warren.broker.definitions.DefinitionChange.PutGlobalParameter;
import dev.warren.broker.definitions.DefinitionChange.PutParameter;
import dev.warren.broker.definitions.DefinitionChange.PutPermission;
import dev.warren.broker.definitions.DefinitionChange.PutPolicy;
import dev.warren.broker.definitions.DefinitionChange.PutTopicPermission;
import dev.warren.broker.definitions.DefinitionChange.PutUser;
import dev.warren.broker.definitions.DefinitionChange.PutVirtualHost;
import dev.warren.broker.security.Grants;
import dev.warren.broker.security.Permission;
import dev.warren.broker.security.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The runtime definitions at one moment, immutable: users, virtual hosts, permissions, topic
 * permissions, parameters (operator policies and vhost limits among them), global parameters and
 * policies. {@link #apply} gives the next state; readers hold on to one state and see it
 * consistent. Every applied change increments {@link #version}, which caches of permission checks
 * compare against.
 */
public final class DefinitionsState implements Grants {
  public static final DefinitionsState EMPTY =
      new DefinitionsState(
          0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** A permission as written and as compiled for checks. */
  public record Grant(PermissionDefinition definition, Permission permission) {}

  private record UserVhost(String user, String vhost) {}

  private record TopicKey(String user, String vhost, String exchange) {}

  private record ParameterKey(String component, String vhost, String name) {}

  private record PolicyKey(String vhost, String name) {}

  private final long version;
  private final Map<String, User> users;
  private final Map<String, VirtualHostDefinition> virtualHosts;
  private final Map<UserVhost, Grant> permissions;
  private final Map<TopicKey, TopicPermissionDefinition> topicPermissions;
  private final Map<ParameterKey, ParameterDefinition> parameters;
  private final Map<String, GlobalParameterDefinition> globalParameters;
  private final Map<PolicyKey, PolicyDefinition> policies;

  /** Permissions by user, then vhost: the hot path of every permission check reads this. */
  private final Map<String, Map<String, Permission>> permissionIndex;

  private DefinitionsState(
      long version,
      Map<String, User> users,
      Map<String, VirtualHostDefinition> virtualHosts,
      Map<UserVhost, Grant> permissions,
      Map<TopicKey, TopicPermissionDefinition> topicPermissions,
      Map<ParameterKey, ParameterDefinition> parameters,
      Map<String, GlobalParameterDefinition> globalParameters,
      Map<PolicyKey, PolicyDefinition> policies,
      Map<String, Map<String, Permission>> permissionIndex) {
    this.version = version;
    this.users = users;
    this.virtualHosts = virtualHosts;
    this.permissions = permissions;
    this.topicPermissions = topicPermissions;
    this.parameters = parameters;
    this.globalParameters = globalParameters;
    this.policies = policies;
    this.permissionIndex = permissionIndex;
  }

  @Override
  public long version() {
    return version;
  }

  // --- reading

  @Override
  public User user(String name) {
    return users.get(name);
  }

  public List<User> users() {
    return List.copyOf(users.values());
  }

  public VirtualHostDefinition virtualHost(String name) {
    return virtualHosts.get(name);
  }

  public List<VirtualHostDefinition> virtualHosts() {
    return List.copyOf(virtualHosts.values());
  }

  /** The user's compiled permission in the vhost, or null if it has none there. */
  @Override
  public Permission permission(String user, String vhost) {
    Map<String, Permission> byVhost = permissionIndex.get(user);
    return byVhost == null ? null : byVhost.get(vhost);
  }

  public PermissionDefinition permissionDefinition(String user, String vhost) {
    Grant grant = permissions.get(new UserVhost(user, vhost));
    return grant == null ? null : grant.definition();
  }

  public List<PermissionDefinition> permissions() {
    return permissions.values().stream().map(Grant::definition).toList();
  }

  public List<TopicPermissionDefinition> topicPermissions() {
    return List.copyOf(topicPermissions.values());
  }

  public ParameterDefinition parameter(String component, String vhost, String name) {
    return parameters.get(new ParameterKey(component, vhost, name));
  }

  public List<ParameterDefinition> parameters() {
    return List.copyOf(parameters.values());
  }

  public GlobalParameterDefinition globalParameter(String name) {
    return globalParameters.get(name);
  }

  public List<GlobalParameterDefinition> globalParameters() {
    return List.copyOf(globalParameters.values());
  }

  public PolicyDefinition policy(String vhost, String name) {
    return policies.get(new PolicyKey(vhost, name));
  }

  public List<PolicyDefinition> policies() {
    return List.copyOf(policies.values());
  }

  // --- changing

  /** The state after the change; a change that finds nothing to change leaves it as it was. */
  public DefinitionsState apply(DefinitionChange change) {
    return change.applyTo(this);
  }

  DefinitionsState putUser(User user) {
    return new Builder(this).users(put(users, user.name(), user)).build();
  }

  DefinitionsState deleteUser(String name) {
    return new Builder(this)
        .users(remove(users, name))
        .permissions(removeIf(permissions, k -> k.user().equals(name)))
        .topicPermissions(removeIf(topicPermissions, k -> k.user().equals(name)))
        .build();
  }

  DefinitionsState putVirtualHost(VirtualHostDefinition virtualHost) {
    return new Builder(this)
        .virtualHosts(put(virtualHosts, virtualHost.name(), virtualHost))
        .build();
  }

  DefinitionsState deleteVirtualHost(String name) {
    return new Builder(this)
        .virtualHosts(remove(virtualHosts, name))
        .permissions(removeIf(permissions, k -> k.vhost().equals(name)))
        .topicPermissions(removeIf(topicPermissions, k -> k.vhost().equals(name)))
        .parameters(removeIf(parameters, k -> name.equals(k.vhost())))
        .policies(removeIf(policies, k -> k.vhost().equals(name)))
        .build();
  }

  DefinitionsState putPermission(PermissionDefinition p) {
    Grant grant = new Grant(p, Permission.of(p.configure(), p.write(), p.read()));
    return new Builder(this)
        .permissions(put(permissions, new UserVhost(p.user(), p.vhost()), grant))
        .build();
  }

  DefinitionsState deletePermission(String user, String vhost) {
    return new Builder(this).permissions(remove(permissions, new UserVhost(user, vhost))).build();
  }

  DefinitionsState putTopicPermission(TopicPermissionDefinition p) {
    return new Builder(this)
        .topicPermissions(put(topicPermissions, new TopicKey(p.user(), p.vhost(), p.exchange()), p))
        .build();
  }

  /** One exchange's, or with a null exchange all of the user's topic permissions in the vhost. */
  DefinitionsState deleteTopicPermission(String user, String vhost, String exchange) {
    return new Builder(this)
        .topicPermissions(
            removeIf(
                topicPermissions,
                k ->
                    k.user().equals(user)
                        && k.vhost().equals(vhost)
                        && (exchange == null || k.exchange().equals(exchange))))
        .build();
  }

  DefinitionsState putParameter(ParameterDefinition p) {
    return new Builder(this)
        .parameters(put(parameters, new ParameterKey(p.component(), p.vhost(), p.name()), p))
        .build();
  }

  DefinitionsState deleteParameter(String component, String vhost, String name) {
    return new Builder(this)
        .parameters(remove(parameters, new ParameterKey(component, vhost, name)))
        .build();
  }

  DefinitionsState putGlobalParameter(GlobalParameterDefinition p) {
    return new Builder(this).globalParameters(put(globalParameters, p.name(), p)).build();
  }

  DefinitionsState deleteGlobalParameter(String name) {
    return new Builder(this).globalParameters(remove(globalParameters, name)).build();
  }

  DefinitionsState putPolicy(PolicyDefinition p) {
    return new Builder(this).policies(put(policies, new PolicyKey(p.vhost(), p.name()), p)).build();
  }

  DefinitionsState deletePolicy(String vhost, String name) {
    return new Builder(this).policies(remove(policies, new PolicyKey(vhost, name))).build();
  }

  /** The state as a list of changes that rebuild it from {@link #EMPTY}, e.g. to compact a log. */
  public List<DefinitionChange> asChanges() {
    List<DefinitionChange> changes = new ArrayList<>();
    users.values().forEach(u -> changes.add(new PutUser(u)));
    virtualHosts.values().forEach(v -> changes.add(new PutVirtualHost(v)));
    permissions.values().forEach(g -> changes.add(new PutPermission(g.definition())));
    topicPermissions.values().forEach(p -> changes.add(new PutTopicPermission(p)));
    parameters.values().forEach(p -> changes.add(new PutParameter(p)));
    globalParameters.values().forEach(p -> changes.add(new PutGlobalParameter(p)));
    policies.values().forEach(p -> changes.add(new PutPolicy(p)));
    return changes;
  }

  /**
   * The changes that turn this state into {@code target}: deletions of what the target lacks, then
   * the target's definitions (putting what exists already changes nothing).
   */
  public List<DefinitionChange> changesTo(DefinitionsState target) {
    List<DefinitionChange> changes = new ArrayList<>();
    policies.keySet().stream()
        .filter(k -> !target.policies.containsKey(k))
        .forEach(k -> changes.add(new DefinitionChange.DeletePolicy(k.vhost(), k.name())));
    parameters.keySet().stream()
        .filter(k -> !target.parameters.containsKey(k))
        .forEach(
            k ->
                changes.add(
                    new DefinitionChange.DeleteParameter(k.component(), k.vhost(), k.name())));
    globalParameters.keySet().stream()
        .filter(k -> !target.globalParameters.containsKey(k))
        .forEach(k -> changes.add(new DefinitionChange.DeleteGlobalParameter(k)));
    topicPermissions.keySet().stream()
        .filter(k -> !target.topicPermissions.containsKey(k))
        .forEach(
            k ->
                changes.add(
                    new DefinitionChange.DeleteTopicPermission(k.user(), k.vhost(), k.exchange())));
    permissions.keySet().stream()
        .filter(k -> !target.permissions.containsKey(k))
        .forEach(k -> changes.add(new DefinitionChange.DeletePermission(k.user(), k.vhost())));
    virtualHosts.keySet().stream()
        .filter(k -> !target.virtualHosts.containsKey(k))
        .forEach(k -> changes.add(new DefinitionChange.DeleteVirtualHost(k)));
    users.keySet().stream()
        .filter(k -> !target.users.containsKey(k))
        .forEach(k -> changes.add(new DefinitionChange.DeleteUser(k)));
    changes.addAll(target.asChanges());
    return changes;
  }

  private static <K, V> Map<K, V> put(Map<K, V> map, K key, V value) {
    Map<K, V> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return Collections.unmodifiableMap(copy);
  }

  private static <K, V> Map<K, V> remove(Map<K, V> map, K key) {
    if (!map.containsKey(key)) {
      return map;
    }
    Map<K, V> copy = new LinkedHashMap<>(map);
    copy.remove(key);
    return Collections.unmodifiableMap(copy);
  }

  private static <K, V> Map<K, V> removeIf(Map<K, V> map, Predicate<K> doomed) {
    if (map.keySet().stream().noneMatch(doomed)) {
      return map;
    }
    Map<K, V> copy = new LinkedHashMap<>(map);
    copy.keySet().removeIf(doomed);
    return Collections.unmodifiableMap(copy);
  }

  /** Copies a state, replaces what a change touched, and counts the change. */
  private static final class Builder {
    private final DefinitionsState from;
    private Map<String, User> users;
    private Map<String, VirtualHostDefinition> virtualHosts;
    private Map<UserVhost, Grant> permissions;
    private Map<TopicKey, TopicPermissionDefinition> topicPermissions;
    private Map<ParameterKey, ParameterDefinition> parameters;
    private Map<String, GlobalParameterDefinition> globalParameters;
    private Map<PolicyKey, PolicyDefinition> policies;

    Builder(DefinitionsState from) {
      this.from = from;
      users = from.users;
      virtualHosts = from.virtualHosts;
      permissions = from.permissions;
      topicPermissions = from.topicPermissions;
      parameters = from.parameters;
      globalParameters = from.globalParameters;
      policies = from.policies;
    }

    Builder users(Map<String, User> value) {
      users = value;
      return this;
    }

    Builder virtualHosts(Map<String, VirtualHostDefinition> value) {
      virtualHosts = value;
      return this;
    }

    Builder permissions(Map<UserVhost, Grant> value) {
      permissions = value;
      return this;
    }

    Builder topicPermissions(Map<TopicKey, TopicPermissionDefinition> value) {
      topicPermissions = value;
      return this;
    }

    Builder parameters(Map<ParameterKey, ParameterDefinition> value) {
      parameters = value;
      return this;
    }

    Builder globalParameters(Map<String, GlobalParameterDefinition> value) {
      globalParameters = value;
      return this;
    }

    Builder policies(Map<PolicyKey, PolicyDefinition> value) {
      policies = value;
      return this;
    }

    DefinitionsState build() {
      Map<String, Map<String, Permission>> index =
          permissions == from.permissions ? from.permissionIndex : index(permissions);
      return new DefinitionsState(
          from.version + 1,
          users,
          virtualHosts,
          permissions,
          topicPermissions,
          parameters,
          globalParameters,
          policies,
          index);
    }

    private static Map<String, Map<String, Permission>> index(Map<UserVhost, Grant> permissions) {
      Map<String, Map<String, Permission>> index = new java.util.HashMap<>();
      permissions.forEach(
          (key, grant) ->
              index
                  .computeIfAbsent(key.user(), u -> new java.util.HashMap<>())
                  .put(key.vhost(), grant.permission()));
      return index;
    }
  }
}
