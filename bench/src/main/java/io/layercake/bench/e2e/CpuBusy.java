package io.layercake.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy one CPU of the machine was between two marks, from {@code /proc/stat}. The benchmark's own
 * side (load, stubs, the embedded PostgreSQL) runs pinned to one CPU: when that CPU is near full, the
 * figures measure the harness as much as the node.
 */
record CpuBusy(String cpu, long busy, long total) {
  static CpuBusy mark(String cpu) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        String[] fields = line.trim().split("\\s+");
        if (fields[0].equals(cpu)) {
          long total = 0;
          for (int i = 1; i < fields.length && i <= 8; i++) {
            total += Long.parseLong(fields[i]);
          }
          long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
          return new CpuBusy(cpu, total - idle, total);
        }
      }
      throw new IllegalStateException("no " + cpu + " line in /proc/stat");
    } catch (IOException e) {
      throw new UncheckedIOException("/proc/stat (Linux only)", e);
    }
  }

  /** The share of the time since {@code earlier} this CPU was busy, in percent. */
  double percentSince(CpuBusy earlier) {
    return 100.0 * (busy - earlier.busy()) / Math.max(1, total - earlier.total());
  }
}
