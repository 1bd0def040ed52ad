package dev.warren.it.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * An application server run as a child process for the crash tests: started, found by the pid its
 * application reports, killed by the application itself, and started again on the same files.
 */
abstract class ServerProcess implements AutoCloseable {
  static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
  // HTTP/1.1: the JDK client's default upgrade to h2c makes Payara Server's listener drop a POST
  // ("EOF reached while reading")
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Process launcher;
  private long pid = -1;

  /** The command that boots the server in the foreground; its log goes to {@link #log}. */
  abstract ProcessBuilder bootCommand();

  abstract Path log();

  /** Where the killing resource records each kill (the server's warren.crash.markers). */
  abstract Path markers();

  /** The crash application's REST root, e.g. http://127.0.0.1:8080/crash/api/. */
  abstract URI api();

  /** Boots the server and waits until the crash application answers; returns the boot time. */
  Duration start() throws Exception {
    long started = System.nanoTime();
    launcher =
        bootCommand()
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
    long deadline = started + BOOT_TIMEOUT.toNanos();
    while (true) {
      try {
        pid = Long.parseLong(get("pid").strip());
        return Duration.ofNanos(System.nanoTime() - started);
      } catch (IOException | RuntimeException e) {
        if (!launcher.isAlive()) {
          throw new IllegalStateException("the server exited while booting; see " + log());
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "the server did not start in " + BOOT_TIMEOUT + "; see " + log());
        }
        LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
      }
    }
  }

  /** Takes over a server process started some other way. */
  void attach(long serverPid) {
    pid = serverPid;
  }

  /** Waits until the server process is gone (killed by the crash application). */
  void awaitDeath(Duration timeout) throws Exception {
    ProcessHandle server = ProcessHandle.of(pid).orElse(null);
    if (server != null) {
      server.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (launcher != null) {
      launcher.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** kill -9 from outside, as when the server's machine dies; waits until the process is gone. */
  void kill() throws Exception {
    ProcessHandle server = ProcessHandle.of(pid).orElse(null);
    if (server != null) {
      server.destroyForcibly();
    }
    awaitDeath(Duration.ofMinutes(1));
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Sends a POST whose transaction kills the server: no answer is expected. */
  void postAndExpectDeath(String path) {
    try {
      HTTP.send(postRequest(path), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // the server died while answering: what this request was for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String post(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(postRequest(path), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private HttpRequest postRequest(String path) {
    return HttpRequest.newBuilder(api().resolve(path))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  /** Stops the server for good (SIGTERM, then SIGKILL after a minute). */
  @Override
  public void close() throws Exception {
    ProcessHandle server = ProcessHandle.of(pid).orElse(null);
    if (server != null) {
      server.destroy();
      try {
        server.onExit().get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        server.destroyForcibly();
      }
    }
    if (launcher != null && !launcher.waitFor(60, TimeUnit.SECONDS)) {
      launcher.destroyForcibly();
    }
  }
}
