package dev.warren.broker.engine.api;

/**
 * One open connection's traffic: octets and socket reads/writes (RabbitMQ's {@code recv_oct},
 * {@code recv_cnt}, {@code send_oct}, {@code send_cnt}); in-VM connections have no socket and count
 * zero. {@code name} is the one given to {@link Broker#connect}.
 */
public record ConnectionStatistics(
    String name,
    String virtualHost,
    String user,
    Rated octetsReceived,
    long packetsReceived,
    Rated octetsSent,
    long packetsSent,
    int channels) {}
