package io.estafeta.template;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Rendering and reading back with real parsers, shared by the tests. */
final class Renders {
  static final TemplateEngine ENGINE = new TemplateEngine();
  static final Map<String, Object> EVENT =
      Map.of("id", "evt_1", "type", "call.created", "occurredAt", "2024-05-01T13:45:00Z");
  static final Map<String, Object> ACCOUNT = Map.of("id", "acc_1", "name", "Acme");
  static final Map<String, Object> DELIVERY = Map.of("id", "del_1");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private Renders() {}

  static String render(Target target, String template, Map<String, Object> data)
      throws TemplateException, RenderException {
    return ENGINE.compile(template, target).render(context(data));
  }

  static RenderContext context(Map<String, Object> data) {
    return new RenderContext(data, EVENT, ACCOUNT, DELIVERY);
  }

  /** A data map; values may be null. */
  static Map<String, Object> data(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** A rendered text short enough for an assertion message. */
  static String shorten(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
  }

  /** Numbers as stripped BigDecimals, recursively, so 5, 5L and 5.0 compare equal. */
  static Object normalize(Object v) {
    return switch (v) {
      case null -> null;
      case BigDecimal d -> d.stripTrailingZeros();
      case BigInteger i -> new BigDecimal(i).stripTrailingZeros();
      case Double d -> BigDecimal.valueOf(d).stripTrailingZeros();
      case Float f -> new BigDecimal(Float.toString(f)).stripTrailingZeros();
      case Number n -> BigDecimal.valueOf(n.longValue()).stripTrailingZeros();
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(k, normalize(x)));
        yield out;
      }
      case List<?> l -> l.stream().map(Renders::normalize).toList();
      default -> v;
    };
  }

  /** What a value reads as in a string position: numbers as Jackson writes them. */
  static String text(Object v) {
    return switch (v) {
      case null -> "";
      case BigDecimal d -> d.toPlainString();
      case Map<?, ?> m -> jsonText(m);
      case List<?> l -> jsonText(l);
      default -> String.valueOf(v);
    };
  }

  /** Jackson's JSON, plus the escapes of U+2028/2029 we add for JavaScript readers. */
  private static String jsonText(Object v) {
    return writeJson(v).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String writeJson(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Object readJson(String s) throws Exception {
    return JSON.readValue(s, Object.class);
  }

  static Object readYaml(String s) throws Exception {
    return YAML.readValue(s, Object.class);
  }

  static List<List<String>> readCsv(String s) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (var it =
        CSV.readerFor(String[].class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY)
            .<String[]>readValues(s)) {
      while (it.hasNextValue()) {
        rows.add(List.of(it.nextValue()));
      }
    }
    return rows;
  }

  static Document readXml(String s) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setCoalescing(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(s)));
  }

  /** Drops what XML 1.0 cannot carry (C0 but tab, LF, CR; U+FFFE/FFFF; lone surrogates). */
  static String xmlClean(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .filter(cp ->
            cp == 9
                || cp == 10
                || cp == 13
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || cp >= 0x10000)
        .forEach(sb::appendCodePoint);
    return sb.toString();
  }

  /** Strict percent-decoding (a + stays a +), UTF-8. */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A form body's fields, decoded ({@code +} is a space). */
  static List<String[]> readForm(String s) {
    List<String[]> out = new ArrayList<>();
    for (String pair : s.split("&")) {
      int eq = pair.indexOf('=');
      out.add(
          new String[] {
            percentDecode(pair.substring(0, eq).replace('+', ' ')),
            percentDecode(pair.substring(eq + 1).replace('+', ' '))
          });
    }
    return out;
  }
}
