package dev.warren.broker.management;

/** The routes of one resource of the API (queues, users, ...), after LavinMQ's controllers. */
public interface Controller {
  void register(ApiRoutes routes);
}
