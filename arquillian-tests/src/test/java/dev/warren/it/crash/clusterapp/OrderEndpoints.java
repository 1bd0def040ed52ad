package dev.warren.it.crash.clusterapp;

import jakarta.ejb.EJB;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/** What the cluster test drives from outside: one transaction, the server's pid, what arrived. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class OrderEndpoints {
  @ApplicationPath("/api")
  public static class OrderApplication extends Application {}

  @EJB OrderPublisher publisher;
  @EJB ReceivedOrders received;

  @GET
  @Path("pid")
  public String pid() {
    return String.valueOf(ProcessHandle.current().pid());
  }

  /** Answers once the transaction ended: {@code committed} or {@code rolled back}. */
  @POST
  @Path("publish/{batch}/{count}/{outcome}")
  public String publish(
      @PathParam("batch") String batch,
      @PathParam("count") int count,
      @PathParam("outcome") String outcome) {
    boolean commit = "commit".equals(outcome);
    publisher.publish(batch, count, commit);
    return commit ? "committed" : "rolled back";
  }

  /** One message body per line. */
  @GET
  @Path("received")
  public String received() {
    return String.join("\n", received.all());
  }
}
