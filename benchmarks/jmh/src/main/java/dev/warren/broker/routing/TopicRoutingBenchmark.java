package dev.warren.broker.routing;

import java.util.ArrayList;
import java.util.List;
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
 * Topic routing of one message against a table of market-data bindings, with a routing key that
 * matches one or two of them (its symbol's own binding, and {@code stock.*.nyse} for NYSE keys).
 * {@code trie} is {@link TopicRouter}; {@code naiveScan} tests every binding key in turn, the
 * obvious implementation the trie replaces.
 *
 * <p>Per symbol {@code i} the table holds {@code stock.<sym>.<venue>} (seven in ten), {@code
 * stock.<sym>.*} (two in ten) or {@code stock.<sym>.#} (one in ten), plus {@code stock.*.nyse} and
 * {@code #.halted} once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TopicRoutingBenchmark {
  /** Routing keys cycled through, so that one hot path does not flatter the branch predictor. */
  private static final int KEYS = 1024;

  @Param({"10", "1000", "100000"})
  public int bindings;

  private final TopicRouter<String> router = new TopicRouter<>();
  private final List<String[]> scanKeys = new ArrayList<>();
  private final List<String> scanDestinations = new ArrayList<>();
  private String[] routingKeys;

  @Setup(Level.Trial)
  public void setUp() {
    for (int i = 0; i < bindings; i++) {
      String symbol = MarketData.symbol(i);
      String key =
          switch (i % 10) {
            case 7, 8 -> "stock." + symbol + ".*";
            case 9 -> "stock." + symbol + ".#";
            default -> "stock." + symbol + "." + MarketData.venue(i);
          };
      bind(key, "q-" + i);
    }
    bind("stock.*.nyse", "q-nyse");
    bind("#.halted", "q-halted");
    routingKeys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      int target = (int) ((long) i * 7919 % bindings);
      routingKeys[i] = "stock." + MarketData.symbol(target) + "." + MarketData.venue(target);
    }
    Cursor probe = new Cursor();
    int trieMatches = trie(probe);
    probe.next = 0;
    int scanMatches = naiveScan(probe);
    if (trieMatches == 0 || trieMatches != scanMatches) {
      throw new IllegalStateException(
          "trie matched " + trieMatches + ", scan " + scanMatches + " for " + routingKeys[1]);
    }
  }

  private void bind(String key, String destination) {
    router.bind(new Binding<>(key, Map.of(), destination));
    scanKeys.add(TopicRouter.words(key));
    scanDestinations.add(destination);
  }

  @State(Scope.Thread)
  public static class Cursor {
    final MatchCounter counter = new MatchCounter();
    int next;

    String nextKey(String[] keys) {
      next = (next + 1) & (KEYS - 1);
      counter.matches = 0;
      return keys[next];
    }
  }

  /** Returns the number of matches. */
  @Benchmark
  public int trie(Cursor cursor) {
    router.route(cursor.nextKey(routingKeys), null, cursor.counter);
    return cursor.counter.matches;
  }

  /** Returns the number of matches. */
  @Benchmark
  public int naiveScan(Cursor cursor) {
    String[] words = TopicRouter.words(cursor.nextKey(routingKeys));
    for (int i = 0; i < scanKeys.size(); i++) {
      if (matches(scanKeys.get(i), 0, words, 0)) {
        cursor.counter.accept(scanDestinations.get(i));
      }
    }
    return cursor.counter.matches;
  }

  /** Binding-key words from {@code p} against routing-key words from {@code w}. */
  private static boolean matches(String[] pattern, int p, String[] words, int w) {
    if (p == pattern.length) {
      return w == words.length;
    }
    if (pattern[p].equals("#")) {
      for (int skip = w; skip <= words.length; skip++) {
        if (matches(pattern, p + 1, words, skip)) {
          return true;
        }
      }
      return false;
    }
    return w < words.length
        && (pattern[p].equals("*") || pattern[p].equals(words[w]))
        && matches(pattern, p + 1, words, w + 1);
  }
}
