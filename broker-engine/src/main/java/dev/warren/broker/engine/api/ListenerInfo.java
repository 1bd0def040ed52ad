package dev.warren.broker.engine.api;

/**
 * A socket the broker listens on, named as RabbitMQ names its listeners.
 *
 * @param protocol "amqp", "amqp/ssl", "http", "https" (RabbitMQ's names)
 * @param ipAddress the bound address, e.g. "0.0.0.0"
 * @param port the bound port
 */
public record ListenerInfo(String protocol, String ipAddress, int port) {}
