package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.server.TestServer;
import io.estafeta.testsupport.LoopbackReceiver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The portal as a customer uses it, in Debian's Chromium: one story in order, from the login link
 * to a retried delivery, in English and in Spanish, with a screenshot of every page and an axe-core
 * check of each. Only loopback is reached: the server, and a receiver it delivers to.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {
  static TestServer api;
  static LoopbackReceiver receiver;
  static Browser browser;
  static TestServer.NewAccount acc;

  /** A failed step leaves a picture of what the browser showed. */
  @RegisterExtension
  static final TestWatcher PICTURE_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser != null) {
            browser.screenshot("failed-" + context.getDisplayName().replaceAll("\\W", ""));
          }
        }
      };

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    api =
        TestServer.start(
            Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8", "ESTAFETA_RETRY_DELAY", "1s"),
            Clock.systemUTC());
    receiver = LoopbackReceiver.start();
    acc = api.account("Clínica Sur");
    browser = Browser.start("en-US");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (api != null) {
      api.close();
    }
  }

  /** The link as the operator gets it, on the loopback address the tests use. */
  static String link() {
    return PortalSession.link(api, acc.id()).replace("http://localhost:", "http://127.0.0.1:");
  }

  static String previewBody() {
    List<WebElement> body = browser.all("#preview-body");
    return body.isEmpty() ? "" : body.getFirst().getText();
  }

  /** Types into the template editor, replacing what it holds. */
  static void typeTemplate(CharSequence... keys) {
    browser.click("#template-editor .CodeMirror-code");
    WebElement editor = browser.driver.switchTo().activeElement();
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    editor.sendKeys(keys);
  }

  static void go(String hash) {
    browser.js("location.hash = arguments[0]", hash);
  }

  @Test
  @Order(1)
  void aLinkThatCannotBeUsedSaysSo() {
    browser.open(api.base().replace("localhost", "127.0.0.1") + "/#/login/ptl_not-a-real-link");
    assertThat(browser.waitForText("h1", "cannot be used")).isNotEmpty();
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("ptl_");
    browser.screenshot("00-signin-link-refused");
    browser.assertAccessible("sign-in");
  }

  @Test
  @Order(2)
  void logsInByLink() {
    browser.open(link());
    browser.waitForText("#account-name", "Clínica Sur");
    browser.waitForText("h1", "Webhooks");
    // The token is gone from the address bar once spent.
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("ptl_").endsWith("#/webhooks");
    assertThat(browser.find(".empty").getText()).contains("No webhooks yet");
    browser.screenshot("01-webhooks-empty");
    browser.assertAccessible("webhooks, empty");

    // The policy holds in a real browser: a script written into the page does not run.
    browser.js(
        "const s = document.createElement('script');"
            + " s.textContent = 'window.injected = true'; document.body.append(s);");
    assertThat(browser.js("return window.injected === undefined")).isEqualTo(true);
    assertThat(browser.console()).anyMatch(m -> m.contains("Content Security Policy"));
  }

  @Test
  @Order(3)
  void createsAWebhookWithThePaletteAndWatchesThePreview() {
    browser.click("a[href='#/webhooks/new']");
    browser.find("#webhook-name").sendKeys("CRM notes");
    browser.find("#event-search").sendKeys("call");
    browser.click("#ev-call-created");
    browser.waitForText(".palette-list", "client.name");

    WebElement url = browser.find("#webhook-url");
    url.sendKeys(Keys.chord(Keys.CONTROL, "a"), receiver.url("/crm/clients/"));
    browser.click(".var[data-path='client.id']");
    url.sendKeys("/notes?call=");
    browser.click(".var[data-path='id']");
    assertThat(url.getAttribute("value"))
        .isEqualTo(receiver.url("/crm/clients/{{client.id}}/notes?call={{id}}"));
    browser.waitForText("#preview-url", "/crm/clients/cli_5Lm8Rt2Qa/notes?call=call_9Qe4Tz7Rm2");

    String before = browser.waitFor(d -> previewBody().contains("event") ? previewBody() : null);
    typeTemplate("{\"client\": ");
    browser.click(".var[data-path='client.name']");
    browser.driver.switchTo().activeElement().sendKeys(", \"agent\": ");
    browser.click(".var[data-path='agent.email']");
    browser.driver.switchTo().activeElement().sendKeys("}");
    String after =
        browser.waitFor(
            d -> previewBody().contains("camila.rojas@example.com") ? previewBody() : null);
    assertThat(after)
        .isNotEqualTo(before)
        .isEqualTo("{\"client\": \"María José Núñez\", \"agent\": \"camila.rojas@example.com\"}");
    assertThat(browser.find("#preview-request-line").getText()).startsWith("POST ");
    assertThat(browser.find(".preview .kv").getText())
        .contains("Content-Type")
        .contains("application/json");

    // A header with the secret switch on: masked in the preview.
    browser.click("#add-header");
    browser.find("#header-0-name").sendKeys("Authorization");
    browser.find("#header-0-value").sendKeys("Bearer s3cr3t");
    browser.click("#header-0-secret");
    assertThat(browser.find("#header-0-value").getAttribute("type")).isEqualTo("password");
    browser.waitForText(".preview .kv", "••••••");
    assertThat(browser.find(".preview").getText()).doesNotContain("s3cr3t");
    browser.screenshot("02-editor-palette-preview");
    browser.assertAccessible("editor");
  }

  @Test
  @Order(4)
  void showsAValidationErrorAtItsLineUntilItIsFixed() {
    typeTemplate("{\"client\": {{client.name}},", Keys.ENTER, " \"vip\": {{#if client.vip}}true}");
    String error = browser.waitForText(".cm-error-widget", "line 2");
    assertThat(error).contains("column");
    assertThat(browser.find("#template-error").getText()).contains("line 2");
    assertThat(browser.find("#preview-status").getText()).contains("Fix the errors");
    assertThat(browser.all(".cm-error-line")).hasSize(1);
    browser.screenshot("03-editor-validation-error");

    // The fix: close the block.
    typeTemplate(
        "{\"client\": {{client.name}},",
        Keys.ENTER,
        " \"vip\": {{#if client.vip}}true{{else}}false{{/if}}}");
    browser.waitFor(d -> browser.all(".cm-error-widget").isEmpty());
    browser.waitForText("#preview-status", "Up to date");
    browser.waitForText("#preview-body", "\"vip\": false");
  }

  @Test
  @Order(5)
  void testSendSavesThenShowsTheResponse() {
    receiver.clear();
    receiver.answer(r ->
        new LoopbackReceiver.Reply(
            200, Map.of("X-Receiver", "crm"), "{\"noted\": true}", java.time.Duration.ZERO));
    browser.click("#send-test");
    browser.waitForText("#test-status", "HTTP 200");
    assertThat(browser.driver.getCurrentUrl()).containsPattern("#/webhooks/wh_");
    assertThat(browser.find("#test-body").getText()).contains("\"noted\": true");
    assertThat(browser.find(".test").getText()).containsIgnoringCase("X-Receiver").contains("ms");
    assertThat(receiver.received()).hasSize(1);
    LoopbackReceiver.Received got = receiver.received().getFirst();
    assertThat(got.pathAndQuery())
        .isEqualTo("/crm/clients/cli_5Lm8Rt2Qa/notes?call=call_9Qe4Tz7Rm2");
    assertThat(got.body()).contains("María José Núñez");
    assertThat(got.header("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(browser.find("#signing-secret").getText()).startsWith("whsec_");
    browser.screenshot("04-editor-test-send");
  }

  static String publish(String name) {
    TestServer.Answer a =
        api.post(
            "/api/v1/events",
            acc.key(),
            "{\"type\": \"call.created\", \"data\": {\"id\": \"call_"
                + name
                + "\", \"client\": {\"id\": \"c1\", \"name\": \""
                + name
                + "\"}, \"agent\": {\"email\": \"a@example.com\"}}}");
    assertThat(a.status()).as(a.text()).isEqualTo(202);
    return a.json().path("deliveries").get(0).path("id").asText();
  }

  @Test
  @Order(6)
  void showsAPublishedEventsDeliveryWithItsAttempts() {
    AtomicInteger calls = new AtomicInteger();
    receiver.answer(r -> LoopbackReceiver.Reply.status(calls.incrementAndGet() == 1 ? 503 : 200));
    String id = publish("Pepa");
    go("#/deliveries");
    browser.waitForText("h1", "Deliveries");
    browser.waitFor(d -> !browser.all("tr[data-delivery-id='" + id + "']").isEmpty());
    browser.waitForText("tr[data-delivery-id='" + id + "']", "Succeeded");
    browser.screenshot("05-deliveries");
    browser.assertAccessible("deliveries");

    browser.click("tr[data-delivery-id='" + id + "'] a");
    browser.waitForText("#delivery-status", "Succeeded");
    List<WebElement> attempts = browser.all(".attempt[data-number]");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).getText())
        .contains("Attempt 1")
        .contains("will retry")
        .contains("HTTP 503");
    assertThat(attempts.get(1).getText())
        .contains("Attempt 2")
        .contains("Success")
        .contains("HTTP 200");
    // Open the request and the response of the first attempt.
    for (WebElement summary : attempts.get(0).findElements(By.cssSelector("summary"))) {
      summary.click();
    }
    assertThat(attempts.get(0).getText()).contains("webhook-signature").contains("Pepa");

    browser.js(
        "window.__copied = null;"
            + " navigator.clipboard.writeText = async (text) => { window.__copied = text; };");
    browser.click("#copy-curl");
    String curl = (String) browser.waitFor(d -> browser.js("return window.__copied"));
    assertThat(curl)
        .startsWith("curl -X POST '" + receiver.url("/crm/clients/c1/notes?call=call_Pepa") + "'")
        .contains("-H 'Authorization: ••••••'")
        .contains("--data-binary '{\"client\": \"Pepa\"");
    browser.screenshot("06-delivery-attempts");
    browser.assertAccessible("delivery");
  }

  @Test
  @Order(7)
  void retriesAFailedDelivery() {
    receiver.answer(r -> LoopbackReceiver.Reply.status(400));
    String id = publish("Refused");
    go("#/deliveries/" + id);
    browser.waitForText("#delivery-status", "Failed");
    assertThat(browser.find(".summary").getText()).contains("refused the request");
    browser.screenshot("07-delivery-failed");

    receiver.answer(r -> LoopbackReceiver.Reply.status(200));
    browser.click("#retry");
    browser.waitForText("#delivery-status", "Succeeded");
    assertThat(browser.all(".attempt[data-number]")).hasSize(2);
    assertThat(browser.all("#retry")).isEmpty();
  }

  @Test
  @Order(8)
  void theListShowsStateLastDeliveryAndTheDay() {
    String other =
        api.post(
                "/api/v1/webhooks",
                acc.key(),
                "{\"name\": \"Old archive\", \"events\": [\"recording.created\"], \"method\": \"GET\","
                    + " \"url\": \""
                    + receiver.url("/archive/{{id}}")
                    + "\"}")
            .json()
            .path("id")
            .asText();
    go("#/webhooks");
    browser.waitForText("h1", "Webhooks");
    browser.waitFor(d -> browser.all("tr[data-webhook-id] canvas").size() == 2);
    String crm = "tr[data-webhook-id]:not([data-webhook-id='" + other + "'])";
    browser.waitForText(crm, "Succeeded");
    assertThat(browser.find(crm).getText())
        .contains("CRM notes")
        .contains("Call created")
        .contains("Enabled");
    assertThat(browser.find(crm + " .chart").getAttribute("aria-label"))
        .contains("2 succeeded, 0 failed");
    browser.screenshot("08-webhooks");
    browser.assertAccessible("webhooks");

    String row = "tr[data-webhook-id='" + other + "']";
    browser.click(row + " .row-actions button:nth-of-type(1)");
    browser.waitForText(row, "Disabled");
    assertThat(api.get("/api/v1/webhooks/" + other, acc.key()).json().path("enabled").asBoolean())
        .isFalse();

    browser.click(row + " .btn-danger-quiet");
    WebElement dialog = browser.find("dialog[open]");
    assertThat(dialog.getText()).contains("Delete “Old archive”?");
    browser.screenshot("09-webhooks-delete-confirmation");
    dialog.findElement(By.cssSelector(".btn-danger")).click();
    browser.waitFor(d -> browser.all(row).isEmpty());
    assertThat(api.get("/api/v1/webhooks/" + other, acc.key()).status()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void theCatalogShowsEveryTypeWithFieldsAndSample() {
    go("#/catalog/call.created");
    browser.waitForText("h1", "Event catalog");
    assertThat(browser.all(".catalog-list li")).hasSize(26);
    assertThat(browser.find(".fields-table").getText())
        .contains("client.name")
        .contains("Full name of the client");
    assertThat(browser.find(".catalog-detail pre").getText()).contains("María José Núñez");
    browser.find("#catalog-search").sendKeys("recording");
    browser.waitFor(d -> browser.all(".catalog-list li").size() < 26 ? true : null);
    browser.screenshot("10-catalog");
    browser.assertAccessible("catalog");
  }

  @Test
  @Order(10)
  void switchesToSpanishAndBack() {
    go("#/webhooks");
    browser.waitForText("h1", "Webhooks");
    new Select(browser.find("#lang")).selectByValue("es");
    browser.waitForText("#main-nav", "Entregas");
    browser.waitForText("thead", "Última entrega");
    assertThat(browser.js("return document.documentElement.lang")).isEqualTo("es");
    assertThat(browser.find("tr[data-webhook-id]").getText())
        .contains("Llamada creada")
        .contains("Activo");
    browser.screenshot("11-webhooks-es");

    go("#/webhooks/new");
    browser.waitForText("h1", "Nuevo webhook");
    assertThat(browser.find(".palette").getText()).contains("Variables");
    assertThat(browser.find("label[for='webhook-url']").getText()).isEqualTo("URL");
    assertThat(browser.find(".editor-form").getText())
        .contains("Eventos")
        .contains("Cabeceras")
        .contains("Formato del cuerpo");
    browser.find("#event-search").sendKeys("llamada");
    browser.click("#ev-call-created");
    browser.waitForText(".palette-list", "client.name");
    browser.screenshot("12-editor-es");
    browser.assertAccessible("editor (es)");

    // The choice is kept on reload.
    browser.reload();
    browser.waitForText("#main-nav", "Entregas");
    new Select(browser.find("#lang")).selectByValue("en");
    browser.waitForText("#main-nav", "Deliveries");
  }

  @Test
  @Order(11)
  void theEditorWorksByKeyboardAlone() {
    go("#/webhooks/new");
    browser.waitForText("h1", "New webhook");
    tabTo(e -> "webhook-name".equals(e.getAttribute("id")), 10).sendKeys("Keyboard hook");
    WebElement search = tabTo(e -> "event-search".equals(e.getAttribute("id")), 5);
    search.sendKeys("Call created");
    tabTo(e -> "ev-call-created".equals(e.getAttribute("id")), 3).sendKeys(Keys.SPACE);
    WebElement url = tabTo(e -> "webhook-url".equals(e.getAttribute("id")), 10);
    url.sendKeys(Keys.chord(Keys.CONTROL, "a"), receiver.url("/kbd"));
    WebElement template = tabTo(e -> e.getAttribute("class").contains("CodeMirror-code"), 10);
    template.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, "{\"who\": ");
    // Ctrl+Space jumps to the palette; Enter on a variable inserts it where the cursor was.
    template.sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
    WebElement paletteSearch = browser.driver.switchTo().activeElement();
    assertThat(paletteSearch.getAttribute("id")).isEqualTo("palette-search");
    paletteSearch.sendKeys("client.name");
    tabTo(e -> "client.name".equals(e.getAttribute("data-path")), 3).sendKeys(Keys.ENTER);
    assertThat(browser.driver.switchTo().activeElement().getAttribute("class"))
        .contains("CodeMirror-code");
    browser.driver.switchTo().activeElement().sendKeys("}");
    browser.waitForText("#preview-body", "{\"who\": \"María José Núñez\"}");
    // Tab leaves the editor (no trap) and reaches Save.
    tabTo(e -> "Save".equals(e.getText()), 15).sendKeys(Keys.ENTER);
    browser.waitFor(d -> browser.driver.getCurrentUrl().contains("#/webhooks/wh_") ? true : null);
    browser.waitForText(".save-state", "All changes saved");
  }

  /** Presses Tab until the focused element passes {@code test}. */
  static WebElement tabTo(java.util.function.Predicate<WebElement> test, int most) {
    for (int i = 0; i <= most; i++) {
      WebElement active = browser.driver.switchTo().activeElement();
      if (test.test(active)) {
        return active;
      }
      active.sendKeys(Keys.TAB);
    }
    throw new AssertionError(
        "Tab did not reach the element within "
            + most
            + " presses; at "
            + browser.driver.switchTo().activeElement().getAttribute("outerHTML"));
  }

  @Test
  @Order(12)
  void logsOut() {
    go("#/webhooks");
    browser.click("#logout");
    browser.waitForText("h1", "Sign in");
    assertThat(browser.all("#main-nav:not([hidden])")).isEmpty();
    // The old cookie is worth nothing now: a reload stays signed out.
    browser.open(api.base().replace("localhost", "127.0.0.1") + "/#/webhooks");
    browser.waitForText("h1", "Sign in");
  }
}
