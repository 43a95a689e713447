package io.estafeta.server.portal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.regex.Pattern;

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

  /** What is served of the WebJars: the scripts and styles of the two libraries the portal uses. */
  private static final Pattern LIBRARY_FILE =
      Pattern.compile("/webjars/(codemirror|uplot)/[^?#]*\\.(js|css)");

  private PortalWeb() {}

  /**
   * The static files (the portal itself, and the scripts and styles of its WebJars) and the
   * security headers, on every answer (the API's too: they cost nothing there).
   */
  public static void configure(JavalinConfig cfg) {
    cfg.routes.before(ctx -> HEADERS.forEach(ctx::header));
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/portal";
      files.location = Location.CLASSPATH;
      // The files change with each release and are small: revalidate rather than go stale.
      files.headers = Map.of("Cache-Control", "no-cache");
    });
    cfg.staticFiles.add(webjars -> {
      webjars.hostedPath = "/webjars";
      webjars.directory = "META-INF/resources/webjars";
      webjars.location = Location.CLASSPATH;
      // Versioned paths never change.
      webjars.headers = Map.of("Cache-Control", "max-age=31536000, immutable");
      // Only scripts and styles: the WebJars also carry their projects' demo and test pages,
      // which have no business on this origin.
      webjars.skipFileFunction =
          request -> !LIBRARY_FILE.matcher(request.getRequestURI()).matches();
    });
  }
}
