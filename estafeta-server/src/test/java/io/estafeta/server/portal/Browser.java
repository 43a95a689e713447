package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its chromedriver; no browser is downloaded. It may
 * only reach the loopback addresses: every other host name resolves to nothing.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target/screenshots");
  static final Dimension SIZE = new Dimension(1440, 1000);

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Skips the test when Chromium is not installed here; in CI (which installs it) fails. */
  static void assumeInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why =
        "the portal's browser tests need Debian's Chromium and its driver"
            + " (apt-get install -y chromium chromium-driver); skipped";
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(why.replace("; skipped", ": missing in CI"));
    }
    Assumptions.assumeTrue(present, why);
  }

  static Browser start(String language) {
    assumeInstalled();
    try {
      Path profile = Files.createTempDirectory("estafeta-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--disable-features=Translate,OptimizationHints,MediaRouter",
          // Nothing but the local server: every other name resolves to nothing.
          "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
          "--lang=" + language,
          "--window-size=" + SIZE.width + "," + SIZE.height,
          "--user-data-dir=" + profile);
      options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
      // The console, to catch what the Content-Security-Policy refused and uncaught errors.
      options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void open(String url) {
    driver.get(url);
    waitFor(d -> Boolean.TRUE.equals(js("return document.body.classList.contains('ready')")));
  }

  void reload() {
    driver.navigate().refresh();
    waitFor(d -> Boolean.TRUE.equals(js("return document.body.classList.contains('ready')")));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  <T> T waitFor(Function<WebDriver, T> condition) {
    // Pages redraw as data arrives: an element found a moment ago may be gone; look again.
    return new WebDriverWait(driver, Duration.ofSeconds(30))
        .pollingEvery(Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  WebElement find(String css) {
    return waitFor(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
    });
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /**
   * Waits until an element's text contains {@code text}, in any case (styles may upper-case what is
   * shown); returns the text.
   */
  String waitForText(String css, String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    return waitFor(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      for (WebElement e : found) {
        String t = e.getText();
        if (t.toLowerCase(Locale.ROOT).contains(wanted)) {
          return t;
        }
      }
      return null;
    });
  }

  /** Clicks with JavaScript's help when an overlay (a toast) covers the element. */
  void click(String css) {
    WebElement e = find(css);
    js("arguments[0].scrollIntoView({block: 'center'})", e);
    e.click();
  }

  /** A screenshot of the whole page, from the top, kept under target/screenshots. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      js("window.scrollTo(0, 0)");
      Number height = (Number) js("return document.documentElement.scrollHeight");
      // The viewport grows to the page's height for the picture, then goes back.
      driver.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          java.util.Map.of(
              "width",
              SIZE.width,
              "height",
              Math.min(Math.max(height.intValue(), SIZE.height), 4000),
              "deviceScaleFactor",
              1,
              "mobile",
              false));
      Thread.sleep(250);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The console's messages since the last call. */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .toList();
  }

  /**
   * Fails on anything the page's Content-Security-Policy refused and on uncaught script errors
   * since the last call; expected refusals of the API (401, 422) are not errors of the page.
   */
  void assertCleanConsole(String page) {
    List<String> bad = new ArrayList<>();
    for (String m : console()) {
      if (m.contains("Content Security Policy")
          || m.contains("Refused to")
          || m.contains("Uncaught")) {
        bad.add(m);
      }
    }
    assertThat(bad).as("browser console on " + page).isEmpty();
  }

  /** Runs axe-core on the page and fails on any serious or critical violation. */
  void assertAccessible(String page) {
    assertCleanConsole(page);
    String axe;
    try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    js(axe);
    String result =
        (String)
            ((JavascriptExecutor) driver)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']})"
                        + ".then(r => done(JSON.stringify(r.violations)))"
                        + ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical',"
                        + " help: String(e), nodes: []}])));");
    List<String> serious = new ArrayList<>();
    try {
      for (JsonNode v : Http.JSON.readTree(result)) {
        String impact = v.path("impact").asText();
        if (impact.equals("serious") || impact.equals("critical")) {
          List<String> targets = new ArrayList<>();
          v.path("nodes").forEach(n -> targets.add(n.path("target").toString()));
          serious.add(
              v.path("id").asText()
                  + " ("
                  + impact
                  + "): "
                  + v.path("help").asText()
                  + " "
                  + targets);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(serious).as("axe-core on " + page).isEmpty();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A temporary profile left behind does no harm.
      }
    }
  }
}
