package io.estafeta.template;

import static io.estafeta.template.Renders.data;
import static io.estafeta.template.Renders.normalize;
import static io.estafeta.template.Renders.render;
import static io.estafeta.template.Renders.shorten;
import static io.estafeta.template.Renders.text;
import static io.estafeta.template.Renders.xmlClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * For random strings (any Unicode, control chars, markup and quoting characters) and random nested
 * values, a realistic template per format renders to something its real parser reads, and every
 * value reads back exactly (XML: minus the characters XML 1.0 cannot carry).
 */
class EscapingPropertiesTest {

  // ---------------------------------------------------------------------------------------------
  // Generators

  private static final List<String> HOSTILE_PIECES =
      List.of(
          "\"", "'", "\\", "\r", "\n", "\r\n", "\t", "\u0000", "\u0001", "\u001b", "\u007f",
          "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "]]>", "]]", "]",
          "</", "<", ">", "&", "&amp;", "#", "?", "/", "..", ".", "%", "%2F", "+", "=", ",", ":",
          ": ", " #", "- ", "--", "-", "[", "{", "}", "|", "*", "!", "@", "`", "{{", "}}", " ",
          "yes", "null", "true", "1e5", "0x1F", "~", "😀", "👍🏽", "é", "中");

  @Provide
  static Arbitrary<String> strings() {
    Arbitrary<String> hostile = Arbitraries.of(HOSTILE_PIECES);
    Arbitrary<String> ascii = Arbitraries.chars().range(' ', '~').map(String::valueOf);
    Arbitrary<String> control = Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf);
    Arbitrary<String> unicode =
        Arbitraries.integers()
            .between(0, 0x10FFFF)
            .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
            .map(Character::toString);
    return Arbitraries.frequencyOf(
            Tuple.of(4, hostile), Tuple.of(4, ascii), Tuple.of(2, unicode), Tuple.of(1, control))
        .list()
        .ofMaxSize(12)
        .map(pieces -> String.join("", pieces));
  }

  @Provide
  static Arbitrary<List<String>> stringLists() {
    return strings().list().ofMaxSize(4);
  }

  @Provide
  static Arbitrary<Object> scalars() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, strings().map(s -> (Object) s)),
        Tuple.of(1, Arbitraries.integers().map(i -> (Object) i)),
        Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
        Tuple.of(1, Arbitraries.doubles().between(-1e12, 1e12).map(d -> (Object) d)),
        Tuple.of(1, Arbitraries.of(1e10, 1.5e-7, -0.0, 1e300, 0.1).map(d -> (Object) d)),
        Tuple.of(
            1,
            Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e9"), new BigDecimal("1e9"))
                .ofScale(3)
                .map(d -> (Object) d)),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  @Provide
  static Arbitrary<Object> values() {
    return value(3);
  }

  private static Arbitrary<Object> value(int depth) {
    if (depth == 0) {
      return scalars();
    }
    Arbitrary<Object> maps =
        Arbitraries.maps(strings(), value(depth - 1))
            .ofMaxSize(3)
            .map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> lists =
        value(depth - 1).list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l));
    return Arbitraries.frequencyOf(Tuple.of(6, scalars()), Tuple.of(1, maps), Tuple.of(1, lists));
  }

  // ---------------------------------------------------------------------------------------------
  // JSON

  private static final String JSON =
      """
      {
        "event": "{{@event.type}}",
        "id": {{id}},
        "client": {"name": "{{client.name}}", "display": "Client: {{client.name}}!"},
        "payload": {{payload}},
        "payloadText": "{{json payload}}",
        "tags": [{{#each tags}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}],
        "labels": [{{#each tags}}"#{{@index}} {{this}}"{{#unless @last}},{{/unless}}{{/each}}],
        "k_{{key}}": {{client.name}}
      }
      """;

  @Property(tries = 300)
  void jsonBodiesReadBack(
      @ForAll("strings") String name,
      @ForAll("values") Object id,
      @ForAll("values") Object payload,
      @ForAll("stringLists") List<String> tags,
      @ForAll("strings") String key)
      throws Exception {
    String out =
        render(
            Target.JSON,
            JSON,
            data(
                "id",
                id,
                "client",
                data("name", name),
                "payload",
                payload,
                "tags",
                tags,
                "key",
                key));
    assertThat(RenderedCheck.check(Target.JSON, out)).as(shorten(out)).isEmpty();
    Map<?, ?> read = (Map<?, ?>) Renders.readJson(out);
    assertThat(read.get("event")).isEqualTo("call.created");
    assertThat(normalize(read.get("id"))).isEqualTo(normalize(id));
    Map<?, ?> client = (Map<?, ?>) read.get("client");
    assertThat(client.get("name")).isEqualTo(name);
    assertThat(client.get("display")).isEqualTo("Client: " + name + "!");
    assertThat(normalize(read.get("payload"))).isEqualTo(normalize(payload));
    assertThat(normalize(Renders.readJson((String) read.get("payloadText"))))
        .isEqualTo(normalize(payload));
    assertThat(read.get("tags")).isEqualTo(tags);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      labels.add("#" + i + " " + tags.get(i));
    }
    assertThat(read.get("labels")).isEqualTo(labels);
    assertThat(read.get("k_" + key)).isEqualTo(name);
  }

  // ---------------------------------------------------------------------------------------------
  // XML

  private static final String XML =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <order id="{{id}}" ref='{{ref}}'>
        <!-- order {{id}} for {{name}} -->
        <client type="person">{{name}}</client>
        <greeting>Hello, {{name}}!</greeting>
        <note><![CDATA[{{note}}]]></note>
        <items>{{#each tags}}<item index="{{@index}}">{{this}}</item>{{/each}}</items>
      </order>
      """;

  @Property(tries = 300)
  void xmlBodiesReadBack(
      @ForAll("strings") String name,
      @ForAll("values") Object id,
      @ForAll("strings") String ref,
      @ForAll("strings") String note,
      @ForAll("stringLists") List<String> tags)
      throws Exception {
    String out =
        render(
            Target.XML, XML, data("name", name, "id", id, "ref", ref, "note", note, "tags", tags));
    assertThat(RenderedCheck.check(Target.XML, out)).as(shorten(out)).isEmpty();
    Document doc = Renders.readXml(out);
    Element order = doc.getDocumentElement();
    assertThat(order.getAttribute("id")).isEqualTo(xmlClean(text(id)));
    assertThat(order.getAttribute("ref")).isEqualTo(xmlClean(ref));
    assertThat(child(order, "client").getTextContent()).isEqualTo(xmlClean(name));
    assertThat(child(order, "greeting").getTextContent())
        .isEqualTo("Hello, " + xmlClean(name) + "!");
    assertThat(child(order, "note").getTextContent()).isEqualTo(xmlClean(note));
    NodeList items = child(order, "items").getElementsByTagName("item");
    assertThat(items.getLength()).isEqualTo(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      Element item = (Element) items.item(i);
      assertThat(item.getAttribute("index")).isEqualTo(String.valueOf(i));
      assertThat(item.getTextContent()).isEqualTo(xmlClean(tags.get(i)));
    }
  }

  private static Element child(Element parent, String name) {
    return (Element) parent.getElementsByTagName(name).item(0);
  }

  // ---------------------------------------------------------------------------------------------
  // YAML

  private static final String YAML =
      """
      event: {{@event.type}}
      id: {{id}}
      client:
        name: {{name}}
        quoted: "{{name}}"
        single: '{{name}}'
        greeting: Hello {{name}}, welcome!   # {{name}}
      payload: {{payload}}
      tags: [{{#each tags}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}]
      list:
      {{#each tags}}  - {{this}}
      {{/each}}
      note: '{{note}}'
      """;

  @Property(tries = 300)
  void yamlBodiesReadBack(
      @ForAll("strings") String name,
      @ForAll("values") Object id,
      @ForAll("values") Object payload,
      @ForAll("stringLists") List<String> tags,
      @ForAll("strings") String note)
      throws Exception {
    String out =
        render(
            Target.YAML,
            YAML,
            data("name", name, "id", id, "payload", payload, "tags", tags, "note", note));
    assertThat(RenderedCheck.check(Target.YAML, out)).as(shorten(out)).isEmpty();
    Map<?, ?> read = (Map<?, ?>) Renders.readYaml(out);
    assertThat(read.get("event")).isEqualTo("call.created");
    assertThat(normalize(read.get("id"))).isEqualTo(normalize(id));
    Map<?, ?> client = (Map<?, ?>) read.get("client");
    assertThat(client.get("name")).isEqualTo(name);
    assertThat(client.get("quoted")).isEqualTo(name);
    assertThat(client.get("single")).isEqualTo(name);
    assertThat(client.get("greeting")).isEqualTo("Hello " + name + ", welcome!");
    assertThat(normalize(read.get("payload"))).isEqualTo(normalize(payload));
    assertThat(read.get("tags")).isEqualTo(tags);
    assertThat(read.get("list")).isEqualTo(tags.isEmpty() ? null : tags);
    assertThat(read.get("note")).isEqualTo(note);
  }

  // ---------------------------------------------------------------------------------------------
  // CSV

  private static final String CSV =
      """
      id,name,note,label,summary
      {{id}},{{name}},{{note}},id-{{id}}-x,"{{name}} ({{note}})"
      {{#each tags}}{{@index}},{{this}},,,
      {{/each}}\
      """;

  @Property(tries = 300)
  void csvBodiesReadBack(
      @ForAll("strings") String name,
      @ForAll("values") Object id,
      @ForAll("strings") String note,
      @ForAll("stringLists") List<String> tags)
      throws Exception {
    String out = render(Target.CSV, CSV, data("name", name, "id", id, "note", note, "tags", tags));
    assertThat(RenderedCheck.check(Target.CSV, out)).as(shorten(out)).isEmpty();
    List<List<String>> rows = Renders.readCsv(out);
    assertThat(rows).hasSize(2 + tags.size());
    assertThat(rows.get(0)).containsExactly("id", "name", "note", "label", "summary");
    assertThat(rows.get(1))
        .containsExactly(text(id), name, note, "id-" + text(id) + "-x", name + " (" + note + ")");
    for (int i = 0; i < tags.size(); i++) {
      assertThat(rows.get(2 + i)).containsExactly(String.valueOf(i), tags.get(i), "", "", "");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Form

  private static final String FORM =
      "source=videsk&name={{name}}&note=x{{note}}y&{{key}}={{id}}&tags={{join tags \",\"}}";

  @Property(tries = 300)
  void formBodiesReadBack(
      @ForAll("strings") String name,
      @ForAll("scalars") Object id,
      @ForAll("strings") String note,
      @ForAll("strings") String key,
      @ForAll("stringLists") List<String> tags)
      throws Exception {
    String out =
        render(
            Target.FORM,
            FORM,
            data("name", name, "id", id, "note", note, "key", key, "tags", tags));
    assertThat(RenderedCheck.check(Target.FORM, out)).as(shorten(out)).isEmpty();
    List<String[]> fields = Renders.readForm(out);
    assertThat(fields).hasSize(5);
    assertThat(fields.get(0)).containsExactly("source", "videsk");
    assertThat(fields.get(1)).containsExactly("name", name);
    assertThat(fields.get(2)).containsExactly("note", "x" + note + "y");
    assertThat(fields.get(3)).containsExactly(key, text(id));
    assertThat(fields.get(4)).containsExactly("tags", String.join(",", tags));
  }

  // ---------------------------------------------------------------------------------------------
  // URL

  private static final String URL =
      "https://api.example.com/v1/clients/{{id}}/notes/{{name}}?source=videsk&q={{note}}&{{key}}=1#{{name}}";

  @Property(tries = 300)
  void urlsParseAndDecodeBack(
      @ForAll("strings") String name,
      @ForAll("scalars") Object id,
      @ForAll("strings") String note,
      @ForAll("strings") String key)
      throws Exception {
    String out = render(Target.URL, URL, data("name", name, "id", id, "note", note, "key", key));
    assertThat(RenderedCheck.check(Target.URL, out)).as(out).isEmpty();
    URI uri = new URI(out);
    assertThat(uri.getScheme()).isEqualTo("https");
    assertThat(uri.getHost()).isEqualTo("api.example.com");
    assertThat(uri.getPort()).isEqualTo(-1);
    String[] path = uri.getRawPath().split("/", -1);
    assertThat(path).hasSize(6);
    assertThat(path[1]).isEqualTo("v1");
    assertThat(path[2]).isEqualTo("clients");
    assertThat(Renders.percentDecode(path[3])).isEqualTo(text(id));
    assertThat(path[4]).isEqualTo("notes");
    assertThat(Renders.percentDecode(path[5])).isEqualTo(name);
    assertThat(path[3]).isNotIn(".", "..");
    assertThat(path[5]).isNotIn(".", "..");
    String[] query = uri.getRawQuery().split("&", -1);
    assertThat(query).hasSize(3);
    assertThat(query[0]).isEqualTo("source=videsk");
    assertThat(query[1]).startsWith("q=");
    assertThat(Renders.percentDecode(query[1].substring(2))).isEqualTo(note);
    String[] custom = query[2].split("=", -1);
    assertThat(custom).hasSize(2);
    assertThat(Renders.percentDecode(custom[0])).isEqualTo(key);
    assertThat(custom[1]).isEqualTo("1");
    assertThat(Renders.percentDecode(uri.getRawFragment())).isEqualTo(name);
  }

  // ---------------------------------------------------------------------------------------------
  // Header values

  @Property(tries = 300)
  void headersNeverCarryLineBreaks(@ForAll("strings") String name, @ForAll("values") Object note)
      throws Exception {
    String out =
        render(
            Target.HEADER_VALUE,
            "Bearer {{name}}; note={{note}}",
            data("name", name, "note", note));
    assertThat(out).doesNotContain("\r", "\n", "\u0000");
    assertThat(RenderedCheck.check(Target.HEADER_VALUE, out)).isEmpty();
    assertThat(out).isEqualTo("Bearer " + headerText(name) + "; note=" + headerText(text(note)));
  }

  private static String headerText(String s) {
    return s.replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", " ");
  }
}
