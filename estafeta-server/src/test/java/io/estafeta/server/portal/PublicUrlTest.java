package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.estafeta.server.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ESTAFETA_PUBLIC_URL}: the base of the links the portal hands out. */
class PublicUrlTest {
  @Test
  void defaultsToLocalhostOnTheBoundPort() {
    Config c = Config.fromEnvironment(Map.of());
    assertThat(c.publicUrl()).isEmpty();
    assertThat(c.publicUrl(8080)).isEqualTo("http://localhost:8080");
  }

  @Test
  void isKeptWithoutItsTrailingSlash() {
    Config c = Config.fromEnvironment(Map.of("ESTAFETA_PUBLIC_URL", "https://hooks.example.com/"));
    assertThat(c.publicUrl(8080)).isEqualTo("https://hooks.example.com");
    assertThat(
            Config.fromEnvironment(Map.of("ESTAFETA_PUBLIC_URL", "http://10.0.0.5:9000/estafeta"))
                .publicUrl(1))
        .isEqualTo("http://10.0.0.5:9000/estafeta");
  }

  @Test
  void aBadValueStopsStartUpNamingTheVariable() {
    for (String bad :
        new String[] {
          "ftp://x.example.com", "hooks.example.com", "https://x.example.com/?a=1", "::"
        }) {
      assertThatThrownBy(() -> Config.fromEnvironment(Map.of("ESTAFETA_PUBLIC_URL", bad)))
          .as(bad)
          .isInstanceOf(Config.Invalid.class)
          .hasMessageStartingWith("ESTAFETA_PUBLIC_URL: ");
    }
  }
}
