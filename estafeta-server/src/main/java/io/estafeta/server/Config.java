package io.estafeta.server;

import io.estafeta.core.DurationText;
import io.estafeta.delivery.destination.AllowList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The process configuration of contract §2, read from the environment and validated at start: a bad
 * value stops start-up with one line naming the variable.
 */
public record Config(
    int port,
    Path dataDir,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    Optional<String> adminToken,
    Optional<byte[]> masterKey,
    Duration retryDelay,
    int maxRetries,
    Duration requestTimeout,
    AllowList allowNetworks,
    String userAgent,
    Duration lease,
    Optional<String> publicUrl,
    int maxPerHost,
    int maxPerAccount,
    int maxInFlight,
    Duration retention,
    Duration disableAfter,
    Duration rotationGrace,
    long maxDue,
    boolean jsonLogs) {

  /** This build's version, as the build wrote it into the class path. */
  public static final String VERSION = buildVersion();

  /** The User-Agent of outbound requests unless ESTAFETA_USER_AGENT names another. */
  public static final String USER_AGENT = "Estafeta/" + VERSION;

  /** A configuration value that cannot be used; the message names the variable. */
  public static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Invalid(String variable, String problem) {
      super(variable + ": " + problem);
    }
  }

  public static Config fromEnvironment(Map<String, String> env) {
    return new Config(
        intValue(env, "ESTAFETA_PORT", 8080, 0, 65535),
        Path.of(env.getOrDefault("ESTAFETA_DATA_DIR", "./data")),
        optional(env, "ESTAFETA_DB_URL").map(Config::dbUrl),
        env.getOrDefault("ESTAFETA_DB_USER", ""),
        env.getOrDefault("ESTAFETA_DB_PASSWORD", ""),
        optional(env, "ESTAFETA_ADMIN_TOKEN").map(Config::adminToken),
        optional(env, "ESTAFETA_MASTER_KEY").map(Config::masterKey),
        duration(env, "ESTAFETA_RETRY_DELAY", "60s"),
        intValue(env, "ESTAFETA_MAX_RETRIES", 3, 0, 100),
        duration(env, "ESTAFETA_REQUEST_TIMEOUT", "15s"),
        allowList(env.getOrDefault("ESTAFETA_ALLOW_NETWORKS", "")),
        optional(env, "ESTAFETA_USER_AGENT").orElse(USER_AGENT),
        duration(env, "ESTAFETA_LEASE", "3m"),
        optional(env, "ESTAFETA_PUBLIC_URL").map(Config::checkedPublicUrl),
        intValue(env, "ESTAFETA_MAX_PER_HOST", 20, 1, 10_000),
        intValue(env, "ESTAFETA_MAX_PER_ACCOUNT", 250, 1, 100_000),
        intValue(env, "ESTAFETA_MAX_IN_FLIGHT", 2_000, 1, 100_000),
        duration(env, "ESTAFETA_RETENTION", "30d"),
        duration(env, "ESTAFETA_DISABLE_AFTER", "5d"),
        duration(env, "ESTAFETA_ROTATION_GRACE", "24h"),
        intValue(env, "ESTAFETA_MAX_DUE", 100_000, 1, Integer.MAX_VALUE),
        logFormat(env));
  }

  /** Where people reach this node, for the links it hands out: {@code http://localhost:PORT}. */
  public String publicUrl(int boundPort) {
    return publicUrl.orElse("http://localhost:" + boundPort);
  }

  public boolean postgres() {
    return dbUrl.isPresent();
  }

  private static Optional<String> optional(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static int intValue(
      Map<String, String> env, String name, int fallback, int min, int max) {
    Optional<String> v = optional(env, name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new Invalid(name, "must be between " + min + " and " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Invalid(name, "'" + v.get() + "' is not a whole number");
    }
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    try {
      Duration d = DurationText.parse(optional(env, name).orElse(fallback));
      if (d.isZero()) {
        throw new Invalid(name, "must be more than zero");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new Invalid(name, e.getMessage());
    }
  }

  private static boolean logFormat(Map<String, String> env) {
    String v = optional(env, "ESTAFETA_LOG_FORMAT").orElse("text");
    return switch (v) {
      case "text" -> false;
      case "json" -> true;
      default -> throw new Invalid("ESTAFETA_LOG_FORMAT", "must be text or json, not '" + v + "'");
    };
  }

  private static AllowList allowList(String text) {
    try {
      return AllowList.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw new Invalid("ESTAFETA_ALLOW_NETWORKS", e.getMessage());
    }
  }

  private static String dbUrl(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new Invalid(
          "ESTAFETA_DB_URL",
          "must be a jdbc:postgresql:// URL (leave it unset for the embedded SQLite database)");
    }
    return url;
  }

  private static String checkedPublicUrl(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new Invalid("ESTAFETA_PUBLIC_URL", "is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new Invalid(
          "ESTAFETA_PUBLIC_URL", "must be an http or https URL such as https://hooks.example.com");
    }
    // Links append their own path: keep the base without a trailing slash.
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String adminToken(String token) {
    if (token.length() < 16) {
      throw new Invalid("ESTAFETA_ADMIN_TOKEN", "must be at least 16 characters");
    }
    return token;
  }

  private static byte[] masterKey(String text) {
    try {
      byte[] key = Base64.getDecoder().decode(text);
      if (key.length != 32) {
        throw new Invalid(
            "ESTAFETA_MASTER_KEY", "must be the base64 of 32 bytes, not of " + key.length);
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new Invalid("ESTAFETA_MASTER_KEY", "is not valid base64");
    }
  }

  /**
   * The version the build filtered into {@code estafeta-version.properties}; else the jar
   * manifest's; else "dev" (classes compiled without the build's resources, as by an IDE).
   */
  private static String buildVersion() {
    try (InputStream in = Config.class.getResourceAsStream("/estafeta-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isBlank() && !v.startsWith("${")) {
          return v.strip();
        }
      }
    } catch (IOException e) {
      // Fall back below.
    }
    return Optional.ofNullable(Config.class.getPackage().getImplementationVersion()).orElse("dev");
  }
}
