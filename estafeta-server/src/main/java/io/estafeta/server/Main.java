package io.estafeta.server;

import io.estafeta.server.demo.Demo;
import io.estafeta.server.portal.PortalHandlers;
import io.estafeta.server.portal.PortalSessions;
import io.estafeta.store.AccountStore;
import io.estafeta.store.PortalStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code serve}, {@code demo}, {@code account create NAME}, {@code portal-link
 * ID}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Requests and attempts run on virtual threads, and a JDBC call into SQLite (native code)
    // holds its carrier thread until it returns: more carriers than cores keep attempts moving
    // while some carriers sit in the database. Read when the first virtual thread starts.
    if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
      System.setProperty(
          "jdk.virtualThreadScheduler.parallelism",
          Integer.toString(4 * Runtime.getRuntime().availableProcessors()));
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "serve" : args[0];
    try {
      Config config = Config.fromEnvironment(System.getenv());
      if (config.jsonLogs()) {
        // Read by logback when the first logger is made, which is after this line.
        System.setProperty("logback.configurationFile", "logback-json.xml");
      }
      return switch (command) {
        case "serve" -> serve(config, out);
        case "account" -> account(config, Arrays.copyOfRange(args, 1, args.length), out, err);
        case "portal-link" ->
            portalLink(config, Arrays.copyOfRange(args, 1, args.length), out, err);
        case "demo" -> demo(System.getenv(), out);
        default -> {
          err.println(
              "unknown command '"
                  + command
                  + "'; try serve, demo, account create NAME, portal-link ACCOUNT_ID");
          yield 2;
        }
      };
    } catch (Config.Invalid e) {
      err.println("estafeta: " + e.getMessage());
      return 78;
    }
  }

  private static int serve(Config config, PrintStream out) {
    EstafetaServer server = EstafetaServer.start(config, Clock.systemUTC());
    out.println("Estafeta " + Config.VERSION + " listening on http://localhost:" + server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(() -> {
                  server.close();
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Prints a one-time portal login link for an account; works while a node is serving. */
  private static int portalLink(Config config, String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].isBlank()) {
      err.println("usage: estafeta portal-link ACCOUNT_ID");
      return 2;
    }
    try (Node node = Node.open(config)) {
      String accountId = args[0].strip();
      if (new AccountStore(node.db()).find(accountId).isEmpty()) {
        err.println("portal-link: no account " + accountId);
        return 1;
      }
      var link =
          new PortalStore(node.db())
              .issueLink(accountId, Clock.systemUTC().instant(), PortalSessions.LINK_TTL);
      // The link alone on standard output, so that scripts can take it.
      out.println(PortalHandlers.linkUrl(config.publicUrl(config.port()), link.token()));
      err.println("valid once, until " + link.expiresAt());
      return 0;
    }
  }

  /**
   * Serves with a demo account, a demo receiver and a trickle of events. The receiver listens on
   * loopback, so loopback is allowed unless the user chose the allow-list; retries come after 10 s
   * unless the user chose the delay, so a newcomer sees them within a minute.
   */
  private static int demo(Map<String, String> environment, PrintStream out) {
    Map<String, String> env = new HashMap<>(environment);
    defaultTo(env, "ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");
    defaultTo(env, "ESTAFETA_RETRY_DELAY", "10s");
    Config config = Config.fromEnvironment(env);
    EstafetaServer server = EstafetaServer.start(config, Clock.systemUTC());
    Demo demo;
    try {
      demo =
          Demo.start(
              "http://127.0.0.1:" + server.port(),
              server.node().adminToken(),
              Duration.ofSeconds(3),
              Clock.systemUTC());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    Demo.Started d = demo.started();
    out.println("Estafeta " + Config.VERSION + " demo on http://localhost:" + server.port());
    out.println();
    out.println("  Open the portal (the link works once, for 10 minutes):");
    out.println("    " + d.portalUrl());
    out.println();
    out.println(
        "  account   "
            + d.accountId()
            + "   (a new link: ./estafeta portal-link "
            + d.accountId()
            + ")");
    out.println("  API key   " + d.apiKey());
    out.println(
        "  receiver  " + d.receiverUrl() + "   answers 200, 500 (retried) and 400 (failed)");
    out.println(
        "  webhooks  "
            + d.webhooks().size()
            + " (JSON, XML, CSV), retries every "
            + env.get("ESTAFETA_RETRY_DELAY")
            + " × n");
    out.println("  events    one every 3 s, all 26 types; Ctrl-C stops");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(() -> {
                  demo.close();
                  server.close();
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void defaultTo(Map<String, String> env, String name, String value) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      env.put(name, value);
    }
  }

  private static int account(Config config, String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !args[0].equals("create") || args[1].isBlank()) {
      err.println("usage: estafeta account create NAME");
      return 2;
    }
    try (Node node = Node.open(config)) {
      var created =
          new AccountStore(node.db()).create(args[1].strip(), Clock.systemUTC().instant());
      out.println("account " + created.account().id());
      out.println("api key " + created.plainKey());
      return 0;
    }
  }
}
