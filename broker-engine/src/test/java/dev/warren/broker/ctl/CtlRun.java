package dev.warren.broker.ctl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * warrenctl run in the test's JVM against a management API on this machine: the same code path as
 * the script, with stdout, stderr and the exit code captured.
 */
record CtlRun(int exitCode, String out, String err) {

  static CtlRun warrenctl(String managementUrl, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--url", managementUrl));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarrenCtl.run(
            all.toArray(String[]::new),
            Map.of(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CtlRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  List<String> lines() {
    return out.isEmpty() ? List.of() : List.of(out.split("\n", -1)).subList(0, lineCount());
  }

  private int lineCount() {
    String[] parts = out.split("\n", -1);
    return out.endsWith("\n") ? parts.length - 1 : parts.length;
  }
}
