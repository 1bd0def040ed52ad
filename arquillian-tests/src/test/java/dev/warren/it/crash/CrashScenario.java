package dev.warren.it.crash;

import dev.warren.it.crash.app.CrashPublisher.KillPoint;
import dev.warren.it.crash.app.KillingXAResource.Phase;
import java.util.List;

/**
 * Where one kill happens. Outbound: an EJB inserts a row and publishes, with the killing resource
 * enlisted first, in the middle or last. Inbound: an MDB's ack and its row, with the killing
 * resource enlisted after both (the container enlists the delivery's resource before the MDB runs).
 *
 * @param committed whether the transaction manager had decided to commit when the server died
 */
record CrashScenario(
    String name, boolean outbound, KillPoint killPoint, Phase inboundPhase, boolean committed) {

  static final List<CrashScenario> ALL =
      List.of(
          outbound(KillPoint.FIRST_IN_COMMIT, true),
          inbound(Phase.COMMIT, true),
          outbound(KillPoint.MIDDLE_IN_COMMIT, true),
          inbound(Phase.PREPARE, false),
          outbound(KillPoint.LAST_IN_COMMIT, true),
          outbound(KillPoint.LAST_IN_PREPARE, false));

  static CrashScenario outbound(KillPoint point, boolean committed) {
    return new CrashScenario("outbound-" + point, true, point, null, committed);
  }

  static CrashScenario inbound(Phase phase, boolean committed) {
    return new CrashScenario("inbound-" + phase, false, null, phase, committed);
  }
}
