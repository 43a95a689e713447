package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.core.secret.Tokens;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.delivery.destination.AllowList;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.http.Header;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.OutboundRequest;
import io.estafeta.delivery.http.SendResult;
import io.estafeta.delivery.http.SenderSettings;
import io.estafeta.delivery.signing.StandardWebhooksSigner;
import io.estafeta.server.Config;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit: Estafeta's own HTTP client ({@link HttpSender}, default settings, loopback allowed)
 * sending the same rendered requests (method, URL, headers, body, and the fixed and signature
 * headers an attempt adds) to the same receiver from virtual threads, with no database at all. Run
 * at a few concurrencies; the best is the limit.
 */
final class Limit {
  private static final Set<String> FIXED =
      Set.of(
          "user-agent",
          "x-powered-by",
          "x-requested-with",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature");

  private Limit() {}

  static Metrics run(Options options, ReceiverProcess receiver, JsonNode preview) throws Exception {
    Metrics m = new Metrics();
    String userAgent = Config.USER_AGENT;
    long n = options.events();
    try (HttpSender sender =
        new HttpSender(
            new DestinationPolicy(AllowList.parse("127.0.0.0/8")),
            SenderSettings.defaults(userAgent))) {
      Requests requests = new Requests(preview, userAgent, (int) n);
      // Warm the client's JIT and pool first, at every concurrency.
      for (int c : options.limitConcurrency()) {
        receiver.reset(0, 0);
        int warm = (int) Math.min(n, 10_000);
        long failed = send(sender, requests, warm, c);
        receiver.awaitOk(warm - failed, Duration.ofSeconds(60));
      }
      double best = 0;
      String bestPrefix = null;
      for (int c : options.limitConcurrency()) {
        String prefix = "limit.c" + c + ".";
        receiver.reset(0, 0);
        Phase.Snapshot before = Phase.snapshot(null, receiver, null);
        long start = Clocks.nowMicros();
        long errors = send(sender, requests, (int) n, c);
        boolean complete = receiver.awaitOk(n - errors, Phase.timeout(n));
        Phase.Snapshot after = Phase.snapshot(null, receiver, null);
        JsonNode stats = receiver.stats();
        double seconds = (stats.path("lastOkMicros").asLong() - start) / 1e6;
        double rps = stats.path("ok").asLong() / seconds;
        m.put(prefix + "requests", n);
        m.put(prefix + "errors", errors);
        m.put(prefix + "complete", complete ? 1 : 0);
        m.put(prefix + "requests_per_s", rps);
        m.put(prefix + "latency_p50_ms", stats.path("latencyMicros").path("p50").asLong() / 1e3);
        m.put(prefix + "latency_p99_ms", stats.path("latencyMicros").path("p99").asLong() / 1e3);
        m.put(prefix + "receiver_max_in_flight", stats.path("maxInFlight").asLong());
        Phase.cpu(m, prefix, before, after, stats.path("ok").asLong(), false);
        if (rps > best) {
          best = rps;
          bestPrefix = prefix;
        }
      }
      m.put("limit.requests_per_s", best);
      m.put(
          "limit.best_concurrency",
          Double.parseDouble(bestPrefix.substring(7, bestPrefix.length() - 1)));
      m.put("limit.client_cores", m.get(bestPrefix + "bench_cores"));
      m.put("limit.receiver_cores", m.get(bestPrefix + "receiver_cores"));
    }
    return m;
  }

  /** Sends requests 0..count-1 from {@code concurrency} virtual threads; how many failed. */
  private static long send(HttpSender sender, Requests requests, int count, int concurrency)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                  SendResult r = sender.send(requests.get(i));
                  if (!(r instanceof SendResult.Responded ok) || ok.status() >= 300) {
                    errors.incrementAndGet();
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return errors.get();
  }

  /**
   * The rendered request of the preview, with the headers an attempt adds in the order it adds
   * them: a distinct {@code webhook-id} and signature for each (made before the clock runs), and
   * the publish time stamped when it is sent.
   */
  static final class Requests {
    private final String method;
    private final URI url;
    private final List<Header> before = new ArrayList<>();
    private final int publishedIndex;
    private final byte[] body;
    private final String[] ids;
    private final String[] signatures;
    private final String timestamp;

    Requests(JsonNode preview, String userAgent, int count) {
      method = preview.path("method").asText();
      url = URI.create(preview.path("url").asText());
      body =
          preview.path("body").isNull()
              ? null
              : preview.path("body").asText().getBytes(StandardCharsets.UTF_8);
      before.add(new Header("User-Agent", userAgent));
      before.add(new Header("X-Powered-By", "Estafeta"));
      before.add(new Header("X-Requested-With", "Estafeta"));
      int published = -1;
      for (JsonNode h : preview.path("headers")) {
        String name = h.path("name").asText();
        String value = h.path("value").asText();
        if (FIXED.contains(name.toLowerCase(Locale.ROOT))) {
          continue;
        }
        if (value.equals(RenderedRequest.MASK)) {
          value = Events.SECRET;
        }
        if (name.equalsIgnoreCase(Recorder.PUBLISHED_HEADER)) {
          published = before.size();
        }
        before.add(new Header(name, value));
      }
      publishedIndex = published;
      timestamp = Long.toString(System.currentTimeMillis() / 1000);
      StandardWebhooksSigner signer = new StandardWebhooksSigner();
      List<byte[]> secret = List.of(StandardWebhooksSigner.parseSecret(Tokens.signingSecret()));
      ids = new String[count];
      signatures = new String[count];
      for (int i = 0; i < count; i++) {
        ids[i] = Tokens.sortableId("dlv");
        signatures[i] =
            signer.signature(
                secret, ids[i], Long.parseLong(timestamp), body == null ? new byte[0] : body);
      }
    }

    OutboundRequest get(int i) {
      List<Header> headers = new ArrayList<>(before.size() + 3);
      headers.addAll(before);
      if (publishedIndex >= 0) {
        headers.set(
            publishedIndex,
            new Header(before.get(publishedIndex).name(), Long.toString(Clocks.nowMicros())));
      }
      headers.add(new Header("webhook-id", ids[i]));
      headers.add(new Header("webhook-timestamp", timestamp));
      headers.add(new Header("webhook-signature", signatures[i]));
      return new OutboundRequest(method, url, headers, body, Duration.ofSeconds(15));
    }
  }
}
