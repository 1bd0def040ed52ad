package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full kill -9 test: twenty cycles, run by failsafe in {@code mvn verify}. */
class CrashRecoveryIT {
  @TempDir Path workDir;

  @Test
  void noConfirmedMessageIsLostOverTwentyKillNineCycles() throws Exception {
    CrashCycles.Result result = new CrashCycles(workDir, System.nanoTime()).run(20);
    assertEquals(0, result.lost(), result.violations().toString());
    assertEquals(java.util.List.of(), result.violations());
    assertTrue(result.confirmed() > 0, "nothing was confirmed");
  }
}
