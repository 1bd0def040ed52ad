package dev.warren.broker.engine.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One exchange's counters: messages published into it, copies it routed out to queues (one per
 * queue reached), and the unroutable ones returned to or dropped for their publishers.
 */
public record ExchangeStatistics(
    String virtualHost,
    String name,
    Rated publishIn,
    Rated publishOut,
    long unroutableReturned,
    long unroutableDropped) {

  /** The management API's {@code message_stats} of an exchange. */
  public Map<String, Rated> managementFields() {
    Map<String, Rated> fields = new LinkedHashMap<>();
    fields.put("publish_in", publishIn);
    fields.put("publish_out", publishOut);
    return fields;
  }
}
