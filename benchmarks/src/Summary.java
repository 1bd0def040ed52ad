import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns one benchmark run directory (PerfTest CSVs named {@code <scenario>-<broker>-r<round>.csv},
 * {@code measurements.tsv} from run.sh, {@code run.properties}) into the Markdown comparison table.
 *
 * <p>Runs as a single-file source program ({@code java Summary.java <results-dir>}) so the harness
 * needs no build of its own.
 */
public final class Summary {

  private static final Pattern RUN_CSV = Pattern.compile("([sq]\\d)-(rabbitmq|warren)-r(\\d+)\\.csv");
  private static final String RABBITMQ = "rabbitmq";
  private static final String WARREN = "warren";

  /** PerfTest's per-second samples of one run, warm-up and the last (drain) sample removed. */
  record Sample(double received, double p50, double p95, double p99) {}

  record Run(String scenario, String broker, int round, List<Sample> steady) {
    double receivedRate() {
      return steady.stream().mapToDouble(Sample::received).average().orElse(Double.NaN);
    }

    double latency(ToDoubleFunction<Sample> percentile) {
      return median(steady.stream().mapToDouble(percentile).toArray());
    }
  }

  /**
   * One line of measurements.tsv: scenario, broker, round, kind, then three kind-specific values.
   */
  record Measurement(String scenario, String broker, int round, String kind, double[] values) {}

  private final Properties properties;
  private final Map<String, Run> runs = new TreeMap<>();
  private final List<Measurement> measurements;

