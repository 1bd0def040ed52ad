package dev.warren.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeHeapTrimmerTest {

  @Test
  void aTrimOnThisJvmReturnsTheJvmsReportWithoutFailing() {
    Optional<NativeHeapTrimmer> trimmer = NativeHeapTrimmer.ifSupported();
    assumeTrue(trimmer.isPresent(), "this JVM has no System.trim_native_heap");
    String report = trimmer.get().trim();
    // glibc: "Trim native heap: RSS+Swap: ..."; other C libraries: "Not available"
    assertTrue(report.contains("RSS") || report.contains("available"), report);
  }
}
