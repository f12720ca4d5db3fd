package io.layercake.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node under test: {@code java -jar layercake.jar} as its own process, configured by
 * {@code LAYERCAKE_*} environment variables, pinned to one CPU with {@code taskset} when asked, its
 * output in {@code node.log} next to its data. Reads what the process costs from {@code /proc}
 * (CPU time, threads) and from the JVM through {@code jcmd} (threads started, heap after GC).
 */
final class NodeProcess implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(60);
  private static final Duration JCMD_WITHIN = Duration.ofSeconds(60);
  private static final Pattern THREADS_STARTED = Pattern.compile("java\\.threads\\.started=(\\d+)");
  private static final long CLOCK_TICKS = clockTicks();

  private final Process process;
  private final Path log;
  private final String baseUrl;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NodeProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /**
   * Starts the node on a free loopback port and waits until {@code /health/ready} answers 200.
   * {@code cpu} is the CPU list for {@code taskset -c}, empty for no pinning.
   */
  static NodeProcess start(Path jar, Path workDir, Map<String, String> environment, List<String> javaOptions,
      String cpu) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    if (!cpu.isEmpty()) {
      command.addAll(List.of("taskset", "-c", cpu));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    Path log = workDir.resolve("node.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("LAYERCAKE_"));
    builder.environment().putAll(environment);
    builder.environment().put("LAYERCAKE_HTTP_HOST", "127.0.0.1");
    builder.environment().put("LAYERCAKE_HTTP_PORT", Integer.toString(port));
    Process process = builder.start();
    // a benchmark stopped by a signal stops its node too
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    NodeProcess node = new NodeProcess(process, log, port);
    node.awaitReady();
    return node;
  }

  String baseUrl() {
    return baseUrl;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time (user + system) of the node's process so far, from {@code /proc/<pid>/stat}. */
  long cpuNanos() {
    String stat = readProc("stat");
    // the command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1_000_000_000L / CLOCK_TICKS;
  }

  /**
   * The node's JIT compiler CPU and its threads' context switches, per live thread
   * ({@code /proc/<pid>/task/*}). The compiler's share tells a warm node from one still compiling; the
   * switches count how often a thread parked or was preempted, each a hand-off between threads.
   */
  record ThreadTimes(Map<String, Long> compilerTicks, Map<String, Long> switches) {
    /**
     * What happened between {@code earlier} and this, thread by thread: a thread that ended in
     * between takes its part with it, so the figures are a floor.
     */
    Window since(ThreadTimes earlier) {
      long ticks = 0;
      for (Map.Entry<String, Long> thread : compilerTicks.entrySet()) {
        ticks += thread.getValue() - earlier.compilerTicks().getOrDefault(thread.getKey(), 0L);
      }
      long switched = 0;
      for (Map.Entry<String, Long> thread : switches.entrySet()) {
        switched += thread.getValue() - earlier.switches().getOrDefault(thread.getKey(), 0L);
      }
      return new Window(ticks * 1_000_000_000L / CLOCK_TICKS, switched);
    }
  }

  record Window(long compilerCpuNanos, long contextSwitches) {}

  ThreadTimes threadTimes() {
    Map<String, Long> compiler = new java.util.HashMap<>();
    Map<String, Long> switches = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        String status;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
          status = Files.readString(task.resolve("status"), StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException ended) {
          continue; // the thread ended between the listing and the read
        }
        String tid = task.getFileName().toString();
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
          compiler.put(tid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        }
        long switched = 0;
        for (String line : status.split("\n")) {
          if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
            switched += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
        switches.put(tid, switched);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the node's /proc/" + pid() + "/task (Linux only)", e);
    }
    return new ThreadTimes(compiler, switches);
  }

  /** The node's live threads now, from {@code /proc/<pid>/status}. */
  int threads() {
    for (String line : readProc("status").split("\n")) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).trim());
      }
    }
    throw new IllegalStateException("no Threads: line in /proc/" + pid() + "/status");
  }

  /**
   * The node's live threads by id, each with its name as Linux keeps it ({@code /proc/<pid>/task/<tid>/comm}:
   * the JVM's thread name cut to 15 characters).
   */
  Map<String, String> threadNames() {
    Map<String, String> names = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          names.put(task.getFileName().toString(), Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip());
        } catch (java.nio.file.NoSuchFileException ended) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the node's /proc/" + pid() + "/task (Linux only)", e);
    }
    return names;
  }

  /** Threads the node's JVM started since it began ({@code java.threads.started}); empty without jcmd. */
  Optional<Long> threadsStarted() {
    return jcmd("PerfCounter.print").flatMap(output -> {
      Matcher found = THREADS_STARTED.matcher(output);
      return found.find() ? Optional.of(Long.parseLong(found.group(1))) : Optional.empty();
    });
  }

  /** The node's live objects by class, after the full GC {@code jcmd GC.class_histogram} runs; empty without jcmd. */
  Optional<String> classHistogram() {
    return jcmd("GC.class_histogram");
  }

  /** Writes the node's live objects to {@code file} ({@code jcmd GC.heap_dump}); false without jcmd. */
  boolean heapDump(Path file) {
    return jcmd("GC.heap_dump", file.toAbsolutePath().toString()).isPresent();
  }

  /** Samples the node's CPU every 250 ms over {@code window}: its CPU time per second, in milliseconds. */
  double cpuMillisPerSecond(Duration window) throws InterruptedException {
    long startCpu = cpuNanos();
    long started = System.nanoTime();
    awaitFor(window);
    return (cpuNanos() - startCpu) / 1e6 / ((System.nanoTime() - started) / 1e9);
  }

  /**
   * Waits until the node's CPU goes quiet after a load: the last 500 ms used at most a fifth of a
   * core, or no less than the 500 ms before (the work that trails the last reply is done; what is
   * left is the node's idle cost). Bounded by {@code atMost}; returns the time waited.
   */
  Duration awaitQuiet(Duration atMost) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + atMost.toNanos();
    long previousWindow = Long.MAX_VALUE;
    long cpu = cpuNanos();
    while (System.nanoTime() < deadline) {
      awaitFor(Duration.ofMillis(500));
      long now = cpuNanos();
      long window = now - cpu;
      cpu = now;
      if (window <= 100_000_000L || window >= previousWindow * 9 / 10) {
        break;
      }
      previousWindow = window;
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** The last lines of the node's output, for a failure message. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, and waits for the graceful stop; SIGKILL if it does not come (or the wait is interrupted). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    String last = "not listening yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node exited with " + process.exitValue() + " before it was ready:\n"
            + logTail());
      }
      try {
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
        last = ready.statusCode() + " " + ready.body();
      } catch (IOException notListeningYet) {
        last = "not listening yet: " + notListeningYet.getMessage();
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    close();
    throw new TimeoutException("the node was not ready within " + READY_WITHIN + " (last: " + last + "):\n"
        + logTail());
  }

  /** Waits on the process for {@code duration}: a node that dies ends the wait, and the run, at once. */
  void awaitFor(Duration duration) throws InterruptedException {
    if (process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the node exited with " + process.exitValue() + ":\n" + logTail());
    }
  }

  private String readProc(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid()), file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("the node's /proc/" + pid() + "/" + file + " (Linux only)", e);
    }
  }

  private Optional<String> jcmd(String... command) {
    Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String executable = Files.isExecutable(beside) ? beside.toString() : "jcmd";
    List<String> line = new ArrayList<>(List.of(executable, Long.toString(pid())));
    line.addAll(List.of(command));
    try {
      Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
      byte[] output = jcmd.getInputStream().readAllBytes();
      if (!jcmd.waitFor(JCMD_WITHIN.toMillis(), TimeUnit.MILLISECONDS) || jcmd.exitValue() != 0) {
        jcmd.destroyForcibly();
        EndToEndBenchmark.log("jcmd " + String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8).trim());
        return Optional.empty();
      }
      return Optional.of(new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      EndToEndBenchmark.log("jcmd is not available (" + e.getMessage() + "): threads started and heap are not"
          + " measured");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** {@code getconf CLK_TCK}, the unit of {@code /proc/<pid>/stat}'s CPU times; 100 where it cannot be asked. */
  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0 ? Long.parseLong(output) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
