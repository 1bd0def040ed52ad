package dev.warren.broker.definitions;

import dev.warren.broker.security.User;

/**
 * One change to the runtime definitions, as it is journaled and replayed. Applying a change is
 * total (see {@link DefinitionsState#apply}): whatever could be refused was checked before it was
 * journaled, so a replay never fails. Deleting a user or a virtual host also deletes what refers to
 * it (permissions; a vhost's parameters and policies).
 */
public sealed interface DefinitionChange {

  /** The state after this change. */
  DefinitionsState applyTo(DefinitionsState state);

  record PutUser(User user) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putUser(user);
    }
  }

  record DeleteUser(String name) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deleteUser(name);
    }
  }

  record PutVirtualHost(VirtualHostDefinition virtualHost) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putVirtualHost(virtualHost);
    }
  }

  record DeleteVirtualHost(String name) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deleteVirtualHost(name);
    }
  }

  record PutPermission(PermissionDefinition permission) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putPermission(permission);
    }
  }

  record DeletePermission(String user, String vhost) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deletePermission(user, vhost);
    }
  }

  record PutTopicPermission(TopicPermissionDefinition permission) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putTopicPermission(permission);
    }
  }

  /** Deletes one exchange's topic permission, or all of the user's in the vhost if null. */
  record DeleteTopicPermission(String user, String vhost, String exchange)
      implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deleteTopicPermission(user, vhost, exchange);
    }
  }

  record PutParameter(ParameterDefinition parameter) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putParameter(parameter);
    }
  }

  record DeleteParameter(String component, String vhost, String name) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deleteParameter(component, vhost, name);
    }
  }

  record PutGlobalParameter(GlobalParameterDefinition parameter) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putGlobalParameter(parameter);
    }
  }

  record DeleteGlobalParameter(String name) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deleteGlobalParameter(name);
    }
  }

  record PutPolicy(PolicyDefinition policy) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.putPolicy(policy);
    }
  }

  record DeletePolicy(String vhost, String name) implements DefinitionChange {
    @Override
    public DefinitionsState applyTo(DefinitionsState state) {
      return state.deletePolicy(vhost, name);
    }
  }
}
