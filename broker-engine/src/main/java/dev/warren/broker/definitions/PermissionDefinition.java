package dev.warren.broker.definitions;

/** A user's configure, write and read patterns in one virtual host, as written. */
public record PermissionDefinition(
    String user, String vhost, String configure, String write, String read) {}
