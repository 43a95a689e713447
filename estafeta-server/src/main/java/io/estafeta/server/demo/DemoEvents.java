package io.estafeta.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Realistic demo events: a catalog sample with fresh ids, current times, other people and other
 * durations, so that no two deliveries in the demo look the same.
 */
final class DemoEvents {
  private static final Pattern ID = Pattern.compile("([a-z]+_)([A-Za-z0-9]{5,})");
  private static final String ALPHANUMERIC =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final List<String> PEOPLE =
      List.of(
          "María José Núñez",
          "Camila Rojas Fuentes",
          "Joaquín Pérez Soto",
          "Valentina Muñoz",
          "Benjamín Araya",
          "Isidora González",
          "Tomás Fernández",
          "Florencia Díaz Contreras",
          "Matías Herrera",
          "Antonia Silva");
  private static final Map<String, Boolean> PERSON_HOLDERS =
      Map.of("client", true, "agent", true, "host", true, "author", true, "reviewer", true);

  private final Random random;

  DemoEvents(Random random) {
    this.random = random;
  }

  /** A varied copy of a sample, as if it happened {@code now}. */
  JsonNode vary(JsonNode sample, Instant now) {
    JsonNode copy = sample.deepCopy();
    walk(copy, null, now);
    return copy;
  }

  private void walk(JsonNode node, String parentKey, Instant now) {
    if (node instanceof ObjectNode o) {
      String person =
          parentKey != null && PERSON_HOLDERS.containsKey(parentKey)
              ? PEOPLE.get(random.nextInt(PEOPLE.size()))
              : null;
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode replaced = value(e.getKey(), e.getValue(), person, now);
        if (replaced != null) {
          e.setValue(replaced);
        } else {
          walk(e.getValue(), e.getKey(), now);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode replaced = value(parentKey, a.get(i), null, now);
        if (replaced != null) {
          a.set(i, replaced);
        } else {
          walk(a.get(i), parentKey, now);
        }
      }
    }
  }

  /** The new value of a leaf, or null to keep it (and walk into it). */
  private JsonNode value(String key, JsonNode v, String person, Instant now) {
    if (v.isTextual()) {
      String text = v.textValue();
      if (person != null && "name".equals(key)) {
        return TextNode.valueOf(person);
      }
      if (person != null && "email".equals(key)) {
        return TextNode.valueOf(email(person));
      }
      var id = ID.matcher(text);
      if (id.matches()) {
        return TextNode.valueOf(id.group(1) + randomText(id.group(2).length()));
      }
      if (text.length() >= 20 && text.charAt(4) == '-' && text.endsWith("Z")) {
        try {
          Instant.parse(text);
          return TextNode.valueOf(
              now.minusSeconds(random.nextInt(600)).truncatedTo(ChronoUnit.SECONDS).toString());
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      return null;
    }
    if (v.isInt() && key != null && (key.endsWith("Seconds") || key.endsWith("Count"))) {
      int n = v.intValue();
      return n <= 0
          ? null
          : com.fasterxml.jackson.databind.node.IntNode.valueOf(
              Math.max(1, n / 2 + random.nextInt(n + 1)));
    }
    return null;
  }

  private String randomText(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return b.toString();
  }

  private static String email(String person) {
    String ascii =
        java.text.Normalizer.normalize(person, java.text.Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(java.util.Locale.ROOT);
    String[] parts = ascii.split(" ");
    return parts[0] + "." + parts[parts.length - 1] + "@example.com";
  }
}
