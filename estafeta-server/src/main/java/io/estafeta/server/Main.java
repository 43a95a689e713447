package io.estafeta.server;

import io.estafeta.store.AccountStore;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code serve}, {@code account create NAME}, {@code portal-link ID}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "serve" : args[0];
    try {
      Config config = Config.fromEnvironment(System.getenv());
      return switch (command) {
        case "serve" -> serve(config, out);
        case "account" -> account(config, Arrays.copyOfRange(args, 1, args.length), out, err);
        case "portal-link" -> {
          err.println("portal-link: not available yet (the portal is not built)");
          yield 2;
        }
        default -> {
          err.println("unknown command '" + command + "'; try serve, account create NAME");
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
