package dev.warren.broker.engine.api;

/**
 * What a protocol front end counts on a connection's socket: octets, and reads and writes (RabbitMQ
 * calls them packets). Called by the statistics on any thread, so implementations publish their
 * counts safely (and keep counting on their own thread).
 */
public interface ConnectionTraffic {

  /** A connection without a socket (in-VM). */
  ConnectionTraffic NONE =
      new ConnectionTraffic() {
        @Override
        public long octetsReceived() {
          return 0;
        }

        @Override
        public long packetsReceived() {
          return 0;
        }

        @Override
        public long octetsSent() {
          return 0;
        }

        @Override
        public long packetsSent() {
          return 0;
        }
      };

  long octetsReceived();

  long packetsReceived();

  long octetsSent();

  long packetsSent();
}
