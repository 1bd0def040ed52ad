package dev.warren.rar.adapter;

import dev.warren.rar.adapter.inbound.AmqpActivationSpec;
import dev.warren.rar.adapter.inbound.EndpointActivation;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The MDBs the container has activated, by the factory and spec it will deactivate them with. */
final class EndpointActivations {
  private final Map<ActivationKey, EndpointActivation> activations = new ConcurrentHashMap<>();

  private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {}

  void activate(AdapterRuntime runtime, MessageEndpointFactory factory, ActivationSpec spec)
      throws ResourceException {
    AmqpActivationSpec amqpSpec = (AmqpActivationSpec) spec;
    amqpSpec.validate();
    EndpointActivation activation =
        new EndpointActivation(
            runtime.backend(),
            runtime.workManager(),
            runtime.timer(),
            factory,
            amqpSpec.toConfig(),
            runtime.deliveries());
    activation.start();
    activations.put(new ActivationKey(factory, spec), activation);
  }

  void deactivate(MessageEndpointFactory factory, ActivationSpec spec) {
    EndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
    if (activation != null) {
      activation.stop();
    }
  }

  void stopAll() {
    activations.values().forEach(EndpointActivation::stop);
    activations.clear();
  }
}
