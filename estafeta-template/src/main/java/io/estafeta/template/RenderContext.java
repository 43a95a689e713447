package io.estafeta.template;

import java.util.Map;

/**
 * What one render sees. {@code data} is the template's root, as Jackson reads the event's {@code
 * data} (Map, List, String, Number, Boolean, null); the others are reachable as {@code @event.id},
 * {@code @event.type}, {@code @event.occurredAt}, {@code @account.id}, {@code @account.name} and
 * {@code @delivery.id}. A null map is read as empty.
 *
 * @param data the event's data, the template root
 * @param event {@code id}, {@code type}, {@code occurredAt}
 * @param account {@code id}, {@code name}
 * @param delivery {@code id}
 */
public record RenderContext(
    Map<String, Object> data,
    Map<String, Object> event,
    Map<String, Object> account,
    Map<String, Object> delivery) {

  public RenderContext {
    data = data == null ? Map.of() : data;
    event = event == null ? Map.of() : event;
    account = account == null ? Map.of() : account;
    delivery = delivery == null ? Map.of() : delivery;
  }
}
