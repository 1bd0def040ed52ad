package dev.warren.broker.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (packages chromium and
 * chromium-driver), with a fresh profile and no background traffic. Screenshots go to
 * target/ui-screenshots, kept as build artifacts.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

  private final ChromeDriver driver;
  private final Path profile;
  private final String prefix;

  private Browser(ChromeDriver driver, Path profile, String prefix) {
    this.driver = driver;
    this.profile = profile;
    this.prefix = prefix;
  }

  /** Skips on a developer machine without Chromium, fails on CI (environment variable CI). */
  static void requireInstalled() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "chromium and chromium-driver are not installed (./test.sh installs them)";
    if (System.getenv("CI") != null) {
      fail(message + " — failing because CI is set");
    }
    Assumptions.abort(message);
  }

  /**
   * @param prefix names this run's screenshots, e.g. "warren"
   */
  static Browser start(String prefix) {
    requireInstalled();
    try {
      Path profile = Files.createTempDirectory("warren-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1366,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      Files.createDirectories(SCREENSHOTS);
      return new Browser(driver, profile, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        },
        "an element " + css);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits up to 20 s for the condition to give something other than null or false. */
  <T> T until(ExpectedCondition<T> condition, String what) {
    // the pages re-render their lists every few seconds: an element can go stale under a check
    return new WebDriverWait(driver, Duration.ofSeconds(30))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "waiting for " + what + " on " + driver.getCurrentUrl())
        .until(condition);
  }

  void type(String css, String text) {
    WebElement element = find(css);
    element.clear();
    element.sendKeys(text);
  }

  void click(String css) {
    until(
        d -> {
          find(css).click();
          return true;
        },
        "a click on " + css);
  }

  String text(String css) {
    return until(d -> find(css).getText(), "the text of " + css);
  }

  /** The page's visible text, for "is this shown" checks. */
  String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  void waitForText(String text) {
    until(d -> pageText().contains(text), "the text \"" + text + "\"");
  }

  /** Saves the page (full height) as target/ui-screenshots/PREFIX-NAME.png. */
  Path screenshot(String name) {
    try {
      Object height = driver.executeScript("return document.documentElement.scrollHeight");
      int tall = Math.min(4000, Math.max(900, ((Number) height).intValue()));
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, tall));
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
      Path file = SCREENSHOTS.resolve(prefix + "-" + name + ".png");
      Files.write(file, png);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Accepts the next window.confirm() without showing it (headless Chromium has no dialogs). */
  void acceptConfirmations() {
    driver.executeScript("window.confirm = () => true;");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> paths = Files.walk(profile)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover profile in /tmp is not worth failing the test for
      }
    }
  }
}
