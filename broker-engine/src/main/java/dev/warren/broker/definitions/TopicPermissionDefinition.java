package dev.warren.broker.definitions;

/**
 * A user's write and read patterns for routing keys on one topic exchange of a virtual host
 * (RabbitMQ's topic permissions; stored, listed and exported).
 */
public record TopicPermissionDefinition(
    String user, String vhost, String exchange, String write, String read) {}
