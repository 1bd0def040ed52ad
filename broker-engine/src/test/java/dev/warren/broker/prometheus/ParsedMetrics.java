package dev.warren.broker.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A scrape as a real Prometheus parser reads it: the official Python client's (Debian's
 * python3-prometheus-client, run by {@code /usr/bin/python3}). A scrape it cannot parse fails the
 * test.
 */
final class ParsedMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One sample: its full name (with {@code _total}, {@code _bucket}, ...), labels and value. */
  record Sample(
      String family, String type, String name, Map<String, String> labels, double value) {}

  private final Map<String, String> typeByFamily = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private ParsedMetrics(JsonNode families) {
    for (JsonNode family : families) {
      String name = family.get("name").asText();
      String type = family.get("type").asText();
      typeByFamily.put(name, type);
      for (JsonNode sample : family.get("samples")) {
        Map<String, String> labels = new LinkedHashMap<>();
        sample
            .get("labels")
            .fields()
            .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        samples.add(
            new Sample(
                name, type, sample.get("name").asText(), labels, sample.get("value").asDouble()));
      }
    }
  }

  static ParsedMetrics parse(String exposition) {
    try {
      Path script = Files.createTempFile("parse_metrics", ".py");
      try (InputStream in =
          ParsedMetrics.class.getResourceAsStream("/prometheus/parse_metrics.py")) {
        Files.write(script, in.readAllBytes());
      }
      Process python =
          new ProcessBuilder("/usr/bin/python3", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      python.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
      python.getOutputStream().close();
      byte[] out = python.getInputStream().readAllBytes();
      if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
        throw new AssertionError("the Prometheus parser refused the scrape:\n" + exposition);
      }
      Files.delete(script);
      return new ParsedMetrics(JSON.readTree(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Family names (counters without {@code _total}) and their types. */
  Map<String, String> families() {
    return typeByFamily;
  }

  /**
   * Every sample of a family (a counter's {@code _total}, a histogram's buckets, sum and count).
   */
  List<Sample> familySamples(String family) {
    return samples.stream().filter(s -> s.family().equals(family)).toList();
  }

  List<Sample> samples(String sampleName) {
    return samples.stream().filter(s -> s.name().equals(sampleName)).toList();
  }

  /** The label names of a sample name's series, each set sorted. */
  Set<Set<String>> labelNames(String sampleName) {
    Set<Set<String>> sets = new java.util.HashSet<>();
    samples(sampleName).forEach(s -> sets.add(new TreeSet<>(s.labels().keySet())));
    return sets;
  }

  /** The one sample of that name whose labels include {@code labels} (pairs of name and value). */
  double value(String sampleName, String... labels) {
    List<Sample> matching =
        samples(sampleName).stream()
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          matching.size()
              + " samples "
              + sampleName
              + " "
              + List.of(labels)
              + " in "
              + samples(sampleName));
    }
    return matching.get(0).value();
  }
}
