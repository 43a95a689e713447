package io.estafeta.template;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.estafeta.template.internal.CsvStrictness;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses a rendered result with a real parser for its format, to catch templates the escaper cannot
 * make valid by itself (a missing comma, a tag never closed): Jackson for JSON, YAML and CSV,
 * Jackson's XML stack (Woodstox, DTDs and external entities off) for XML, {@link URI} for URLs
 * (absolute http/https with a host), a strict reading of form bodies (name=value pairs, printable
 * ASCII, valid UTF-8 percent-encoding). Text is always fine; a header value only may not hold CR,
 * LF or NUL.
 */
public final class RenderedCheck {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final CsvMapper CSV = new CsvMapper();
  private static final XMLInputFactory XML = xmlInputFactory();

  private RenderedCheck() {}

  private static XMLInputFactory xmlInputFactory() {
    XMLInputFactory f = new XmlFactory().getXMLInputFactory();
    // A rendered body is checked, never resolved: no DTD processing, no entity fetched.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }

  /** Empty when the rendered text is valid for the target; else the first problem found. */
  public static Optional<ParseProblem> check(Target target, String rendered) {
    return Optional.ofNullable(
        switch (target) {
          case JSON -> json(rendered);
          case XML -> xml(rendered);
          case YAML -> yaml(rendered);
          case CSV -> csv(rendered);
          case URL -> url(rendered);
          case FORM -> form(rendered);
          case HEADER_VALUE -> header(rendered);
          case TEXT -> null;
        });
  }

  private static ParseProblem json(String s) {
    try {
      JsonNode node = JSON.readTree(s);
      if (node == null || node.isMissingNode()) {
        return new ParseProblem(1, 1, "The body is empty; it must be a JSON value.");
      }
      return null;
    } catch (JsonProcessingException e) {
      return jackson(e);
    }
  }

  private static ParseProblem yaml(String s) {
    try (JsonParser p = YAML.createParser(s)) {
      while (p.nextToken() != null) {
        // reading every token is the check
      }
      return null;
    } catch (JsonProcessingException e) {
      // SnakeYAML knows where the problem is; Jackson's copy of the location is the context's.
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        String context = m.getContext() == null ? "" : " (" + m.getContext() + ")";
        return new ParseProblem(
            m.getProblemMark().getLine() + 1,
            m.getProblemMark().getColumn() + 1,
            firstLine(m.getProblem()) + context);
      }
      return jackson(e);
    } catch (IOException e) {
      return new ParseProblem(1, 1, firstLine(e.getMessage()));
    }
  }

  private static ParseProblem csv(String s) {
    // RFC 4180's quoting first: its positions point at the quote at fault.
    ParseProblem strict = CsvStrictness.check(s);
    if (strict != null) {
      return strict;
    }
    try (MappingIterator<String[]> rows =
        CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(s)) {
      while (rows.hasNextValue()) {
        rows.nextValue();
      }
    } catch (JsonProcessingException e) {
      return jackson(e);
    } catch (IOException e) {
      return new ParseProblem(1, 1, firstLine(e.getMessage()));
    }
    return null;
  }

  private static ParseProblem xml(String s) {
    XMLStreamReader r = null;
    try {
      r = XML.createXMLStreamReader(new StringReader(s));
      while (r.hasNext()) {
        r.next();
      }
      return null;
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      return new ParseProblem(
          at == null ? 1 : Math.max(1, at.getLineNumber()),
          at == null ? 1 : Math.max(1, at.getColumnNumber()),
          firstLine(e.getMessage()));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing to release
        }
      }
    }
  }

  private static ParseProblem url(String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      return new ParseProblem(1, Math.max(0, e.getIndex()) + 1, e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new ParseProblem(1, 1, "The URL must start with http:// or https://.");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return new ParseProblem(1, scheme.length() + 4, "The URL has no valid host name.");
    }
    return null;
  }

  private static ParseProblem form(String s) {
    int pairStart = 0;
    boolean sawEquals = false;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '&';
      if (c == '&') {
        if (i > pairStart && !sawEquals) {
          return new ParseProblem(1, pairStart + 1, "Expected name=value here.");
        }
        pairStart = i + 1;
        sawEquals = false;
      } else if (c == '=') {
        sawEquals = true; // an empty name is allowed, as browsers' URLSearchParams reads it
      } else if (c == '%') {
        if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
          return new ParseProblem(1, i + 1, "% must be followed by two hexadecimal digits.");
        }
      } else if (c <= 0x20 || c >= 0x7F) {
        // Printable ASCII passes (item[0]=x is common); spaces, controls and non-ASCII must be
        // encoded.
        return new ParseProblem(
            1, i + 1, "The character '" + printable(c) + "' must be percent-encoded.");
      }
    }
    return utf8(s);
  }

  /** Every run of %XX escapes must decode to UTF-8. */
  private static ParseProblem utf8(String s) {
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) != '%') {
        i++;
        continue;
      }
      int start = i;
      ByteBuffer bytes = ByteBuffer.allocate(s.length() / 3 + 1);
      while (i + 2 < s.length() && s.charAt(i) == '%') {
        bytes.put((byte) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
        i += 3;
      }
      bytes.flip();
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(bytes);
      } catch (CharacterCodingException e) {
        return new ParseProblem(1, start + 1, "The percent-encoded bytes here are not UTF-8.");
      }
    }
    return null;
  }

  private static ParseProblem header(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return new ParseProblem(
            1, i + 1, "A header value cannot contain a line break or a NUL character.");
      }
    }
    return null;
  }

  private static ParseProblem jackson(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    int line = at == null ? 1 : Math.max(1, at.getLineNr());
    int column = at == null ? 1 : Math.max(1, at.getColumnNr());
    return new ParseProblem(line, column, firstLine(e.getOriginalMessage()));
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "The text does not parse.";
    }
    int at = message.indexOf("\n at ");
    String m = at >= 0 ? message.substring(0, at) : message;
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).strip();
  }
}
