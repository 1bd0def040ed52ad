package dev.warren.broker.engine.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message counters of one object (the node, a virtual host, a channel or a queue) with their
 * rates. It holds only the counters that apply to that kind of object: a queue has no confirms, for
 * instance.
 */
public record MessageStats(Map<MessageCounter, Rated> counters) {

  /** RabbitMQ's derived counter: everything handed to consumers, consumed or fetched. */
  public static final String DELIVER_GET = "deliver_get";

  public MessageStats {
    counters = Collections.unmodifiableMap(new EnumMap<>(counters));
  }

  /** The counter, or zero if this kind of object does not keep it. */
  public Rated get(MessageCounter counter) {
    return counters.getOrDefault(counter, Rated.ZERO);
  }

  public long count(MessageCounter counter) {
    return get(counter).value();
  }

  /** deliver + deliver_no_ack + get + get_no_ack. */
  public Rated deliverGet() {
    return get(MessageCounter.DELIVER)
        .plus(get(MessageCounter.DELIVER_NO_ACK))
        .plus(get(MessageCounter.GET))
        .plus(get(MessageCounter.GET_NO_ACK));
  }

  /**
   * The counters under the names of the management API's {@code message_stats}, with {@value
   * #DELIVER_GET} after get_no_ack where deliveries are counted; each name becomes {@code name} and
   * {@code name_details.rate}.
   */
  public Map<String, Rated> managementFields() {
    Map<String, Rated> fields = new LinkedHashMap<>();
    counters.forEach(
        (counter, rated) -> {
          if (counter.managementName() != null) {
            fields.put(counter.managementName(), rated);
          }
          if (counter == MessageCounter.GET_NO_ACK) {
            fields.put(DELIVER_GET, deliverGet());
          }
        });
    return Collections.unmodifiableMap(fields);
  }
}
