package dev.warren.broker.engine.api;

/**
 * What finds a delivered message again after a restart: the durable queue it is in and the id under
 * which the store wrote it. An id is unique among the messages of one run and of those recovered at
 * its start; a later run may give it to a new message once the old one is gone.
 */
public record StoredMessageId(String virtualHost, String queue, long storeId) {}
