package io.estafeta.core.secret;

import com.github.f4b6a3.ulid.UlidCreator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The random strings Estafeta hands out: ids, API keys, admin tokens and signing secrets. Keys
 * carry 256 bits of entropy, so a plain SHA-256 is a sufficient stored form (no slow hash needed:
 * there is nothing to guess).
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Tokens() {}

  /** An identifier with a readable kind prefix, such as {@code wh_3kT…}. */
  public static String id(String prefix) {
    return prefix + "_" + URL.encodeToString(bytes(15));
  }

  /**
   * An identifier that sorts by creation time ({@code dlv_01JF…}, a monotonic ULID): rows written
   * in a burst land next to each other in every index keyed by it, so a commit writes a few index
   * pages rather than one per row. Not secret; only unique.
   */
  public static String sortableId(String prefix) {
    return prefix + "_" + UlidCreator.getMonotonicUlid();
  }

  /** A new account API key: {@code est_} and 256 random bits. */
  public static String apiKey() {
    return "est_" + URL.encodeToString(bytes(32));
  }

  /** A new operator token. */
  public static String adminToken() {
    return "adm_" + URL.encodeToString(bytes(32));
  }

  /** A new Standard Webhooks signing secret: {@code whsec_} and base64 of 24 random bytes. */
  public static String signingSecret() {
    return "whsec_" + Base64.getEncoder().encodeToString(bytes(24));
  }

  /** The stored form of a key: hex SHA-256. */
  public static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares two secrets in time independent of where they differ. */
  public static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
