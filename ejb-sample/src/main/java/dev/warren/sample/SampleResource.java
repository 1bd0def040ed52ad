package dev.warren.sample;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Drive the sample with curl: publish to any exchange, ask the RPC server, and look at what each
 * MDB received ("worker", "logs", "severe", "topic", "orders").
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SampleResource {
  @EJB MessagePublisher publisher;
  @EJB ReceivedMessages received;
  @EJB OrderLedger ledger;

  /** {@code curl -d 'hello' localhost:8080/ejb-sample/api/publish/logs/any} */
  @POST
  @Path("publish/{exchange}/{routingKey}")
  public String publish(
      @PathParam("exchange") String exchange,
      @PathParam("routingKey") String routingKey,
      String body) {
    publisher.publish("default".equals(exchange) ? "" : exchange, routingKey, body);
    return "{\"published\":true}";
  }

  /** The same publish in a transaction that is then rolled back: nothing must be delivered. */
  @POST
  @Path("publish-rolled-back/{exchange}/{routingKey}")
  public String publishRolledBack(
      @PathParam("exchange") String exchange,
      @PathParam("routingKey") String routingKey,
      String body) {
    publisher.publishThenRollBack("default".equals(exchange) ? "" : exchange, routingKey, body);
    return "{\"published\":false}";
  }

  @GET
  @Path("fib/{n}")
  public String fibonacci(@PathParam("n") int n) {
    return "{\"n\":" + n + ",\"fib\":" + publisher.fibonacci(n) + "}";
  }

  @GET
  @Path("received/{listener}")
  public List<ReceivedMessages.Received> received(@PathParam("listener") String listener) {
    return received.of(listener);
  }

  @GET
  @Path("orders-with-prefix/{prefix}")
  public String ordersWithPrefix(@PathParam("prefix") String prefix) {
    int[] counts = ledger.countWithPrefix(prefix);
    return "{\"rows\":" + counts[0] + ",\"distinct\":" + counts[1] + "}";
  }

  @GET
  @Path("orders/{id}")
  public String orderRows(@PathParam("id") String id) {
    return "{\"order\":\"" + id + "\",\"rows\":" + ledger.count(id) + "}";
  }
}
