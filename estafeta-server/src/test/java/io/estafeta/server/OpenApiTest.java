package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.server.api.Route;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The published description and the real routes are the same set: it cannot drift. */
class OpenApiTest {
  static TestServer api;

  @BeforeAll
  static void start() {
    api = TestServer.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void describesExactlyTheRoutesTheServerHas() {
    TestServer.Answer a = api.get("/api/v1/openapi.json", null);
    assertThat(a.status()).isEqualTo(200);
    JsonNode doc = a.json();
    assertThat(doc.path("openapi").asText()).startsWith("3.1");

    Set<String> described = new TreeSet<>();
    for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      doc.path("paths")
          .path(path)
          .fieldNames()
          .forEachRemaining(m -> described.add(m.toUpperCase(Locale.ROOT) + " " + path));
    }
    Set<String> served =
        api.server().routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(described).isEqualTo(served);
  }

  @Test
  void everyDescribedRouteIsReallyServed() {
    // No route answers "no such route": each is registered under the path the document gives.
    for (Route r : api.server().routes()) {
      String path = r.path().replace("{id}", "x").replace("{keyId}", "y");
      TestServer.Answer a = api.call(r.method().toString(), path, "bad-token", "{}");
      assertThat(a.text())
          .as(r.toString())
          .doesNotContain("no such route")
          .doesNotContain("Endpoint");
      assertThat(a.status()).as(r.toString()).isNotIn(404, 405).isLessThan(500);
    }
  }
}
