package dev.warren.broker.model;

/**
 * The connection an exclusive queue belongs to, as a value: on a cluster every node holds the same
 * queue declaration, so the owner must compare equal on each of them.
 *
 * @param node the node the connection is on ("" on a broker that is not clustered)
 * @param connection the connection's number on that node
 */
public record QueueOwner(String node, long connection) {}
