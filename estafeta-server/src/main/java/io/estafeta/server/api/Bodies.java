package io.estafeta.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies as JSON trees, with the limits that keep hostile input harmless. */
public final class Bodies {
  /** The JSON mapper of the API, for reading and writing. */
  public static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(200)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Event data keeps the digits it was sent with (4.50 stays 4.50, 0.1 stays 0.1):
          // templates write numbers back exactly.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final String EMPTY = "a JSON body is required";
  // Past this a body is not read to the end before its 413: the connection is closed instead.
  private static final long DRAINED = 16L * 1024 * 1024;

  private Bodies() {}

  /** The body as JSON; 413 past {@code limit} bytes, 400 when it is not JSON. */
  public static JsonNode read(Context ctx, int limit) {
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      if (ctx.req().getContentLengthLong() > limit) {
        throw tooLarge(in, limit);
      }
      bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(in, limit);
      }
    } catch (IOException e) {
      throw new ApiException.Malformed("the body could not be read");
    }
    if (bytes.length == 0) {
      throw new ApiException.Malformed(EMPTY);
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new ApiException.Malformed("a JSON body is required");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiException.Malformed("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException.Malformed("the body is not valid JSON");
    }
  }

  /**
   * 413, once the rest of the body is read (up to {@link #DRAINED} bytes): a server that answers
   * and closes while the client is still sending resets the connection, and the client never reads
   * the answer.
   */
  private static ApiException tooLarge(InputStream in, int limit) throws IOException {
    byte[] skipped = new byte[64 * 1024];
    long left = DRAINED;
    int n;
    while (left > 0 && (n = in.read(skipped, 0, (int) Math.min(skipped.length, left))) > 0) {
      left -= n;
    }
    return new ApiException.TooLarge("the body is over " + limit / 1024 + " KiB");
  }

  /** The body as a JSON object, an empty one when there is no body, or 422. */
  public static JsonNode objectOrEmpty(Context ctx, int limit) {
    if (ctx.req().getContentLengthLong() == 0) {
      return JSON.createObjectNode();
    }
    try {
      return object(ctx, limit);
    } catch (ApiException.Malformed e) {
      if (e.getMessage().equals(EMPTY)) {
        return JSON.createObjectNode();
      }
      throw e;
    }
  }

  /** The body as a JSON object, or 422. */
  public static JsonNode object(Context ctx, int limit) {
    JsonNode node = read(ctx, limit);
    if (!node.isObject()) {
      throw new ApiException.Invalid("", "the body must be a JSON object");
    }
    return node;
  }
}
