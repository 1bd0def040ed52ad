package dev.warren.broker.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warren.broker.engine.BrokerConfig;
import dev.warren.broker.http.StaticFiles;
import dev.warren.broker.testsupport.ManagementClient;
import dev.warren.broker.testsupport.ManagementClient.Response;
import dev.warren.broker.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management listener serves the web UI's files from {@code warren-ui/} on the class path (this
 * test's own files sit in {@code warren-ui/static-files-test/}).
 */
class StaticFilesTest {
  private static TestBroker broker;
  private static ManagementClient anonymous;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithManagement(BrokerConfig.defaults());
    anonymous = new ManagementClient(TestBroker.HOST, broker.managementPort(), null, null);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void filesAreServedWithTheirTypeAndAContentSecurityPolicy() {
    Response page = anonymous.get("/static-files-test/page.html");
    Response script = anonymous.get("/static-files-test/page.js");

    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
    assertTrue(page.body().contains("static files test"));
    assertEquals(StaticFiles.CONTENT_SECURITY_POLICY, page.header("Content-Security-Policy"));
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    assertEquals(200, script.status());
    assertTrue(script.header("Content-Type").startsWith("text/javascript"));
  }

  @Test
  void whatIsNotAFileOfTheUiIs404() {
    assertEquals(404, anonymous.get("/static-files-test/missing.html").status());
    assertEquals(
        404, anonymous.get("/static-files-test/%2E%2E/static-files-test/page.html").status());
    assertEquals(404, anonymous.get("/static-files-test%2Fpage.html").status());
    assertEquals(404, anonymous.get("/dev/warren/broker/Main.class").status());
    assertEquals(404, anonymous.send("POST", "/static-files-test/page.html", "x").status());
    assertEquals(401, anonymous.get("/api/overview").status(), "the API still wants a login");
  }
}
