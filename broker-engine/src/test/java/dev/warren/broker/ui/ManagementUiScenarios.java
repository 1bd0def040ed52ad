package dev.warren.broker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The management UI in a real browser, against a broker's management API: what a person does on
 * each page, checked through the page and through AMQP. Subclasses say which broker serves the UI
 * and the API. Every test uses names of its own; screenshots land in target/ui-screenshots.
 */
abstract class ManagementUiScenarios {

  /** Names that would run script if the page ever parsed them as HTML. */
  static final String HOSTILE_NAME =
      "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=1</script>";

  static final String HOSTILE_PAYLOAD =
      "<script>window.pwned=2</script><b id=\"injected\">bold</b> & \"quotes\"";

  Browser browser;

  abstract String uiUrl();

  abstract ConnectionFactory amqp();

  /** A short name for screenshots: "warren" or "rabbitmq". */
  abstract String target();

  @BeforeEach
  void openBrowser() {
    browser = Browser.start(target());
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithAMessageAndTheRightOneShowsTheOverview() {
    browser.open(uiUrl());
    browser.type("#login input[name=username]", "guest");
    browser.type("#login input[name=password]", "wrong");
    browser.click("#login button[type=submit]");
    browser.until(d -> browser.pageText().contains("Login failed"), "a refused login");
    assertTrue(browser.all("#nav a").isEmpty());
    login("guest", "guest");
    browser.find("#totals .total");
    browser.find(".chart canvas");
    browser.waitForText("Listeners");
    browser.waitForText("Message rates");
    // the overview refreshes: wait for a second sample so the charts have a line
    waitMillis(5500);
    browser.screenshot("overview");
  }

  @Test
  void aQueueThatAJavaClientDeclaredIsListedAndItsDepthFollowsPublishes() throws Exception {
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("ui-depth", true, false, false, null);
      login("guest", "guest");
      browser.open(uiUrl() + "#/queues");
      browser.type("input[name=filter]", "ui-dep");
      browser.until(d -> "0".equals(depthOf("ui-depth")), "ui-depth in the list, empty");
      for (int i = 0; i < 3; i++) {
        channel.basicPublish("", "ui-depth", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      browser.until(d -> "3".equals(depthOf("ui-depth")), "a depth of 3");
      // sorting and regular-expression filtering are the API's: ask for both
      channel.queueDeclare("ui-depth-2", true, false, false, null);
      browser.click("input[name=regex]");
      browser.type("input[name=filter]", "^ui-depth(-2)?$");
      browser.until(d -> depthOf("ui-depth-2") != null, "ui-depth-2 matched by the regex");
      browser.click("th button.sort");
      browser.screenshot("queues");
    }
  }

  @Test
  void aMessagePublishedFromTheUiIsReceivedThroughAmqp() throws Exception {
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("ui-publish", false, false, false, null);
      login("guest", "guest");
      browser.open(uiUrl() + "#/queues/%2F/ui-publish");
      browser.find("#queue-name");
      browser.type("#publish-form textarea[name=payload]", "hello from the UI");
      browser.type("#publish-form textarea[name=headers]", "x-origin=browser");
      browser.click("#publish-form button[type=submit]");
      browser.waitForText("Message published");
      GetResponse got = awaitMessage(channel, "ui-publish");
      assertEquals("hello from the UI", new String(got.getBody(), StandardCharsets.UTF_8));
      assertEquals("browser", got.getProps().getHeaders().get("x-origin").toString());
      browser.screenshot("queue");
    }
  }

  @Test
  void aHostileQueueNameAndPayloadAreShownAsTextAndNeverRun() throws Exception {
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare(HOSTILE_NAME, false, false, false, null);
      channel.basicPublish(
          "",
          HOSTILE_NAME,
          new AMQP.BasicProperties.Builder()
              .headers(Map.of("x-evil", "<img src=x onerror=\"window.pwned=3\">"))
              .build(),
          HOSTILE_PAYLOAD.getBytes(StandardCharsets.UTF_8));
      login("guest", "guest");
      browser.open(uiUrl() + "#/queues");
      browser.type("input[name=filter]", "script");
      // found and clicked in one retried step: the list re-renders every few seconds
      browser.until(
          d -> {
            WebElement link =
                d.findElements(By.cssSelector("a.queue-link")).stream()
                    .filter(a -> a.getText().equals(HOSTILE_NAME))
                    .findFirst()
                    .orElse(null);
            if (link == null) {
              return false;
            }
            link.click();
            return true;
          },
          "a click on the hostile queue's link, shown as text");
      assertEquals(HOSTILE_NAME, browser.text("#queue-name"));
      browser.click("#get-messages button[type=submit]");
      WebElement payload = browser.find(".got-message pre.payload");
      assertEquals(HOSTILE_PAYLOAD, payload.getText());
      assertTrue(browser.text(".got-message pre.headers").contains("window.pwned=3"));
      assertTrue(browser.all("#injected").isEmpty(), "the payload's <b> became an element");
      assertNull(
          ((org.openqa.selenium.JavascriptExecutor) browser.driver())
              .executeScript("return window.pwned === undefined ? null : window.pwned;"));
      browser.screenshot("hostile");
    }
  }

