package io.estafeta.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event types, read once from the catalog resources; the catalog is data, not code. */
public final class EventCatalog {
  private static final String FOLDER = "/estafeta/event-types/";

  private final Map<String, EventType> byType;

  private EventCatalog(Map<String, EventType> byType) {
    this.byType = Collections.unmodifiableMap(byType);
  }

  /** Reads the catalog bundled with Estafeta. */
  public static EventCatalog bundled() {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = read(json, "index.json");
    Map<String, EventType> types = new LinkedHashMap<>();
    for (JsonNode name : index) {
      JsonNode node = read(json, name.asText() + ".json");
      EventType type =
          new EventType(
              node.path("type").asText(),
              text(node.path("name")),
              text(node.path("description")),
              node.path("schema"),
              node.path("sample"));
      if (!type.type().equals(name.asText())) {
        throw new IllegalStateException("catalog file " + name + " declares " + type.type());
      }
      types.put(type.type(), type);
    }
    return new EventCatalog(types);
  }

  public List<EventType> all() {
    return new ArrayList<>(byType.values());
  }

  public Optional<EventType> find(String type) {
    return Optional.ofNullable(type == null ? null : byType.get(type));
  }

  public boolean contains(String type) {
    return type != null && byType.containsKey(type);
  }

  private static LocalizedText text(JsonNode node) {
    return new LocalizedText(node.path("es").asText(), node.path("en").asText());
  }

  private static JsonNode read(ObjectMapper json, String file) {
    try (InputStream in = EventCatalog.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException("missing catalog resource " + FOLDER + file);
      }
      return json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
