package io.estafeta.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what Linux reports about processes and the machine: CPU time, memory, threads. */
public final class Proc {
  private static final long TICKS = ticksPerSecond();

  private Proc() {}

  /** User plus system CPU time of a process, in seconds; 0 once it is gone. */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces and parentheses: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of stat(5) are utime and stime; here they are at 11 and 12.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * A {@code /proc/<pid>/status} field in kB (VmHWM, VmRSS) or as a count (Threads); -1 if none.
   */
  public static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone.
    }
    return -1;
  }

  /** The CPU seconds of every process whose command is {@code name} (e.g. all of PostgreSQL's). */
  public static double cpuSecondsOfAll(String name) {
    double total = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          String comm = Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).strip();
          if (comm.equals(name)) {
            total += cpuSeconds(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // Ended meanwhile.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /** The machine's CPU counters since boot, in seconds over all cores: busy, idle, iowait. */
  public record Machine(double busy, double idle, double iowait) {
    public static Machine now() {
      try {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        String[] f = cpu.split("\\s+");
        List<Long> v = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
          v.add(Long.parseLong(f[i]));
        }
        // user nice system idle iowait irq softirq steal (guest time is inside user).
        long idle = v.get(3);
        long iowait = v.get(4);
        long busy = 0;
        for (int i = 0; i < Math.min(8, v.size()); i++) {
          if (i != 3 && i != 4) {
            busy += v.get(i);
          }
        }
        return new Machine(busy / (double) TICKS, idle / (double) TICKS, iowait / (double) TICKS);
      } catch (IOException | RuntimeException e) {
        return new Machine(0, 0, 0);
      }
    }

    public Machine minus(Machine before) {
      return new Machine(busy - before.busy, idle - before.idle, iowait - before.iowait);
    }
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
