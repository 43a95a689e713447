package io.estafeta.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.delivery.destination.AllowList;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.http.SendResult.Failed;
import io.estafeta.delivery.http.SendResult.FailureKind;
import io.estafeta.delivery.http.SendResult.Responded;
import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sender against real receivers on 127.0.0.1. Network rule: every connection in this class goes
 * to loopback, and only with loopback in the allow-list; the blocked cases prove that nothing is
 * connected at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a performance assertion
class HttpSenderTest {

  private static final AllowList LOOPBACK = AllowList.parse("127.0.0.0/8,::1/128");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> ADDED_BY_HTTP = Set.of("host", "content-length", "connection");
  private static final Reply OK = new Reply(200, Map.of(), "ok", Duration.ZERO);

  private LoopbackReceiver receiver;
  private HttpSender sender;

  @BeforeEach
  void start() throws IOException {
    receiver = LoopbackReceiver.start();
    receiver.answer(r -> OK);
    sender = new HttpSender(new DestinationPolicy(LOOPBACK), settings(null));
  }

  @AfterEach
  void stop() {
    sender.close();
    receiver.close();
  }

  @ParameterizedTest(name = "{0} with body: {1}")
  @CsvSource({
    "POST,    true",
    "PUT,     true",
    "PATCH,   true",
    "DELETE,  true",
    "OPTIONS, true",
    "GET,     false",
    "HEAD,    false",
  })
  void eachMethodArrivesWithItsBodyAndOnlyOurHeaders(String method, boolean withBody) {
    byte[] body = withBody ? ("{\"m\":\"" + method + "\",\"ñ\":\"ü\"}").getBytes() : null;
    List<Header> headers =
        List.of(
            new Header("User-Agent", "Estafeta/test"),
            new Header("X-Powered-By", "Estafeta"),
            new Header("X-Requested-With", "Estafeta"),
            new Header("Content-Type", "application/json; charset=utf-8"),
            new Header("webhook-id", "dlv_123"),
            new Header("Authorization", "Bearer s3cr3t"));
    URI url = receiver.uri("/clients/a%2Fb/notes?source=videsk&q=a%26b%3Dc");

    SendResult result = sender.send(new OutboundRequest(method, url, headers, body, TIMEOUT));

    assertThat(result)
        .isInstanceOfSatisfying(
            Responded.class,
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body()).isEqualTo(method.equals("HEAD") ? new byte[0] : "ok".getBytes());
              assertThat(r.truncated()).isFalse();
            });
    assertThat(receiver.received())
        .singleElement()
        .satisfies(got -> {
          assertThat(got.method()).isEqualTo(method);
          assertThat(got.pathAndQuery())
              .isEqualTo("/clients/a%2Fb/notes?source=videsk&q=a%26b%3Dc");
          assertThat(got.bytes()).isEqualTo(withBody ? body : new byte[0]);
          for (Header header : headers) {
            assertThat(got.headers().get(header.name().toLowerCase(Locale.ROOT)))
                .as(header.name())
                .containsExactly(header.value());
          }
          Set<String> unexpected = new HashSet<>(got.headers().keySet());
          headers.forEach(h -> unexpected.remove(h.name().toLowerCase(Locale.ROOT)));
          unexpected.removeAll(ADDED_BY_HTTP);
          assertThat(unexpected).as("headers the sender added on its own").isEmpty();
          if (withBody) {
            assertThat(got.header("Content-Length")).isEqualTo(String.valueOf(body.length));
          }
          assertThat(got.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
        });
  }

  @Test
  void sequentialSendsReuseOnePooledConnection() {
    for (int i = 0; i < 5; i++) {
      sender.send(post(receiver.uri("/seq/" + i), List.of()));
    }

    assertThat(receiver.received())
        .extracting(LoopbackReceiver.Received::clientPort)
        .containsOnly(receiver.received().getFirst().clientPort());
  }

  /**
   * A pool capped in total closes one receiver's idle connections to open another's once full;
   * under load that made almost every attempt a new TCP connection. Idle connections stay instead.
   */
  @Test
  void idleConnectionsToOneReceiverSurviveAnotherReceiversBurst() throws Exception {
    int width = 8;
    try (LoopbackReceiver other = LoopbackReceiver.start();
        HttpSender narrow =
            new HttpSender(
                new DestinationPolicy(LOOPBACK),
                settings(null).withMaxConnectionsPerRoute(width))) {
      // Each burst is held until all of it has arrived, so it needs `width` connections at once.
      holdUntil(receiver, width);
      holdUntil(other, width);

      burst(narrow, receiver, width, "/a1/");
      burst(narrow, other, width, "/b/");
      burst(narrow, receiver, width, "/a2/");

      assertThat(receiver.received()).hasSize(2 * width);
      assertThat(receiver.received().stream().map(LoopbackReceiver.Received::clientPort).distinct())
          .as("connections the first receiver saw opened")
          .hasSize(width);
      assertThat(other.received()).hasSize(width);
    }
  }

  private static void holdUntil(LoopbackReceiver target, int width) {
    AtomicInteger arrived = new AtomicInteger();
    target.respondWith(exchange -> {
      int n = arrived.incrementAndGet();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (arrived.get() < (n + width - 1) / width * width && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      LoopbackReceiver.reply(exchange, OK);
    });
  }

  private static void burst(HttpSender via, LoopbackReceiver target, int width, String path)
      throws Exception {
    List<Callable<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      URI url = target.uri(path + i);
      sends.add(() -> via.send(post(url, List.of())));
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<SendResult> result : threads.invokeAll(sends)) {
        assertThat(result.get()).isInstanceOf(Responded.class);
      }
    }
  }

  @Test
  void noUserAgentOfHttpClientsOwn() {
    sender.send(post(receiver.uri("/"), List.of()));

    assertThat(receiver.received().getFirst().headers()).doesNotContainKeys("user-agent");
  }

  @Test
  void settingsUserAgentIsOnlyAFallback() {
    try (HttpSender withDefault =
        new HttpSender(new DestinationPolicy(LOOPBACK), settings("Estafeta/9.9"))) {
      withDefault.send(post(receiver.uri("/a"), List.of()));
      withDefault.send(post(receiver.uri("/b"), List.of(new Header("user-agent", "Custom/1"))));
    }

    assertThat(receiver.received())
        .extracting(got -> got.headers().get("user-agent"))
        .containsExactly(List.of("Estafeta/9.9"), List.of("Custom/1"));
  }

  /** Sizes around the connection's 8 KiB buffer, and far past it. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {256, 8191, 8192, 8193, 1_000_000})
  void binaryBodyArrivesByteForByte(int size) {
    byte[] body = new byte[size];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }

    sender.send(new OutboundRequest("PUT", receiver.uri("/bin"), List.of(), body, TIMEOUT));

    assertThat(receiver.received().getFirst().bytes()).isEqualTo(body);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      ints = {200, 201, 202, 204, 301, 302, 303, 307, 308, 400, 401, 404, 410, 429, 500, 502, 503})
  void everyStatusIsAnAnswerAndRedirectsAreNotFollowed(int status) {
    receiver.respondWith(exchange -> {
      exchange.getResponseHeaders().add("X-Answer", "yes");
      exchange.getResponseHeaders().add("Location", receiver.url("/elsewhere"));
      exchange.getResponseHeaders().add("Retry-After", "120");
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
      if (status == 204) {
        exchange.sendResponseHeaders(status, -1);
      } else {
        byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
      }
    });

    SendResult result = sender.send(post(receiver.uri("/hook"), List.of()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Responded.class,
            r -> {
              assertThat(r.status()).isEqualTo(status);
              assertThat(r.header("x-answer")).contains("yes");
              assertThat(r.header("RETRY-AFTER")).contains("120");
              assertThat(new String(r.body(), StandardCharsets.UTF_8))
                  .isEqualTo(status == 204 ? "" : "status " + status);
            });
    assertThat(receiver.received())
        .extracting(LoopbackReceiver.Received::pathAndQuery)
        .containsExactly("/hook");
  }

  @Test
  void repeatedResponseHeadersKeepTheirOrder() {
    receiver.respondWith(exchange -> {
      exchange.getResponseHeaders().add("Set-Cookie", "a=1");
      exchange.getResponseHeaders().add("Set-Cookie", "b=2");
      exchange.sendResponseHeaders(200, -1);
    });

    Responded r = (Responded) sender.send(post(receiver.uri("/"), List.of()));

    assertThat(r.headers())
        .filteredOn(h -> h.name().equalsIgnoreCase("Set-Cookie"))
        .extracting(Header::value)
        .containsExactly("a=1", "b=2");
  }

  @Test
  void cookiesAreNeverSentBack() {
    receiver.respondWith(exchange -> {
      exchange.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/");
      exchange.sendResponseHeaders(200, -1);
    });

    sender.send(post(receiver.uri("/one"), List.of()));
    sender.send(post(receiver.uri("/two"), List.of()));

    assertThat(receiver.received().get(1).headers()).doesNotContainKey("cookie");
  }

  @ParameterizedTest(name = "{0} bytes, chunked: {1}")
  @CsvSource({"200000, false", "200000, true", "65537, false"})
  void largeBodyIsTruncatedAt64KiB(int size, boolean chunked) {
    byte[] big = pattern(size);
    receiver.respondWith(exchange -> {
      exchange.sendResponseHeaders(200, chunked ? 0 : big.length);
      exchange.getResponseBody().write(big);
    });

    SendResult result = sender.send(post(receiver.uri("/big"), List.of()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Responded.class,
            r -> {
              assertThat(r.truncated()).isTrue();
              assertThat(r.body()).hasSize(HttpSender.MAX_RESPONSE_BODY);
              assertThat(r.body()).isEqualTo(Arrays.copyOf(big, HttpSender.MAX_RESPONSE_BODY));
            });
    receiver.answer(r -> OK);
    assertThat(sender.send(post(receiver.uri("/after"), List.of())))
        .as("the sender still works after dropping a connection")
        .isInstanceOfSatisfying(Responded.class, r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void bodyOfExactly64KiBIsNotTruncated() {
    byte[] exact = pattern(HttpSender.MAX_RESPONSE_BODY);
    receiver.respondWith(exchange -> {
      exchange.sendResponseHeaders(200, exact.length);
      exchange.getResponseBody().write(exact);
    });

    Responded r = (Responded) sender.send(post(receiver.uri("/exact"), List.of()));

    assertThat(r.truncated()).isFalse();
    assertThat(r.body()).isEqualTo(exact);
  }

  @Test
  void endlessBodyIsCutOffNotDrained() {
    receiver.respondWith(exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      byte[] chunk = pattern(8192);
      for (int i = 0; i < 1_000_000; i++) { // ~8 GB: stops when the client drops the connection
        out.write(chunk);
      }
    });

    SendResult result =
        sender.send(
            new OutboundRequest("POST", receiver.uri("/endless"), List.of(), null, TIMEOUT));

    // Draining would run into the 10 s deadline and report TIMEOUT instead.
    assertThat(result)
        .isInstanceOfSatisfying(
            Responded.class,
            r -> {
              assertThat(r.truncated()).isTrue();
              assertThat(r.body()).hasSize(HttpSender.MAX_RESPONSE_BODY);
            });
  }

  @Test
  void receiverSlowerThanTheTimeoutIsATimeout() {
    receiver.respondWith(exchange -> {
      Thread.sleep(3_000);
      LoopbackReceiver.reply(exchange, OK);
    });

    SendResult result =
        sender.send(
            new OutboundRequest(
                "POST", receiver.uri("/slow"), List.of(), null, Duration.ofMillis(300)));

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
              assertThat(f.message()).contains("300ms");
            });
  }

  @Test
  void bodyDrippingSlowerThanTheDeadlineIsATimeout() {
    // Each read returns within the response timeout; only the overall deadline can stop this.
    receiver.respondWith(exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < 60; i++) {
        out.write('x');
        out.flush();
        Thread.sleep(100);
      }
    });

    SendResult result =
        sender.send(
            new OutboundRequest(
                "GET", receiver.uri("/drip"), List.of(), null, Duration.ofMillis(800)));

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
              assertThat(f.message()).isEqualTo("no complete response within 800ms");
            });
  }

  @Test
  void closedPortIsAConnectionFailure() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
      port = socket.getLocalPort();
    }

    SendResult result = sender.send(post(URI.create("http://127.0.0.1:" + port + "/"), List.of()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.CONNECTION);
              assertThat(f.message()).containsIgnoringCase("refused");
            });
  }

  @Test
  void tlsToAPlainHttpReceiverIsATlsFailure() throws Exception {
    byte[] plain =
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    SendResult result = sendToRawServer("https", plain);

    assertThat(result)
        .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.TLS));
  }

  @Test
  void brokenChunkedEncodingIsAProtocolFailure() throws Exception {
    byte[] broken =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot a chunk\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    SendResult result = sendToRawServer("http", broken);

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.PROTOCOL));
  }

  @Test
  void connectionClosedWithoutAnAnswerIsAConnectionFailure() throws Exception {
    SendResult result = sendToRawServer("http", new byte[0]);

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.CONNECTION));
  }

  /** A one-shot loopback socket server: reads what comes first, writes {@code answer}, closes. */
  private SendResult sendToRawServer(String scheme, byte[] answer) throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 10, loopback());
        ExecutorService acceptor = Executors.newVirtualThreadPerTaskExecutor()) {
      acceptor.submit(() -> {
        try (Socket socket = raw.accept()) {
          socket.getInputStream().read(new byte[4096]);
          socket.getOutputStream().write(answer);
          socket.getOutputStream().flush();
          Thread.sleep(500);
        }
        return null;
      });
      return sender.send(
          post(URI.create(scheme + "://127.0.0.1:" + raw.getLocalPort() + "/"), List.of()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.1",
        "localhost",
        "localhost.",
        "2130706433",
        "127.1",
        "[::ffff:127.0.0.1]"
      })
  void emptyAllowListBlocksLoopbackBeforeConnecting(String host) {
    try (HttpSender strict =
        new HttpSender(new DestinationPolicy(AllowList.empty()), settings(null))) {
      SendResult result = strict.send(post(receiver.uri(host, "/"), List.of()));

      assertThat(result)
          .isInstanceOfSatisfying(
              Failed.class,
              f -> {
                assertThat(f.kind()).isEqualTo(FailureKind.BLOCKED_DESTINATION);
                assertThat(f.message()).startsWith(host).endsWith("a loopback address");
              });
    }
    assertThat(receiver.received()).as("the receiver saw nothing").isEmpty();
  }

  @Test
  void blockedMessageNamesTheAddressOfAName() {
    try (HttpSender strict =
        new HttpSender(new DestinationPolicy(AllowList.empty()), settings(null))) {
      Failed f = (Failed) strict.send(post(receiver.uri("localhost", "/"), List.of()));

      assertThat(f.message()).isEqualTo("localhost resolves to 127.0.0.1, a loopback address");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"2130706433", "127.1", "127.000.000.001", "localhost.", "[::ffff:127.0.0.1]"})
  void oddSpellingsOfLoopbackReachTheReceiverWhenAllowed(String host) {
    SendResult result = sender.send(post(receiver.uri(host, "/odd"), List.of()));

    assertThat(result)
        .isInstanceOfSatisfying(Responded.class, r -> assertThat(r.status()).isEqualTo(200));
    assertThat(receiver.received()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0x7f.1", "017700000001", "0x7f000001"})
  void ambiguousLiteralsAreUnresolvable(String host) {
    SendResult result = sender.send(post(receiver.uri(host, "/"), List.of()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.UNRESOLVABLE);
              assertThat(f.message()).contains("Invalid IP address literal");
            });
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void manyConcurrentSendsFromVirtualThreadsAllSucceed() throws Exception {
    int count = 500;
    List<Callable<SendResult>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      URI url = receiver.uri("/n/" + i);
      sends.add(() -> sender.send(new OutboundRequest("POST", url, List.of(), body, TIMEOUT)));
    }

    List<SendResult> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<SendResult> future : threads.invokeAll(sends)) {
        results.add(future.get());
      }
    }

    assertThat(results)
        .allSatisfy(r ->
            assertThat(r)
                .isInstanceOfSatisfying(
                    Responded.class, ok -> assertThat(ok.status()).isEqualTo(200)));
    assertThat(receiver.received()).hasSize(count);
    assertThat(receiver.received())
        .extracting(LoopbackReceiver.Received::body)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, count).mapToObj(i -> "{\"n\":" + i + "}").toList());
    assertThat(sender.openConnections()).isLessThanOrEqualTo(64);
  }

  private static OutboundRequest post(URI url, List<Header> headers) {
    return new OutboundRequest(
        "POST", url, headers, "{}".getBytes(StandardCharsets.UTF_8), TIMEOUT);
  }

  private static SenderSettings settings(String userAgent) {
    return SenderSettings.defaults(userAgent)
        .withMaxConnectionsPerRoute(64)
        .withConnectTimeout(Duration.ofSeconds(5));
  }

  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  private static InetAddress loopback() {
    return InetAddress.ofLiteral("127.0.0.1");
  }
}
