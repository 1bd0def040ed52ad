package dev.warren.broker.engine;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionsDocument;
import dev.warren.broker.definitions.PermissionDefinition;
import dev.warren.broker.definitions.VirtualHostDefinition;
import dev.warren.broker.security.User;
import java.util.ArrayList;
import java.util.List;

/** The definitions a fresh broker starts with. */
final class BootDefinitions {
  private static final String DEFAULT_VHOST = "/";

  private BootDefinitions() {}

  /**
   * What a fresh broker starts with: RabbitMQ's defaults (vhost "/" and the default user with all
   * permissions there, if there is one), or, with a definitions file, that file's definitions
   * instead.
   *
   * @param file the definitions file, or null
   */
  static List<DefinitionChange> initial(BrokerConfig config, DefinitionsDocument file) {
    if (file != null) {
      return file.changes();
    }
    List<DefinitionChange> changes = new ArrayList<>();
    changes.add(
        new DefinitionChange.PutVirtualHost(
            new VirtualHostDefinition(
                DEFAULT_VHOST, "Default virtual host", List.of(), null, false)));
    if (config.defaultUser() != null) {
      changes.add(
          new DefinitionChange.PutUser(
              User.withPassword(
                  config.defaultUser(), config.defaultPassword(), List.of("administrator"))));
      changes.add(
          new DefinitionChange.PutPermission(
              new PermissionDefinition(config.defaultUser(), DEFAULT_VHOST, ".*", ".*", ".*")));
    }
    return changes;
  }
}
