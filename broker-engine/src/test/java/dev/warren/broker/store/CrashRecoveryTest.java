package dev.warren.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The everyday variant of the kill -9 test: a few cycles (CrashRecoveryIT runs twenty). */
class CrashRecoveryTest {
  @TempDir Path workDir;

  @Test
  void noConfirmedMessageIsLostOverThreeKillNineCycles() throws Exception {
    CrashCycles.Result result = new CrashCycles(workDir, System.nanoTime()).run(3);
    assertEquals(0, result.lost(), result.violations().toString());
    assertEquals(java.util.List.of(), result.violations());
    assertTrue(result.confirmed() > 0, "nothing was confirmed");
  }
}
