package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.RenderedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCodecTest {
  private final RequestCodec codec = new RequestCodec();

  @Test
  void aRequestComesBackAsItWentInWithItsBodyApartAndNoSecretValue() {
    RenderedRequest r =
        new RenderedRequest(
            HttpMethod.PUT,
            "http://127.0.0.1:9/x?q=\"1\"",
            List.of(
                new HeaderSpec("Authorization", "Bearer top-secret", true),
                new HeaderSpec("X-Note", "María \"Pepa\"", false)),
            "{\"name\": \"María \\\"Pepa\\\" Núñez\"}\n",
            Duration.ofSeconds(15));
    StoredRequest stored = codec.encode(r);
    assertThat(stored.body()).isEqualTo(r.body());
    assertThat(stored.head()).doesNotContain("top-secret").doesNotContain("Núñez");
    RenderedRequest back = codec.decode(stored);
    assertThat(back.method()).isEqualTo(HttpMethod.PUT);
    assertThat(back.url()).isEqualTo(r.url());
    assertThat(back.body()).isEqualTo(r.body());
    assertThat(back.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(back.headers())
        .containsExactly(
            new HeaderSpec("Authorization", null, true),
            new HeaderSpec("X-Note", "María \"Pepa\"", false));
  }

  @Test
  void noBodyStaysNoBody() {
    RenderedRequest r =
        new RenderedRequest(HttpMethod.GET, "http://127.0.0.1:9/x", List.of(), null, Duration.ZERO);
    StoredRequest stored = codec.encode(r);
    assertThat(stored.body()).isNull();
    assertThat(codec.decode(stored).body()).isNull();
  }
}
