package io.estafeta.delivery.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): {@code webhook-signature} is
 * {@code v1,<base64 HMAC-SHA256 of "msgId.timestamp.body">}, one entry per secret, separated by
 * spaces so a receiver can verify against either secret while it rotates.
 */
public final class StandardWebhooksSigner {

  public static final String SECRET_PREFIX = "whsec_";

  private static final int GENERATED_SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The {@code webhook-signature} header value. The body is signed as the exact bytes sent, so the
   * receiver verifies what arrived, whatever its encoding.
   *
   * @param secrets raw keys (see {@link #parseSecret}); at least one
   */
  public String signature(List<byte[]> secrets, String msgId, long timestampSeconds, byte[] body) {
    Objects.requireNonNull(msgId, "msgId");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one signing secret is needed");
    }
    byte[] prefix = (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = body == null ? new byte[0] : body;
    StringBuilder header = new StringBuilder();
    for (byte[] secret : secrets) {
      if (!header.isEmpty()) {
        header.append(' ');
      }
      header
          .append("v1,")
          .append(Base64.getEncoder().encodeToString(hmac(secret, prefix, content)));
    }
    return header.toString();
  }

  /** The raw key of a {@code whsec_<base64>} secret (the prefix is optional, as in the spec). */
  public static byte[] parseSecret(String secret) {
    Objects.requireNonNull(secret, "secret");
    String encoded =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // Never echo the secret itself.
      throw new IllegalArgumentException("signing secret is not valid base64", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("signing secret is empty");
    }
    return key;
  }

  /** {@code whsec_<base64>} text of a raw key. */
  public static String formatSecret(byte[] key) {
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** A new random secret, {@code whsec_} plus 32 random bytes. */
  public static String generateSecret() {
    byte[] key = new byte[GENERATED_SECRET_BYTES];
    RANDOM.nextBytes(key);
    return formatSecret(key);
  }

  private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("signing secret is empty");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }
}