  @Test
  void purgeEmptiesTheQueueAndMoveCarriesMessagesToAnother() throws Exception {
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("ui-purge", false, false, false, null);
      channel.queueDeclare("ui-move-from", false, false, false, null);
      channel.queueDeclare("ui-move-to", false, false, false, null);
      for (int i = 0; i < 5; i++) {
        channel.basicPublish("", "ui-purge", null, "p".getBytes(StandardCharsets.UTF_8));
      }
      channel.basicPublish(
          "",
          "ui-move-from",
          new AMQP.BasicProperties.Builder().contentType("text/plain").build(),
          "first".getBytes(StandardCharsets.UTF_8));
      channel.basicPublish("", "ui-move-from", null, "second".getBytes(StandardCharsets.UTF_8));
      login("guest", "guest");

      browser.open(uiUrl() + "#/queues/%2F/ui-purge");
      browser.find("#queue-name");
      browser.acceptConfirmations();
      browser.click("#purge");
      browser.waitForText("purged");
      await(() -> messageCount(channel, "ui-purge") == 0, "ui-purge to be empty");

      browser.open(uiUrl() + "#/queues/%2F/ui-move-from");
      browser.find("#queue-name");
      browser.type("#move-messages input[name=destination]", "ui-move-to");
      browser.type("#move-messages input[name=count]", "2");
      browser.click("#move-messages button[type=submit]");
      browser.waitForText("Moved 2 message(s)");
      assertEquals(0, messageCount(channel, "ui-move-from"));
      GetResponse first = awaitMessage(channel, "ui-move-to");
      assertEquals("first", new String(first.getBody(), StandardCharsets.UTF_8));
      assertEquals("text/plain", first.getProps().getContentType());
      assertEquals("second", new String(awaitMessage(channel, "ui-move-to").getBody()));
    }
  }

  @Test
  void anAdministratorAddsAUserWhoThenLogsInAndSeesOnlyWhatItsTagAllows() {
    login("guest", "guest");
    browser.open(uiUrl() + "#/admin/users");
    browser.type("#add-user input[name=name]", "ui-user");
    browser.type("#add-user input[name=password]", "ui-secret");
    browser.type("#add-user input[name=tags]", "management");
    new org.openqa.selenium.support.ui.Select(browser.find("#add-user select[name=grant]"))
        .selectByValue("/");
    browser.click("#add-user button[type=submit]");
    browser.waitForText("User ui-user saved");
    browser.until(d -> browser.pageText().contains("ui-user"), "ui-user in the list");
    browser.screenshot("users");

    browser.click("#logout");
    login("ui-user", "ui-secret");
    assertEquals("ui-user", browser.text("#current-user"));
    List<String> pages = browser.all("#nav a").stream().map(WebElement::getText).toList();
    assertTrue(pages.contains("Queues"), pages.toString());
    assertFalse(pages.contains("Admin"), "a management user has no admin pages: " + pages);
  }

  @Test
  void aPolicySetInTheUiAppliesToAQueue() throws Exception {
    login("guest", "guest");
    browser.open(uiUrl() + "#/admin/policies");
    browser.type("#add-policy input[name=name]", "ui-max-length");
    browser.type("#add-policy input[name=pattern]", "^ui-policy-");
    browser.type("#add-policy textarea[name=definition]", "{\"max-length\": 2}");
    new org.openqa.selenium.support.ui.Select(browser.find("#add-policy select[name=apply-to]"))
        .selectByValue("queues");
    browser.click("#add-policy button[type=submit]");
    browser.waitForText("Policy ui-max-length saved");
    browser.until(d -> browser.pageText().contains("^ui-policy-"), "the policy in the list");
    browser.screenshot("policies");
    try (Connection connection = amqp().newConnection();
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("ui-policy-q", false, false, false, null);
      // what the policy does to messages is the API's to test; the UI shows that it applies
      browser.open(uiUrl() + "#/queues/%2F/ui-policy-q");
      browser.until(
          d ->
              browser.pageText().contains("ui-max-length")
                  && browser.pageText().contains("{\"max-length\":2}"),
          "the queue under the policy");
    }
  }

  @Test
  void aDefinitionsFileImportedInTheUiCreatesItsVhostAndQueue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("definitions.json");
    Files.writeString(
        file,
        """
        {"vhosts":[{"name":"ui-imported"}],
         "permissions":[{"user":"guest","vhost":"ui-imported","configure":".*","write":".*","read":".*"}],
         "queues":[{"name":"imported-q","vhost":"ui-imported","durable":true,"auto_delete":false,"arguments":{}}],
         "exchanges":[],"bindings":[],"policies":[],"users":[]}
        """);
    login("guest", "guest");
    browser.open(uiUrl() + "#/admin/definitions");
    browser.find("#import-definitions input[type=file]").sendKeys(file.toString());
    browser.click("#import-definitions button[type=submit]");
    browser.waitForText("Definitions imported from definitions.json");
    browser.screenshot("definitions");
    ConnectionFactory factory = amqp();
    factory.setVirtualHost("ui-imported");
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      assertEquals(0, channel.queueDeclarePassive("imported-q").getMessageCount());
    }
  }

  @Test
  void connectionsChannelsAndExchangesShowTheirClientsAndAnErrorIsAMessage() throws Exception {
    ConnectionFactory factory = amqp();
    factory.setClientProperties(Map.of("connection_name", "ui-visible-client"));
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      channel.exchangeDeclare("ui-exchange", "topic", false);
      channel.queueDeclare("ui-bound", false, false, false, null);
      channel.queueBind("ui-bound", "ui-exchange", "a.#");
      login("guest", "guest");
      browser.open(uiUrl() + "#/connections");
      browser.until(d -> browser.pageText().contains("ui-visible-client"), "the client");
      browser.screenshot("connections");
      browser.open(uiUrl() + "#/channels");
      browser.until(d -> browser.pageText().contains("guest"), "a channel of guest");
      browser.screenshot("channels");
      browser.open(uiUrl() + "#/exchanges");
      browser.type("input[name=filter]", "ui-exch");
      browser.until(d -> browser.pageText().contains("ui-exchange"), "ui-exchange");
      browser.screenshot("exchanges");
      browser.open(uiUrl() + "#/exchanges/%2F/ui-exchange");
      browser.waitForText("a.#");
      browser.type("#publish-form input[name=routing_key]", "a.b");
      browser.type("#publish-form textarea[name=payload]", "via the exchange");
      browser.click("#publish-form button[type=submit]");
      browser.waitForText("Message published");
      assertEquals("via the exchange", new String(awaitMessage(channel, "ui-bound").getBody()));
      browser.screenshot("exchange");

      browser.open(uiUrl() + "#/queues/%2F/no-such-queue");
      WebElement error = browser.find(".message.error");
      assertTrue(error.getText().contains("404"), error.getText());
      assertNotNull(browser.find("#nav a"));
    }
  }

  // --- helpers

  void login(String user, String password) {
    browser.open(uiUrl());
    browser.type("#login input[name=username]", user);
    browser.type("#login input[name=password]", password);
    browser.click("#login button[type=submit]");
    browser.find("#current-user");
  }

  /** The "Total" cell of the queue's row, or null while the row is not shown. */
  private String depthOf(String queue) {
    // read in the page, in one go: the list is re-rendered every few seconds
    return (String)
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
            .executeScript(
                "const cell = [...document.querySelectorAll('span.depth')]"
                    + ".find(e => e.dataset.queue === arguments[0]);"
                    + "return cell ? cell.textContent : null;",
                queue);
  }

  private static GetResponse awaitMessage(Channel channel, String queue) throws Exception {
    GetResponse[] got = new GetResponse[1];
    await(
        () -> {
          try {
            got[0] = channel.basicGet(queue, true);
            return got[0] != null;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        "a message on " + queue);
    return got[0];
  }

  private static long messageCount(Channel channel, String queue) {
    try {
      return channel.queueDeclarePassive(queue).getMessageCount();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      waitMillis(100);
    }
  }

  private static void waitMillis(long millis) {
    try {
      Thread.sleep(millis); // deadline polls and one chart refresh: nothing to wait on instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
