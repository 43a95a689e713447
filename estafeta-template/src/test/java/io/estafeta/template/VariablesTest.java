package io.estafeta.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The paths a template reads, with with/each/../ resolved, for the webhook API's warnings. */
class VariablesTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        v("{{client.name}} {{client.name}}", "client.name"),
        v(
            "{{#each answers}}{{label}} {{this}}{{/each}}",
            "answers",
            "answers[]",
            "answers[].label"),
        v("{{#with client}}{{name}} {{../status}}{{/with}}", "client", "client.name", "status"),
        v(
            "{{#each a}}{{#each b}}{{c}} {{../d}} {{../../e}}{{/each}}{{/each}}",
            "a",
            "a[].b",
            "a[].b[].c",
            "a[].d",
            "e"),
        v("{{#each a}}{{#if x}}{{../y}}{{/if}}{{/each}}", "a", "a[].x", "y"),
        v("{{#each a}}x{{else}}{{b}}{{/each}}", "a", "b"),
        v("{{#with c}}{{d}}{{else}}{{e}}{{/with}}", "c", "c.d", "e"),
        v("{{items.0.name}} {{items.[1]}}", "items[]", "items[].name"),
        v(
            "{{upper (default client.name \"x\")}} {{#if (eq status \"ok\")}}{{/if}}",
            "client.name",
            "status"),
        v("{{@event.id}} {{@index}} {{@root.x.y}} {{\"lit\"}} {{42}} {{true}}", "x.y"),
        v("{{#each list}}{{@root.top}}{{@index}}{{/each}}", "list", "top"),
        v("{{this.a}} {{./b}} {{this}}", "a", "b"),
        v("{{#each (json a)}}{{x}}{{/each}}", "a"),
        v("{{date}} {{date when \"yyyy\"}}", "date", "when"),
        v("{{#if a}}{{else if b}}{{c}}{{else}}{{d}}{{/if}}", "a", "b", "c", "d"));
  }

  private static Arguments v(String template, String... variables) {
    return Arguments.of(template, variables);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lists(String template, String[] expected) throws Exception {
    assertThat(Renders.ENGINE.compile(template, Target.TEXT).variables())
        .containsExactlyInAnyOrder(expected);
  }
}
