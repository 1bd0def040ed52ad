package dev.warren.broker.quorum;

/**
 * A consumer of a quorum queue, as every member knows it: the node whose channel consumes, the
 * channel there, and the consumer tag. The node that holds the channel delivers to it; a getter
 * (basic.get) has an empty tag.
 */
public record ConsumerKey(String node, long channel, String tag) {

  /** The checkout of a basic.get on that channel. */
  public static ConsumerKey getter(String node, long channel) {
    return new ConsumerKey(node, channel, "");
  }
}