  private Summary(Path dir) throws IOException {
    properties = new Properties();
    try (var reader = Files.newBufferedReader(dir.resolve("run.properties"))) {
      properties.load(reader);
    }
    int warmup = Integer.parseInt(properties.getProperty("warmup", "5"));
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        Matcher m = RUN_CSV.matcher(file.getFileName().toString());
        if (m.matches()) {
          var run =
              new Run(m.group(1), m.group(2), Integer.parseInt(m.group(3)), steady(file, warmup));
          runs.put(key(run.scenario(), run.broker(), run.round()), run);
        }
      }
    }
    Path tsv = dir.resolve("measurements.tsv");
    measurements =
        Files.exists(tsv)
            ? Files.readAllLines(tsv).stream().map(Summary::measurement).toList()
            : List.of();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java Summary.java <results-dir>");
      System.exit(2);
    }
    new Summary(Path.of(args[0])).print();
  }

  private static List<Sample> steady(Path csv, int warmup) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.size() < 2) {
      return List.of();
    }
    List<String> header = Arrays.asList(lines.get(0).split(",", -1));
    int time = header.indexOf("time (s)");
    int received = header.indexOf("received (msg/s)");
    int p50 = header.indexOf("median consumer latency (µs)");
    int p95 = header.indexOf("95th p. consumer latency (µs)");
    int p99 = header.indexOf("99th p. consumer latency (µs)");
    List<Sample> samples = new ArrayList<>();
    // The last sample may straddle the end of the timed run, so it is dropped with the warm-up.
    for (String line : lines.subList(1, lines.size() - 1)) {
      String[] cells = line.split(",", -1);
      if (Double.parseDouble(cells[time]) > warmup) {
        samples.add(
            new Sample(
                number(cells[received]),
                number(cells[p50]),
                number(cells[p95]),
                number(cells[p99])));
      }
    }
    return samples;
  }

  private static double number(String cell) {
    return cell.isBlank() ? Double.NaN : Double.parseDouble(cell);
  }

  private static Measurement measurement(String line) {
    String[] cells = line.split("\t");
    double[] values =
        Arrays.stream(cells, 4, cells.length).mapToDouble(Double::parseDouble).toArray();
    return new Measurement(cells[0], cells[1], Integer.parseInt(cells[2]), cells[3], values);
  }

  private static String key(String scenario, String broker, int round) {
    return scenario + "/" + broker + "/" + round;
  }

  private static double median(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Per-run values of one metric for one broker, in round order. */
  private double[] perRun(String scenario, String broker, ToDoubleFunction<Run> metric) {
    return runs.values().stream()
        .filter(
            r ->
                r.scenario().equals(scenario) && r.broker().equals(broker) && !r.steady().isEmpty())
        .mapToDouble(metric)
        .toArray();
  }

  private double[] memoryPerConnection(String broker) {
    return measurements.stream()
        .filter(m -> m.scenario().equals("s6") && m.broker().equals(broker) && m.values()[2] > 0)
        .mapToDouble(m -> (m.values()[1] - m.values()[0]) / m.values()[2])
        .toArray();
  }

  private double[] cpuPerMessage(String broker) {
    return measurements.stream()
        .filter(m -> m.scenario().equals("s7") && m.broker().equals(broker))
        .mapToDouble(
            m ->
                cpuMicrosPerMessage(m, Optional.ofNullable(runs.get(key("s7", broker, m.round())))))
        .filter(v -> !Double.isNaN(v))
        .toArray();
  }

  private static double cpuMicrosPerMessage(Measurement m, Optional<Run> run) {
    double cpuSeconds = m.values()[0] / m.values()[1];
    double messages = run.map(Run::receivedRate).orElse(Double.NaN) * m.values()[2];
    return messages > 0 ? cpuSeconds * 1e6 / messages : Double.NaN;
  }

  private int connectionsReached(String broker) {
    return (int)
        measurements.stream()
            .filter(m -> m.scenario().equals("s6") && m.broker().equals(broker))
            .mapToDouble(m -> m.values()[2])
            .min()
            .orElse(0);
  }

  /** Which way the ratio must go to meet a target: at least (throughput) or at most (costs). */
  enum Goal {
    AT_LEAST("≥"),
    AT_MOST("≤"),
    NONE("");

    final String sign;

    Goal(String sign) {
      this.sign = sign;
    }
  }

  private final List<String> rows = new ArrayList<>();

  private void row(
      String scenario, String metric, double[] rabbit, double[] warren, Goal goal, double target) {
    double ratio = median(warren) / median(rabbit);
    String targetCell =
        goal == Goal.NONE ? "" : String.format(Locale.ROOT, "%s %.1f×", goal.sign, target);
    String met;
    if (goal == Goal.NONE || Double.isNaN(ratio)) {
      met = "";
    } else if (scenario.equals("s2") && warrenS2NotDurable()) {
      // In-memory against on-disk: a ratio, but not one that says anything about the target.
      met = "not comparable";
    } else {
      met = (goal == Goal.AT_LEAST ? ratio >= target : ratio <= target) ? "yes" : "no";
    }
    rows.add(
        String.join(
            " | ",
            "| " + scenario,
            metric,
            cell(rabbit),
            cell(warren),
            format(ratio, "×"),
            targetCell,
            met + " |"));
  }

  private static String cell(double[] values) {
    if (values.length == 0) {
      return "n/a";
    }
    double min = Arrays.stream(values).min().orElseThrow();
    double max = Arrays.stream(values).max().orElseThrow();
    return format(median(values), "")
        + " ("
        + format(min, "")
        + "–"
        + format(max, "")
        + ", n="
        + values.length
        + ")";
  }

  private static String format(double value, String unit) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f%s", value, unit);
    }
    return String.format(Locale.ROOT, "%.2f%s", value, unit);
  }

  private void throughputRow(String scenario, String label, Goal goal, double target) {
    row(
        scenario,
        label,
        perRun(scenario, RABBITMQ, Run::receivedRate),
        perRun(scenario, WARREN, Run::receivedRate),
        goal,
        target);
  }

  private void latencyRows(String scenario, Goal p99Goal, double p99Target) {
    row(
        scenario,
        "p50 latency µs",
        perRun(scenario, RABBITMQ, r -> r.latency(Sample::p50)),
        perRun(scenario, WARREN, r -> r.latency(Sample::p50)),
        Goal.NONE,
        0);
    row(
        scenario,
        "p95 latency µs",
        perRun(scenario, RABBITMQ, r -> r.latency(Sample::p95)),
        perRun(scenario, WARREN, r -> r.latency(Sample::p95)),
        Goal.NONE,
        0);
    row(
        scenario,
        "p99 latency µs",
        perRun(scenario, RABBITMQ, r -> r.latency(Sample::p99)),
        perRun(scenario, WARREN, r -> r.latency(Sample::p99)),
        p99Goal,
        p99Target);
  }

  private boolean warrenS2NotDurable() {
    return Boolean.parseBoolean(properties.getProperty("warren_s2_not_durable"));
  }

  private void print() {
    String s2Label =
        warrenS2NotDurable() ? "received msg/s (Warren: not durable yet)" : "received msg/s";
    throughputRow("s1", "received msg/s", Goal.AT_LEAST, 2.0);
    throughputRow("s2", s2Label, Goal.AT_LEAST, 2.0);
    throughputRow("s3", "received msg/s (all 10 queues)", Goal.AT_LEAST, 2.0);
    throughputRow("s4", "received msg/s (all 10 queues)", Goal.AT_LEAST, 2.0);
    throughputRow("s5", "received msg/s (fixed 1,000)", Goal.NONE, 0);
    latencyRows("s5", Goal.AT_MOST, 1.0);
    row(
        "s6",
        "RSS KiB per connection",
        memoryPerConnection(RABBITMQ),
        memoryPerConnection(WARREN),
        Goal.AT_MOST,
        0.5);
    throughputRow("s7", "received msg/s (fixed 10,000)", Goal.NONE, 0);
    row(
        "s7",
        "broker CPU µs per message",
        cpuPerMessage(RABBITMQ),
        cpuPerMessage(WARREN),
        Goal.AT_MOST,
        0.5);
    latencyRows("s7", Goal.NONE, 0);
    throughputRow("q1", "received msg/s (3-node clusters, quorum queue)", Goal.AT_LEAST, 2.0);
    latencyRows("q1", Goal.AT_MOST, 1.0);

    System.out.println(
        "| Scenario | Metric | RabbitMQ median (min–max, runs) | Warren median (min–max, runs) |"
            + " Warren/RabbitMQ | Target | Met |");
    System.out.println("|---|---|---|---|---|---|---|");
    List<String> selected = Arrays.asList(properties.getProperty("scenarios", "").split(","));
    rows.stream().filter(r -> selected.contains(r.substring(2, 4))).forEach(System.out::println);
    System.out.println();
    System.out.println(footnote(selected));
  }

  /** Latency and CPU per message only describe the broker while it keeps up with the rate. */
  private Optional<String> fixedRateWarning(List<String> selected, String scenario, int rate) {
    if (!selected.contains(scenario)) {
      return Optional.empty();
    }
    List<String> behind = new ArrayList<>();
    for (String broker : List.of(RABBITMQ, WARREN)) {
      double received = median(perRun(scenario, broker, Run::receivedRate));
      if (received < 0.95 * rate) {
        behind.add(String.format(Locale.ROOT, "%s received %,.0f", broker, received));
      }
    }
    return behind.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.format(
                Locale.ROOT,
                "Warning: %s did not keep up with its fixed rate of %,d msg/s (%s); its latency"
                    + " and CPU figures describe an overloaded broker or machine.",
                scenario,
                rate,
                String.join(", ", behind)));
  }

  private String footnote(List<String> selected) {
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            "Rounds %s, %s s per run, first %s s of per-second samples and the last sample"
                + " discarded; RabbitMQ %s, PerfTest %s, %s CPUs (%s), %s MB RAM, Warren JVM"
                + " options `%s`, Warren jar built %s (repository at %s).",
            properties.getProperty("rounds"),
            properties.getProperty("duration"),
            properties.getProperty("warmup"),
            properties.getProperty("rabbitmq_version"),
            properties.getProperty("perftest_version"),
            properties.getProperty("cpus"),
            properties.getProperty("cpu_model"),
            properties.getProperty("memory_mb"),
            properties.getProperty("warren_java_opts"),
            properties.getProperty("warren_jar_built"),
            properties.getProperty("git_head")));
    fixedRateWarning(selected, "s5", 1_000).ifPresent(notes::add);
    fixedRateWarning(selected, "s7", 10_000).ifPresent(notes::add);
    if (selected.contains("s6")) {
      notes.add(
          String.format(
              "s6 connections open when memory was read (fewest over rounds): RabbitMQ %d, Warren"
                  + " %d.",
              connectionsReached(RABBITMQ), connectionsReached(WARREN)));
    }
    return notes.stream().collect(Collectors.joining("\n"));
  }
}
