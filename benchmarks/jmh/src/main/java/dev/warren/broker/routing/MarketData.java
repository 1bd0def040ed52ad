package dev.warren.broker.routing;

/**
 * Realistic names for routing benchmarks: ticker symbols and trading venues, as in a market-data
 * feed whose consumers bind to {@code stock.<symbol>.<venue>} keys.
 */
final class MarketData {
  private static final String[] VENUES = {
    "nyse", "nasdaq", "lse", "xetra", "tse", "hkex", "asx", "tsx"
  };

  private MarketData() {}

  /** A distinct four-letter (or longer) upper-case symbol per index: AAAA, AAAB, ... */
  static String symbol(int index) {
    char[] letters = new char[4];
    int rest = index;
    for (int i = letters.length - 1; i >= 0; i--) {
      letters[i] = (char) ('A' + rest % 26);
      rest /= 26;
    }
    return rest == 0 ? new String(letters) : rest + new String(letters);
  }

  static String venue(int index) {
    return VENUES[index % VENUES.length];
  }
}
