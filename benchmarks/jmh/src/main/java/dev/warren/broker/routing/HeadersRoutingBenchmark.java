package dev.warren.broker.routing;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Headers routing of one message with three headers ({@code sym}, {@code venue}, {@code side})
 * against bindings that each name one symbol. With {@code x-match=all} a binding wants its {@code
 * sym} and {@code venue}; with {@code any} its {@code sym} or an {@code isin} no message carries.
 * Either way the message matches exactly one binding, and every binding is tested: the headers
 * router has no index.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadersRoutingBenchmark {
  private static final int MESSAGES = 1024;

  @Param({"10", "1000"})
  public int bindings;

  @Param({"all", "any"})
  public String match;

  private final HeadersRouter<String> router = new HeadersRouter<>();
  private Map<String, Object>[] headers;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    for (int i = 0; i < bindings; i++) {
      String symbol = MarketData.symbol(i);
      Map<String, Object> arguments =
          match.equals("all")
              ? Map.of("x-match", "all", "sym", symbol, "venue", MarketData.venue(i))
              : Map.of("x-match", "any", "sym", symbol, "isin", "US" + (1_000_000 + i));
      router.bind(new Binding<>("", arguments, "q-" + i));
    }
    headers = new Map[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      int target = (int) ((long) i * 7919 % bindings);
      headers[i] =
          Map.of(
              "sym", MarketData.symbol(target), "venue", MarketData.venue(target), "side", "buy");
    }
    int matches = route(new Cursor());
    if (matches != 1) {
      throw new IllegalStateException("expected one matching binding, got " + matches);
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    final MatchCounter counter = new MatchCounter();
    int next;
  }

  /** Returns the number of matches. */
  @Benchmark
  public int route(Cursor cursor) {
    cursor.next = (cursor.next + 1) & (MESSAGES - 1);
    cursor.counter.matches = 0;
    router.route("", headers[cursor.next], cursor.counter);
    return cursor.counter.matches;
  }
}
