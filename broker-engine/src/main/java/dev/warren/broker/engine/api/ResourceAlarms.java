package dev.warren.broker.engine.api;

/**
 * The broker's resource alarms (memory high watermark, free disk limit). While one is raised,
 * connections that publish are blocked, as RabbitMQ does; consumers keep draining.
 */
public interface ResourceAlarms {

  /** Alarms that never go off, for brokers without a monitor. */
  ResourceAlarms NONE =
      new ResourceAlarms() {
        @Override
        public String blockReason() {
          return null;
        }

        @Override
        public AutoCloseable subscribe(Runnable listener) {
          return () -> {};
        }
      };

  /** Why publishing is blocked now (RabbitMQ's texts: "low on memory", "low on disk"), or null. */
  String blockReason();

  /**
   * Calls {@code listener} on a monitor thread whenever {@link #blockReason} changes.
   *
   * @return closing it unsubscribes
   */
  AutoCloseable subscribe(Runnable listener);
}
