package io.estafeta.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event's {@code data} as templates read it: plain maps, lists, strings, numbers, booleans and
 * nulls. Converted directly from the parsed tree, once per event, on the hot path of every publish
 * (Jackson's {@code convertValue} would write the tree out and read it back). Decimals keep the
 * digits they were sent with.
 */
public final class EventData {
  private EventData() {}

  public static Map<String, Object> of(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      map.put(e.getKey(), value(e.getValue()));
    }
    return map;
  }

  private static Object value(JsonNode n) {
    return switch (n.getNodeType()) {
      case OBJECT -> of(n);
      case ARRAY -> {
        List<Object> list = new ArrayList<>(n.size());
        n.forEach(item -> list.add(value(item)));
        yield list;
      }
      case STRING -> n.textValue();
      case BOOLEAN -> n.booleanValue();
      case NUMBER ->
          n.isIntegralNumber()
              ? (n.canConvertToLong() ? n.longValue() : n.bigIntegerValue())
              : n.decimalValue();
      default -> null;
    };
  }
}
