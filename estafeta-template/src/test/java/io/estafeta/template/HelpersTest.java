package io.estafeta.template;

import static io.estafeta.template.Renders.data;
import static io.estafeta.template.Renders.list;
import static io.estafeta.template.Renders.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract's helpers, variables and blocks, rendered as text (no escaping in the way). */
class HelpersTest {
  private static final Map<String, Object> DATA = sample();

  private static Map<String, Object> sample() {
    Map<String, Object> answers = new LinkedHashMap<>();
    answers.put("q1", "yes");
    answers.put("q2", "no");
    return data(
        "client",
        data("name", "  Ana María  ", "vip", true, "email", "ana@example.com"),
        "status",
        "approved",
        "count",
        10,
        "countText",
        "10",
        "zero",
        0,
        "price",
        new BigDecimal("19.90"),
        "empty",
        "",
        "nothing",
        null,
        "tags",
        list("a", "b", "c"),
        "items",
        list(data("label", "one", "n", 1), data("label", "two", "n", 2)),
        "answers",
        answers,
        "when",
        "2024-05-01T13:45:00Z",
        "day",
        "2024-05-01",
        "millis",
        1714571100000L,
        "straße",
        "straße");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // variables and metadata
        c("{{client.email}}", "ana@example.com"),
        c("{{missing}}|{{missing.deep}}|{{nothing}}", "||"),
        c(
            "{{@event.id}} {{@event.type}} {{@event.occurredAt}}",
            "evt_1 call.created 2024-05-01T13:45:00Z"),
        c("{{@account.id}} {{@account.name}} {{@delivery.id}}", "acc_1 Acme del_1"),
        c("{{price}} {{count}}", "19.90 10"),
        c("{{tags.1}} {{tags.[2]}} {{tags.length}}", "b c 3"),
        // json
        c(
            "{{json client.vip}} {{json tags}} {{json status}}",
            "true [\"a\",\"b\",\"c\"] \"approved\""),
        c("{{json missing}}", "null"),
        // default
        c(
            "{{default missing \"n/a\"}} {{default nothing \"n/a\"}} {{default empty \"n/a\"}}",
            "n/a n/a n/a"),
        c("{{default status \"n/a\"}} {{default zero \"n/a\"}}", "approved 0"),
        // upper lower trim
        c(
            "[{{trim client.name}}] [{{upper (trim client.name)}}] [{{lower \"ÀB\"}}]",
            "[Ana María] [ANA MARÍA] [àb]"),
        c("{{upper straße}} {{upper count}} {{upper missing}}|", "STRASSE 10 |"),
        // join
        c("{{join tags \", \"}} | {{join tags}} | {{join tags \"\"}}", "a, b, c | a, b, c | abc"),
        c("{{join status \"-\"}} {{join missing \"-\"}}|", "approved |"),
        // date
        c("{{date when \"yyyy-MM-dd HH:mm\" \"America/Santiago\"}}", "2024-05-01 09:45"),
        c("{{date when}}", "2024-05-01T13:45:00Z"),
        c("{{date when \"EEEE d MMMM yyyy\"}}", "Wednesday 1 May 2024"),
        c("{{date day \"dd/MM/yyyy\"}} {{date millis \"HH:mm\" \"UTC\"}}", "01/05/2024 13:45"),
        c("{{date @event.occurredAt \"HH:mm xxx\" \"+02:00\"}}", "15:45 +02:00"),
        c("{{date missing \"yyyy\"}}|", "|"),
        // eq ne gt lt
        c("{{#if (eq status \"approved\")}}ok{{else}}no{{/if}}", "ok"),
        c("{{#if (ne status \"approved\")}}ok{{else}}no{{/if}}", "no"),
        c(
            "{{#if (eq count 10)}}a{{/if}}{{#if (eq count \"10\")}}b{{/if}}{{#if (eq countText 10)}}c{{/if}}",
            "abc"),
        c(
            "{{#if (gt count 9)}}a{{/if}}{{#if (gt count 10)}}b{{/if}}{{#if (lt count 10.5)}}c{{/if}}",
            "ac"),
        c(
            "{{#if (gt countText 9)}}num{{/if}}{{#if (gt \"b\" \"a\")}}str{{/if}}{{#if (gt missing 1)}}never{{/if}}",
            "numstr"),
        c(
            "{{#if (eq price 19.9)}}equal{{/if}} {{#if (eq missing nothing)}}nulls{{/if}}",
            "equal nulls"),
        c("{{eq 1 1}} {{lt 2 1}}", "true false"),
        // blocks
        c(
            "{{#if client.vip}}vip{{/if}}{{#if zero}}zero{{/if}}{{#if empty}}empty{{/if}}{{#unless missing}}!{{/unless}}",
            "vip!"),
        c("{{#if missing}}a{{else if client.vip}}b{{else}}c{{/if}}", "b"),
        c("{{#if missing}}a{{else unless client.vip}}b{{else}}c{{/if}}", "c"),
        c(
            "{{#each items}}{{@index}}:{{label}}{{#if @first}}(first){{/if}}{{#if @last}}(last){{/if}} {{/each}}",
            "0:one(first) 1:two(last) "),
        c("{{#each answers}}{{@key}}={{this}};{{/each}}", "q1=yes;q2=no;"),
        c(
            "{{#each missing}}x{{else}}none{{/each}} {{#each tags}}{{this}}{{else}}none{{/each}}",
            "none abc"),
        c(
            "{{#each items}}{{label}}@{{../status}}{{#if (eq n 2)}}/{{@root.count}}{{/if}} {{/each}}",
            "one@approved two@approved/10 "),
        c("{{#with client}}{{email}} {{../status}}{{/with}}", "ana@example.com approved"),
        c("{{#with missing}}x{{else}}no client{{/with}}", "no client"),
        c("{{#each tags}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}", "a, b, c"),
        // whitespace control, comments, literals, {{& }}
        c("a   {{~status~}}   b", "aapprovedb"),
        c("a {{! note }}b{{!-- {{status}} --}}c", "a bc"),
        c("x\n{{~#if client.vip~}}\n  y\n{{~/if~}}\nz", "xyz"),
        c("{{\"literal\"}} {{42}} {{-7}} {{0.25}} {{true}}", "literal 42 -7 0.25 true"),
        c("{{#if (gt count 1234567890123456789.5)}}big{{else}}small{{/if}}", "small"),
        c("{{&status}} {{{ status }}}", "approved approved"),
        c("C:\\{{status}}", "C:\\approved"),
        c("{{date}}", ""),
        c("{{this.status}} {{./status}}", "approved approved"));
  }

  private static Arguments c(String template, String expected) {
    return Arguments.of(template, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renders(String template, String expected) throws Exception {
    assertThat(render(Target.TEXT, template, DATA)).isEqualTo(expected);
  }

  @Test
  void fieldsNamedLikeHelpersAreReadAsFields() throws Exception {
    assertThat(
            render(
                Target.TEXT,
                "{{date}} {{upper}} {{json}}",
                data("date", "d", "upper", "u", "json", "j")))
        .isEqualTo("d u j");
  }

  @Test
  void badDatesAtRenderTimeAreRenderErrors() {
    assertThatThrownBy(() -> render(Target.TEXT, "{{date status}}", DATA))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("\"approved\" is not an ISO-8601 date");
    assertThatThrownBy(() -> render(Target.TEXT, "{{date when status}}", DATA))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("not a valid date pattern");
    assertThatThrownBy(() -> render(Target.TEXT, "{{date when \"yyyy\" status}}", DATA))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("not a known time zone");
  }

  @Test
  void javaTimeValuesFromOurOwnCodeAreDates() throws Exception {
    RenderContext ctx =
        new RenderContext(
            data(), Map.of("occurredAt", Instant.parse("2024-05-01T13:45:00Z")), null, null);
    assertThat(
            Renders.ENGINE
                .compile("{{@event.occurredAt}} {{date @event.occurredAt \"yyyy\"}}", Target.TEXT)
                .render(ctx))
        .isEqualTo("2024-05-01T13:45:00Z 2024");
  }

  @Test
  void missingIsNullInJsonAndYamlValuesAndEmptyElsewhere() throws Exception {
    assertThat(render(Target.JSON, "{\"a\": {{x}}, \"b\": \"{{x}}\"}", data()))
        .isEqualTo("{\"a\": null, \"b\": \"\"}");
    assertThat(render(Target.YAML, "a: {{x}}\nb: \"{{x}}\"", data())).isEqualTo("a: null\nb: \"\"");
    assertThat(render(Target.XML, "<a b=\"{{x}}\">{{x}}</a>", data())).isEqualTo("<a b=\"\"></a>");
    assertThat(render(Target.CSV, "{{x}},{{x}}", data())).isEqualTo(",");
  }

  @Test
  void bracesAndBackslashesNextToTagsStayText() throws Exception {
    Map<String, Object> d = data("x", 1, "y", true);
    assertThat(render(Target.JSON, "{\"a\":{\"b\":{{x}}}}", d)).isEqualTo("{\"a\":{\"b\":1}}");
    assertThat(render(Target.JSON, "{\"a\":{{#if y}}{\"b\":{{x}}}{{else}}{}{{/if}}}", d))
        .isEqualTo("{\"a\":{\"b\":1}}");
    assertThat(render(Target.JSON, "[{{#each l}}{{{this}}}{{/each}}]", data("l", list("{}", "{}"))))
        .isEqualTo("[{}{}]");
    assertThat(render(Target.TEXT, "{ {{~x~}} } \\{{x}} \\\\{{x}}", d)).isEqualTo("{1} \\1 \\\\1");
  }

  @Test
  void renderContextReadsNullMapsAsEmpty() throws Exception {
    assertThat(
            Renders.ENGINE
                .compile("[{{@event.id}}{{x}}]", Target.TEXT)
                .render(new RenderContext(null, null, null, null)))
        .isEqualTo("[]");
  }
}
