package dev.warren.bench;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the benchmark driver reads between runs ("transacted", "untransacted"). */
@Path("consumption/{consumer}")
@Produces(MediaType.APPLICATION_JSON)
public class ConsumptionResource {
  @EJB Consumption consumption;

  @GET
  public String read(@PathParam("consumer") String consumer) {
    Consumption.Snapshot snapshot = consumption.of(consumer);
    return "{\"messages\":"
        + snapshot.messages()
        + ",\"elapsedNanos\":"
        + snapshot.elapsedNanos()
        + "}";
  }

  @DELETE
  public void reset(@PathParam("consumer") String consumer) {
    consumption.reset(consumer);
  }
}
