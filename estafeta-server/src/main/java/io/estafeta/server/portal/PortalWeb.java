package io.estafeta.server.portal;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Serves the portal: plain files from the class path at {@code /} and the libraries it uses from
 * their WebJars at {@code /webjars/…}, with no build step. Every answer carries headers that keep
 * the pages to their own scripts and styles and out of other sites' frames.
 */
public final class PortalWeb {
  /**
   * Scripts, styles and connections only from this origin; no inline script or style, no plugins,
   * no framing. {@code data:} images are what the chart library's canvas may hand back.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer",
          "X-Frame-Options", "DENY",
          "Cross-Origin-Opener-Policy", "same-origin");

  private PortalWeb() {}

  /** The static files: the portal itself, and the WebJars on the class path. */
  public static void configure(JavalinConfig cfg) {
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/portal";
      files.location = Location.CLASSPATH;
      // The files change with each release and are small: revalidate rather than go stale.
      files.headers = Map.of("Cache-Control", "no-cache");
    });
    cfg.staticFiles.enableWebjars();
  }

  /** The security headers, on every answer (the API's too: they cost nothing there). */
  public static void install(Javalin app) {
    app.before(ctx -> HEADERS.forEach(ctx::header));
  }
}
