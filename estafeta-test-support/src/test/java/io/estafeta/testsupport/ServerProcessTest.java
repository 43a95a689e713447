package io.estafeta.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness by a printed line: only the bench's receiver uses it, and the bench is not a test. */
class ServerProcessTest {
  /** Prints its arguments, one a line, then waits for its standard input to close. */
  public static final class Printer {
    public static void main(String[] args) throws Exception {
      for (String a : args) {
        System.out.println(a);
      }
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /** Exits at once with the status it is given. */
  public static final class Quitter {
    public static void main(String[] args) {
      System.exit(Integer.parseInt(args[0]));
    }
  }

  @Test
  void readyAtTheFirstMatchingLinePrintedByThisChild(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    // An earlier run's line in the same log is not this child's.
    Files.writeString(log, "ports old\n");
    try (ServerProcess p =
        ServerProcess.java(Printer.class.getName(), "starting", "ports 1,2 control 3", "ports x")
            .readyWhenItPrints("ports ")
            .log(log)
            .start()) {
      assertThat(p.readyLine()).isEqualTo("ports 1,2 control 3");
      p.process().getOutputStream().close();
      assertThat(p.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    assertThat(Files.readString(log)).startsWith("ports old\nstarting\n");
  }

  @Test
  void aChildThatExitsBeforeItIsReadyFailsTheStart(@TempDir Path dir) {
    Path log = dir.resolve("child.log");
    assertThatThrownBy(() ->
            ServerProcess.java(Quitter.class.getName(), "3")
                .readyWhenItPrints("ready")
                .within(Duration.ofSeconds(30))
                .log(log)
                .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining(log.toString());
  }
}
