package io.estafeta.template;

import static io.estafeta.template.Renders.data;
import static io.estafeta.template.Renders.list;
import static io.estafeta.template.Renders.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates cannot reach Java objects, files, other templates or unbounded work: method and class
 * access read nothing, includes and unsafe built-ins are refused when saving, and deep nesting,
 * loop bombs and output bombs stop with a clear error, each within one second.
 */
class SandboxTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  record Secret(String password) {}

  @BeforeAll
  static void warmUp() throws Exception {
    render(
        Target.JSON,
        "{\"a\": {{a}}, \"b\": [{{#each b}}{{this}}{{/each}}]}",
        data("a", 1, "b", list(1)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{name.toUpperCase}}",
        "{{name.class}}",
        "{{name.class.name}}",
        "{{name.bytes}}",
        "{{name.empty}}",
        "{{name.length}}",
        "{{this.getClass}}",
        "{{this.class}}",
        "{{this.class.classLoader}}",
        "{{items.size}}",
        "{{items.class}}",
        "{{items.empty}}",
        "{{secret.password}}",
        "{{file.path}}",
        "{{file.absolutePath}}",
        "{{{name.class}}}",
        "{{& name.toString}}",
        "{{upper name.class}}",
        "{{json secret}}",
        "{{json file}}",
        "{{@event.class}}",
        "{{@root.class}}"
      })
  void javaMembersAreNeverReached(String template) throws Exception {
    Map<String, Object> d =
        data(
            "name",
            "ana",
            "items",
            list(1, 2, 3),
            "secret",
            new Secret("hunter2"),
            "file",
            new File("/etc/passwd"));
    String out =
        assertTimeoutPreemptively(SECOND, () -> render(Target.TEXT, "<" + template + ">", d));
    assertThat(out).isIn("<>", "<\"\">");
  }

  @Test
  void aBareBuiltInNameIsJustAFieldName() throws Exception {
    assertThat(render(Target.TEXT, "<{{i18nJs}}{{log}}{{lookup}}>", data())).isEqualTo("<>");
  }

  @Test
  void missingMembersAreNullInJsonValues() throws Exception {
    assertThat(render(Target.JSON, "{\"c\": {{name.class}}}", data("name", "ana")))
        .isEqualTo("{\"c\": null}");
  }

  @Test
  void listLengthIsDataNotAMethod() throws Exception {
    assertThat(render(Target.TEXT, "{{items.length}}", data("items", list(1, 2, 3))))
        .isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{> partial}}",
        "{{> (lookup . 'x')}}",
        "{{#> layout}}x{{/layout}}",
        "{{#*inline \"p\"}}x{{/inline}}{{> p}}",
        "{{*decorator}}",
        "{{{{raw}}}}{{x}}{{{{/raw}}}}",
        "{{=<% %>=}}<%x%>",
        "{{embedded \"x\"}}",
        "{{i18n \"key\"}}",
        "{{i18nJs \"es\"}}",
        "{{precompile \"x\"}}",
        "{{log \"x\"}}",
        "{{lookup this \"x\"}}",
        "{{block \"x\"}}",
        "{{partial \"x\"}}",
        "{{#embedded}}x{{/embedded}}",
        "{{#block \"x\"}}y{{/block}}",
        "{{#i18n}}x{{/i18n}}",
        "{{#x}}section{{/x}}",
        "{{^x}}inverted{{/x}}",
        "{{#each items as |item|}}{{item}}{{/each}}",
        "{{default x fallback=\"y\"}}",
        "{{eq a b c}}",
        "{{foo bar}}"
      })
  void includesAndUnsafeBuiltInsAreRefusedWhenSaving(String template) {
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> Renders.ENGINE.compile(template, Target.TEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessageNotContaining("Exception"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"with", "if", "unless", "each"})
  void tenThousandNestedBlocksAreRefused(String block) {
    String template =
        ("{{#" + block + " a}}").repeat(10_000) + "x" + ("{{/" + block + "}}").repeat(10_000);
    TemplateEngine big = new TemplateEngine(new Limits(1 << 20, 1 << 20, 10_000));
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> big.compile(template, Target.TEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nested more than 100 levels"));
  }

  @Test
  void deeplyNestedHelpersAreRefused() {
    String template = "{{" + "upper (".repeat(5_000) + "x" + ")".repeat(5_000) + "}}";
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> Renders.ENGINE.compile(template, Target.TEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nested more than 10 levels"));
  }

  @Test
  void hundredNestedBlocksStillWork() throws Exception {
    String template = "{{#with a}}".repeat(100) + "{{b}}" + "{{/with}}".repeat(100);
    Map<String, Object> d = data("b", "deep");
    Map<String, Object> cursor = d;
    for (int i = 0; i < 100; i++) {
      Map<String, Object> next = data("b", i == 99 ? "deep" : "no");
      cursor.put("a", next);
      cursor = next;
    }
    assertThat(assertTimeoutPreemptively(SECOND, () -> render(Target.TEXT, template, d)))
        .isEqualTo("deep");
  }

  @Test
  void longPathsAreRefusedBeforeHandlebarsLexesThem() {
    // Handlebars' lexer takes seconds on a path of a few hundred parts.
    String template = "{{" + "a.".repeat(20_000) + "a}}";
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> Renders.ENGINE.compile(template, Target.TEXT))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("at most 20 parts"));
  }

  @Test
  void aTemplateFullOfTagsCompilesQuickly() throws Exception {
    String one = "{{" + "ab.".repeat(19) + "ab}}{{upper x}}{{#if y}}z{{/if}}";
    String template = one.repeat(64 * 1024 / one.length());
    Renders.ENGINE.compile(template, Target.TEXT); // warm up
    assertTimeoutPreemptively(SECOND, () -> Renders.ENGINE.compile(template, Target.TEXT));
  }

  @Test
  void selfReferencingDataStopsWithAnError() {
    Map<String, Object> self = new HashMap<>();
    self.put("self", self);
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.JSON, "{{json this}}", self))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("nested more than"));
  }

  @Test
  void deeplyNestedDataStopsWithAnError() {
    Map<String, Object> root = new HashMap<>();
    Map<String, Object> cursor = root;
    for (int i = 0; i < 50_000; i++) {
      Map<String, Object> next = new HashMap<>();
      cursor.put("a", next);
      cursor = next;
    }
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.YAML, "v: {{this}}", root))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("nested more than"));
  }

  @Test
  void nestedLoopBombStopsFast() {
    Map<String, Object> d = data("a", IntStream.range(0, 1000).boxed().toList());
    String template = "{{#each a}}{{#each ../a}}{{#each ../../a}}x{{/each}}{{/each}}{{/each}}";
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.TEXT, template, d))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("loops more than 10000 times"));
  }

  @Test
  void loopsWithinTheBudgetRun() throws Exception {
    Map<String, Object> d = data("a", IntStream.range(0, 99).boxed().toList());
    String out =
        assertTimeoutPreemptively(
            SECOND, () -> render(Target.TEXT, "{{#each a}}{{#each ../a}}.{{/each}}{{/each}}", d));
    assertThat(out).hasSize(99 * 99);
  }

  @Test
  void outputBombOfValuesInALoopIsCutOff() {
    Map<String, Object> d =
        data("big", "x".repeat(100_000), "a", IntStream.range(0, 1000).boxed().toList());
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.TEXT, "{{#each a}}{{../big}}{{/each}}", d))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("larger than 1 MiB"));
  }

  @Test
  void outputBombOfLiteralTextInALoopIsCutOff() {
    Map<String, Object> d = data("a", IntStream.range(0, 5000).boxed().toList());
    String template = "{{#each a}}" + "y".repeat(60_000) + "{{/each}}";
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.TEXT, template, d))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("larger than 1 MiB"));
  }

  @Test
  void outputBombWithoutLoopsIsCutOff() {
    Map<String, Object> d = data("big", "x".repeat(300_000));
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.TEXT, "{{big}}".repeat(10), d))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("larger than 1 MiB"));
  }

  @Test
  void helperWorkBombIsCutOff() {
    List<Object> big = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      big.add("item-" + i);
    }
    Map<String, Object> d = data("big", big, "a", IntStream.range(0, 5000).boxed().toList());
    String template = "{{#each a}}{{#if (eq (upper (join ../big \", \")) \"x\")}}!{{/if}}{{/each}}";
    assertTimeoutPreemptively(
        SECOND,
        () ->
            assertThatThrownBy(() -> render(Target.TEXT, template, d))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("helpers build more than"));
  }

  @Test
  void sourceOverTheLimitIsRefused() {
    String template = "x".repeat(64 * 1024) + "{{y}}";
    assertThatThrownBy(() -> Renders.ENGINE.compile(template, Target.TEXT))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("limit is 65536")
        .satisfies(e -> {
          assertThat(((TemplateException) e).line()).isEqualTo(1);
          assertThat(((TemplateException) e).column()).isEqualTo(64 * 1024 + 1);
        });
  }

  @Test
  void smallerLimitsApply() throws Exception {
    TemplateEngine tight = new TemplateEngine(new Limits(100, 20, 3));
    Map<String, Object> d = data("a", list(1, 2, 3, 4));
    assertThatThrownBy(() -> tight.compile("x".repeat(101), Target.TEXT))
        .isInstanceOf(TemplateException.class);
    assertThatThrownBy(() ->
            tight.compile("{{#each a}}{{this}}{{/each}}", Target.TEXT).render(Renders.context(d)))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("more than 3 times");
    assertThatThrownBy(() ->
            tight.compile("{{x}}", Target.TEXT).render(Renders.context(data("x", "y".repeat(21)))))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("larger than 20 characters");
    assertThat(
            tight.compile("{{x}}", Target.TEXT).render(Renders.context(data("x", "y".repeat(20)))))
        .hasSize(20);
  }

  @Test
  void compiledTemplatesAreSafeToShareBetweenThreads() throws Exception {
    CompiledTemplate t =
        Renders.ENGINE.compile(
            "{\"n\": {{n}}, \"s\": [{{#each s}}{{this}},{{/each}}0]}", Target.JSON);
    List<Thread> threads = new ArrayList<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int k = 0; k < 8; k++) {
      int n = k;
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; i < 500; i++) {
                  try {
                    String out = t.render(Renders.context(data("n", n, "s", list(n, i))));
                    if (!out.equals("{\"n\": " + n + ", \"s\": [" + n + "," + i + ",0]}")) {
                      failures.add(out);
                    }
                  } catch (RenderException e) {
                    failures.add(e.getMessage());
                  }
                }
              }));
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures).isEmpty();
  }
}
