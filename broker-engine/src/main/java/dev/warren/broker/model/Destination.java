package dev.warren.broker.model;

/** What a binding can point at: a queue, or another exchange (exchange-to-exchange binding). */
public sealed interface Destination permits Queue, Exchange {

  String name();
}
