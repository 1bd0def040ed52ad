package dev.warren.broker.engine.api;

/**
 * What finds a delivered message again after a restart: the durable queue it is in and the id under
 * which the store wrote it. Ids grow within a run; a later run may give the id of a message that is
 * gone to a new one, except a run started with that id to hold, which gives no new message an id at
 * or below the highest one it was asked to hold.
 */
public record StoredMessageId(String virtualHost, String queue, long storeId) {}
