package dev.warren.broker.prometheus;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric families of one scrape, collected by name: each name is one family of one type whose
 * samples (one per label set) are added as the broker's objects are visited. Names are given as
 * RabbitMQ writes them; a counter's {@code _total} is the exposition format's to add.
 */
final class Families {
  private enum Type {
    GAUGE,
    COUNTER,
    UNTYPED
  }

  private record Family(Type type, String help, List<Sample> samples) {}

  private record Sample(Labels labels, double value) {}

  private final Map<String, Family> byName = new LinkedHashMap<>();
  private final List<MetricSnapshot> others = new ArrayList<>();

  void gauge(String name, String help, double value, String... labels) {
    add(Type.GAUGE, name, help, value, labels);
  }

  /** {@code name} without its {@code _total}. */
  void counter(String name, String help, double value, String... labels) {
    add(Type.COUNTER, name, help, value, labels);
  }

  /** RabbitMQ's info metrics (identity, build) are untyped samples of value 1. */
  void info(String name, String help, String... labels) {
    untyped(name, help, 1, labels);
  }

  /** What RabbitMQ leaves untyped (its alarm flags, its info metrics). */
  void untyped(String name, String help, double value, String... labels) {
    add(Type.UNTYPED, name, help, value, labels);
  }

  /** A family built elsewhere (the message size histogram, the JVM's). */
  void add(MetricSnapshot snapshot) {
    others.add(snapshot);
  }

  private void add(Type type, String name, String help, double value, String... labels) {
    Family family = byName.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()));
    if (family.type() != type) {
      throw new IllegalStateException(name + " is a " + family.type() + ", not a " + type);
    }
    family.samples().add(new Sample(Labels.of(labels), value));
  }

  List<MetricSnapshot> snapshots() {
    List<MetricSnapshot> snapshots = new ArrayList<>();
    byName.forEach((name, family) -> snapshots.add(snapshot(name, family)));
    snapshots.addAll(others);
    return snapshots;
  }

  private static MetricSnapshot snapshot(String name, Family family) {
    return switch (family.type()) {
      case GAUGE -> {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(family.help());
        family
            .samples()
            .forEach(
                s ->
                    builder.dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(s.labels())
                            .value(s.value())
                            .build()));
        yield builder.build();
      }
      case COUNTER -> {
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(family.help());
        family
            .samples()
            .forEach(
                s ->
                    builder.dataPoint(
                        CounterDataPointSnapshot.builder()
                            .labels(s.labels())
                            .value(s.value())
                            .build()));
        yield builder.build();
      }
      case UNTYPED -> {
        UnknownSnapshot.Builder builder = UnknownSnapshot.builder().name(name).help(family.help());
        family
            .samples()
            .forEach(
                s ->
                    builder.dataPoint(
                        UnknownDataPointSnapshot.builder()
                            .labels(s.labels())
                            .value(s.value())
                            .build()));
        yield builder.build();
      }
    };
  }
}
