package dev.warren.broker.routing;

import java.util.function.Consumer;

/**
 * The sink routing benchmarks hand to a router: it counts matches, which the benchmark returns so
 * that the routing cannot be optimised away, and (unlike a bound method reference per call) it
 * allocates nothing, so that allocation figures are the router's own.
 */
final class MatchCounter implements Consumer<String> {
  int matches;

  @Override
  public void accept(String destination) {
    matches++;
  }
}
