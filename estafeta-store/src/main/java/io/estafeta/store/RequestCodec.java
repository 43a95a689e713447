package io.estafeta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.RenderedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a rendered request: JSON. Secret headers are stored by name only: their values
 * stay sealed in the webhook and are filled in when an attempt is sent (so no secret is copied into
 * each delivery, and retries send the webhook's current secret).
 */
public final class RequestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RequestCodec() {}

  public String encode(RenderedRequest r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("method", r.method().name());
    o.put("url", r.url());
    ArrayNode headers = o.putArray("headers");
    for (HeaderSpec h : r.headers()) {
      ObjectNode n = headers.addObject().put("name", h.name());
      if (h.secret()) {
        n.put("secret", true);
      } else {
        n.put("value", h.value());
      }
    }
    if (r.body() != null) {
      o.put("body", r.body());
    }
    o.put("timeoutMs", r.timeout().toMillis());
    return o.toString();
  }

  public RenderedRequest decode(String text) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored request is not JSON", e);
    }
    List<HeaderSpec> headers = new ArrayList<>();
    for (JsonNode h : o.path("headers")) {
      headers.add(
          h.path("secret").asBoolean()
              ? new HeaderSpec(h.path("name").asText(), null, true)
              : new HeaderSpec(h.path("name").asText(), h.path("value").asText(), false));
    }
    return new RenderedRequest(
        HttpMethod.valueOf(o.path("method").asText()),
        o.path("url").asText(),
        headers,
        o.has("body") ? o.path("body").asText() : null,
        Duration.ofMillis(o.path("timeoutMs").asLong()));
  }
}
