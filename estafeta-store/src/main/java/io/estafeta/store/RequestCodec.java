package io.estafeta.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.RenderedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a rendered request ({@link StoredRequest}): JSON beside the body. Secret
 * headers are stored by name only: their values stay sealed in the webhook and are filled in when
 * an attempt is sent (so no secret is copied into each delivery, and retries send the webhook's
 * current secret).
 */
public final class RequestCodec {
  // The head's shape: {"method","url","headers":[{"name","value"} | {"name","secret":true}],
  // "timeoutMs"}, read and written by data binding, once per attempt. Heads stored before V6 also
  // hold "body" (the body column is then null).
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Stored(
      String method, String url, List<StoredHeader> headers, String body, long timeoutMs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record StoredHeader(String name, String value, Boolean secret) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader READER = JSON.readerFor(Stored.class);
  private static final ObjectWriter WRITER = JSON.writerFor(Stored.class);

  public RequestCodec() {}

  public StoredRequest encode(RenderedRequest r) {
    List<StoredHeader> headers = new ArrayList<>(r.headers().size());
    for (HeaderSpec h : r.headers()) {
      headers.add(
          h.secret()
              ? new StoredHeader(h.name(), null, true)
              : new StoredHeader(h.name(), h.value(), null));
    }
    try {
      String head =
          WRITER.writeValueAsString(
              new Stored(r.method().name(), r.url(), headers, null, r.timeout().toMillis()));
      return new StoredRequest(head, r.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a rendered request could not be written as JSON", e);
    }
  }

  public RenderedRequest decode(StoredRequest stored) {
    Stored o;
    try {
      o = READER.readValue(stored.head());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored request is not JSON", e);
    }
    List<HeaderSpec> headers = new ArrayList<>(o.headers() == null ? 0 : o.headers().size());
    if (o.headers() != null) {
      for (StoredHeader h : o.headers()) {
        headers.add(
            Boolean.TRUE.equals(h.secret())
                ? new HeaderSpec(h.name(), null, true)
                : new HeaderSpec(h.name(), h.value() == null ? "" : h.value(), false));
      }
    }
    return new RenderedRequest(
        HttpMethod.valueOf(o.method()),
        o.url(),
        headers,
        stored.body() != null ? stored.body() : o.body(),
        Duration.ofMillis(o.timeoutMs()));
  }
}
