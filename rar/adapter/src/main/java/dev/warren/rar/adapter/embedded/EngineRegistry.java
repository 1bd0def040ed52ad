package dev.warren.rar.adapter.embedded;

import dev.warren.broker.engine.BrokerEngine;
import dev.warren.broker.engine.api.StoredMessageId;
import dev.warren.rar.adapter.AdapterConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One running engine per data directory, however many adapter instances the server creates (WildFly
 * starts one per connection-factory definition). The last release closes the engine.
 */
final class EngineRegistry {
  private static final System.Logger LOG = System.getLogger(EngineRegistry.class.getName());
  private static final Map<Path, Shared> ENGINES = new HashMap<>();

  private record Shared(BrokerEngine engine, int users) {}

  private EngineRegistry() {}

  static synchronized BrokerEngine acquire(AdapterConfig config, Collection<StoredMessageId> hold) {
    Path key = config.dataDirectory().toAbsolutePath().normalize();
    Shared shared = ENGINES.get(key);
    if (shared == null) {
      shared = new Shared(BrokerEngine.start(config.toBrokerConfig().withDataDir(key), hold), 0);
      LOG.log(System.Logger.Level.INFO, "Warren engine started on data directory {0}", key);
    }
    ENGINES.put(key, new Shared(shared.engine(), shared.users() + 1));
    return shared.engine();
  }

  static synchronized void release(BrokerEngine engine) {
    Path key = engine.config().dataDir();
    Shared shared = ENGINES.get(key);
    if (shared == null || shared.engine() != engine) {
      return;
    }
    if (shared.users() > 1) {
      ENGINES.put(key, new Shared(engine, shared.users() - 1));
      return;
    }
    ENGINES.remove(key);
    engine.close();
    LOG.log(System.Logger.Level.INFO, "Warren engine on {0} stopped", key);
  }
}
