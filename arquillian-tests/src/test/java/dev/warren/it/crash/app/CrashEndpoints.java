package dev.warren.it.crash.app;

import jakarta.ejb.EJB;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the crash test drives from outside: one transaction, the server's pid, the rows. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class CrashEndpoints {
  @ApplicationPath("/api")
  public static class CrashApplication extends Application {}

  @EJB CrashPublisher publisher;
  @EJB CrashLedger ledger;

  @GET
  @Path("pid")
  public String pid() {
    return String.valueOf(ProcessHandle.current().pid());
  }

  @POST
  @Path("outbound/{id}/{kill}")
  public String outbound(@PathParam("id") String id, @PathParam("kill") String kill) {
    publisher.insertAndPublish(id, CrashPublisher.KillPoint.valueOf(kill));
    return "committed";
  }

  /** One id per line. */
  @GET
  @Path("rows/{table}")
  public String rows(@PathParam("table") String table) {
    return lines(ledger.rows(table));
  }

  @GET
  @Path("in-doubt")
  public String inDoubt() {
    return lines(ledger.inDoubt());
  }

  private static String lines(List<String> values) {
    return String.join("\n", values);
  }
}
