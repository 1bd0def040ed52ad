package dev.warren.rar.adapter.tx;

/** Something that may hold a publish back until a transaction decides its fate. */
public interface TransactionBuffer {

  /** Returns true if a transaction is active and now holds the publish. */
  boolean hold(PendingPublish publish);
}
