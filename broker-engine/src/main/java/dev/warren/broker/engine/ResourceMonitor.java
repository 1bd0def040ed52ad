package dev.warren.broker.engine;

import dev.warren.broker.concurrent.DaemonThreads;
import dev.warren.broker.engine.api.NodeResources;
import dev.warren.broker.engine.api.ResourceAlarms;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Watches heap and disk and raises RabbitMQ's two resource alarms. Memory counts what the heap
 * holds after a garbage collection (what is in use now includes garbage), so the alarm goes off
 * only for live data; disk is the free space of the data directory's file system.
 */
final class ResourceMonitor implements ResourceAlarms, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResourceMonitor.class.getName());
  static final String LOW_ON_MEMORY = "low on memory";
  static final String LOW_ON_DISK = "low on disk";
  private static final long CHECK_MILLIS = 250;
  private static final long COLLECT_WHILE_RAISED_MILLIS = 2_000;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long memoryLimit;
  private final long diskFreeLimit;
  private final FileStore disk;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = DaemonThreads.scheduler("warren-resource-monitor");
  private final NotificationListener afterCollection = (notification, handback) -> onCollection();

  private volatile boolean memoryAlarm;
  private volatile boolean diskAlarm;
  private volatile long usedAfterCollection;
  private long lastExplicitCollection;

  private ResourceMonitor(long memoryLimit, long diskFreeLimit, FileStore disk) {
    this.memoryLimit = memoryLimit;
    this.diskFreeLimit = diskFreeLimit;
    this.disk = disk;
  }

  /**
   * @param memoryHighWatermark fraction of the maximum heap
   * @param diskFreeLimitBytes minimum free space on the data directory's file system
   */
  static ResourceMonitor start(Path dataDir, double memoryHighWatermark, long diskFreeLimitBytes) {
    FileStore disk;
    try {
      disk = Files.getFileStore(Files.createDirectories(dataDir));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot watch free disk space of " + dataDir, e);
      disk = null;
    }
    long limit = (long) (Runtime.getRuntime().maxMemory() * memoryHighWatermark);
    ResourceMonitor monitor = new ResourceMonitor(limit, diskFreeLimitBytes, disk);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(monitor.afterCollection, null, null);
      }
    }
    monitor.timer.scheduleWithFixedDelay(
        monitor::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    return monitor;
  }

  @Override
  public String blockReason() {
    return memoryAlarm ? LOW_ON_MEMORY : diskAlarm ? LOW_ON_DISK : null;
  }

  /** Memory and disk against their limits now, for listings. */
  NodeResources resources() {
    return new NodeResources(
        Math.max(usedAfterCollection, 0),
        memoryLimit,
        memoryAlarm,
        disk == null ? -1 : usableSpace(),
        diskFreeLimit,
        diskAlarm);
  }

  @Override
  public AutoCloseable subscribe(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void onCollection() {
    usedAfterCollection = memory.getHeapMemoryUsage().getUsed();
    if (!memoryAlarm && usedAfterCollection > memoryLimit) {
      timer.execute(this::check);
    }
  }

  private void check() {
    String before = blockReason();
    if (!memoryAlarm) {
      memoryAlarm = usedAfterCollection > memoryLimit;
    } else {
      // Blocked publishers allocate nothing; an explicit collection tells live data from garbage
      // that no young collection would reclaim.
      long now = System.currentTimeMillis();
      if (now - lastExplicitCollection > COLLECT_WHILE_RAISED_MILLIS) {
        lastExplicitCollection = now;
        System.gc();
      }
      memoryAlarm = memory.getHeapMemoryUsage().getUsed() > memoryLimit;
    }
    diskAlarm = disk != null && usableSpace() < diskFreeLimit;
    String after = blockReason();
    if (!java.util.Objects.equals(before, after)) {
      LOG.log(
          after == null ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          after == null
              ? "Resource alarm cleared; publishers unblocked"
              : "Resource alarm: " + after + "; blocking publishers");
      listeners.forEach(ResourceMonitor::notifySafely);
    }
  }

  private long usableSpace() {
    try {
      return disk.getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void notifySafely(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Resource alarm listener failed", e);
    }
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(afterCollection);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // never added to this collector
        }
      }
    }
    timer.shutdownNow();
  }
}
