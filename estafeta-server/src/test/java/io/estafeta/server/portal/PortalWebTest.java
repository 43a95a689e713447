package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.server.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The portal's files: served with their security headers, self-contained, fully translated. */
class PortalWebTest {
  static final Path PORTAL = Path.of("src/main/resources/portal");
  static TestServer api;

  @BeforeAll
  static void start() {
    api = TestServer.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Http.Reply get(String path) {
    return Http.send("GET", api.base() + path, null, null, Map.of());
  }

  @Test
  void thePortalIsServedAtTheRootWithAStrictPolicy() {
    Http.Reply page = get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/js/app.js\">");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp)
        .contains("default-src 'self'")
        .contains("script-src 'self'")
        .contains("style-src 'self'")
        .contains("frame-ancestors 'none'")
        .contains("object-src 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    // The API answers carry them too.
    assertThat(get("/health").header("Content-Security-Policy")).isEqualTo(csp);
    assertThat(get("/js/app.js").header("Content-Security-Policy")).isEqualTo(csp);
  }

  @Test
  void unknownPathsAreStillProblems() {
    Http.Reply r = get("/no/such/page");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(get("/api/v1/nope").status()).isEqualTo(404);
  }

  @Test
  void everyFileThePageLoadsIsServed() throws IOException {
    String index = Files.readString(PORTAL.resolve("index.html"));
    List<String> assets = new ArrayList<>();
    Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"#]+)\"").matcher(index);
    while (m.find()) {
      assets.add(m.group(1));
    }
    // The modules import the chart library by its WebJar path.
    Matcher imports =
        Pattern.compile("from '(/webjars/[^']+)'").matcher(Files.readString(jsFile("chart.js")));
    while (imports.find()) {
      assets.add(imports.group(1));
    }
    assertThat(assets).hasSizeGreaterThan(8);
    for (String asset : assets) {
      Http.Reply r = get(asset);
      assertThat(r.status()).as(asset).isEqualTo(200);
      if (asset.endsWith(".js")) {
        assertThat(r.header("Content-Type")).as(asset).contains("javascript");
      }
    }
    for (String lang : List.of("en", "es")) {
      assertThat(get("/i18n/" + lang + ".json").status()).isEqualTo(200);
    }
  }

  @Test
  void onlyTheLibrariesScriptsAndStylesAreServedFromTheWebJars() {
    Http.Reply script = get("/webjars/codemirror/5.65.21/lib/codemirror.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Cache-Control")).contains("immutable");
    assertThat(get("/webjars/uplot/1.6.30/dist/uPlot.min.css").status()).isEqualTo(200);
    // The WebJars' own demo pages and metadata stay off this origin.
    for (String path :
        List.of(
            "/webjars/codemirror/5.65.21/mode/rpm/changes/index.html",
            "/webjars/codemirror/5.65.21/package.json",
            "/webjars/uplot/1.6.30/README.md")) {
      Http.Reply r = get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.header("Content-Type")).as(path).startsWith("application/problem+json");
    }
  }

  @Test
  void noInlineScriptStyleOrHtmlParsing() throws IOException {
    String index = Files.readString(PORTAL.resolve("index.html"));
    assertThat(index).doesNotContain("<style").doesNotContain(" style=");
    Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(index);
    while (scripts.find()) {
      assertThat(scripts.group(1)).as("every script has a src").contains("src=");
    }
    assertThat(index).doesNotContainPattern("\\son[a-z]+=");
    try (Stream<Path> files = Files.walk(PORTAL.resolve("js"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        // Text goes into the page as text: no HTML parsing of data anywhere.
        assertThat(Files.readString(f))
            .as(f.toString())
            .doesNotContain("innerHTML")
            .doesNotContain("outerHTML")
            .doesNotContain("insertAdjacentHTML")
            .doesNotContain("document.write")
            .doesNotContain("eval(");
      }
    }
  }

  @Test
  void bothLanguagesHaveEveryLabelThePagesUse() throws IOException {
    JsonNode en = Http.JSON.readTree(PORTAL.resolve("i18n/en.json").toFile());
    JsonNode es = Http.JSON.readTree(PORTAL.resolve("i18n/es.json").toFile());
    Set<String> enKeys = new TreeSet<>();
    en.fieldNames().forEachRemaining(enKeys::add);
    Set<String> esKeys = new TreeSet<>();
    es.fieldNames().forEachRemaining(esKeys::add);
    assertThat(esKeys).isEqualTo(enKeys);
    es.properties().forEach(e -> assertThat(e.getValue().asText()).as(e.getKey()).isNotBlank());

    Set<String> used = new TreeSet<>();
    Pattern call = Pattern.compile("(?<![\\w.])t\\('([a-zA-Z0-9_.]+)'");
    Pattern keyed = Pattern.compile("key: '([a-zA-Z0-9_.]+)'");
    try (Stream<Path> files = Files.walk(PORTAL.resolve("js"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        String text = Files.readString(f);
        for (Pattern p : List.of(call, keyed)) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            used.add(m.group(1));
          }
        }
      }
    }
    Matcher html =
        Pattern.compile("data-i18n(?:-label)?=\"([a-zA-Z0-9_.]+)\"")
            .matcher(Files.readString(PORTAL.resolve("index.html")));
    while (html.find()) {
      used.add(html.group(1));
    }
    assertThat(used).hasSizeGreaterThan(150);
    assertThat(enKeys).containsAll(used);
    // Labels built from values: statuses, outcomes, reasons, formats, periods, categories.
    for (String key :
        List.of(
            "status.pending",
            "status.succeeded",
            "status.failed",
            "status.cancelled",
            "outcome.success",
            "outcome.retry",
            "outcome.failure",
            "reason.client_error",
            "reason.redirect",
            "reason.retries_exhausted",
            "reason.blocked_destination",
            "reason.render_error",
            "format.json",
            "format.form",
            "period.1h",
            "period.all",
            "category.qms_ticket",
            "category.agent_form")) {
      assertThat(enKeys).contains(key);
    }
  }

  private static Path jsFile(String name) {
    return PORTAL.resolve("js").resolve(name);
  }
}
