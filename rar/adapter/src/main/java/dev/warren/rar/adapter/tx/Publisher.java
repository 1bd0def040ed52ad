package dev.warren.rar.adapter.tx;

import java.util.List;

/** Routes publishes and returns only when the broker has confirmed every one of them. */
public interface Publisher {

  /**
   * @throws dev.warren.rar.api.AmqpException if the broker refused or did not confirm in time
   */
  void publishAll(List<PendingPublish> publishes);
}
