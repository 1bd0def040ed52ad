package dev.warren.bench;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the benchmark driver reads and sets per run ("transacted", "untransacted"). */
@Path("consumption/{consumer}")
@Produces(MediaType.APPLICATION_JSON)
public class ConsumptionResource {
  @Inject Consumption consumption;

  @GET
  public String read(@PathParam("consumer") String consumer) {
    Consumption.Snapshot snapshot = consumption.of(consumer);
    return "{\"messages\":"
        + snapshot.messages()
        + ",\"elapsedNanos\":"
        + snapshot.elapsedNanos()
        + "}";
  }

  /** A new tally, with the MDB held at its next message until {@link #open}. */
  @DELETE
  public void reset(@PathParam("consumer") String consumer) {
    consumption.reset(consumer);
  }

  /** Lets the MDB go (the driver has published the run's messages). */
  @POST
  public void open(@PathParam("consumer") String consumer) {
    consumption.open(consumer);
  }
}
