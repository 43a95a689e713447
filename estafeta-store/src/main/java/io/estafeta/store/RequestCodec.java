package io.estafeta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.secret.SecretBox;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.RenderedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The stored form of a rendered request: JSON, with secret header values sealed. */
public final class RequestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretBox box;

  public RequestCodec(SecretBox box) {
    this.box = box;
  }

  public String encode(RenderedRequest r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("method", r.method().name());
    o.put("url", r.url());
    ArrayNode headers = o.putArray("headers");
    for (HeaderSpec h : r.headers()) {
      ObjectNode n = headers.addObject().put("name", h.name());
      if (h.secret()) {
        n.put("sealed", box.seal(h.value()));
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
          h.has("sealed")
              ? new HeaderSpec(h.path("name").asText(), box.open(h.path("sealed").asText()), true)
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
