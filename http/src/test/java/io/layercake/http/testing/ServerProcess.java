package io.layercake.http.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@code java -jar layercake.jar} child process with its output in files; failsafe passes the jar's path. */
public final class ServerProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final String port;

  private ServerProcess(Process process, Path stdout, Path stderr, String port) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.port = port;
  }

  public static ServerProcess start(Path workDir, Map<String, String> environment, String logName, String... arguments)
      throws IOException {
    return start(workDir, environment, List.of(), logName, arguments);
  }

  /** As {@link #start(Path, Map, String, String...)} with options for the JVM (heap, JIT). */
  public static ServerProcess start(Path workDir, Map<String, String> environment, List<String> jvmOptions, String logName,
      String... arguments) throws IOException {
    String jar = System.getProperty("layercake.jar");
    assertThat(jar).as("system property layercake.jar (set by failsafe)").isNotNull();
    Path stdout = workDir.resolve(logName);
    Path stderr = workDir.resolve(logName + ".err");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("LAYERCAKE_"));
    builder.environment().putAll(environment);
    return new ServerProcess(builder.start(), stdout, stderr, environment.get("LAYERCAKE_HTTP_PORT"));
  }

  public HttpTestClient client() {
    return HttpTestClient.to(Integer.parseInt(port));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Polls readiness until 200; between polls it waits on the process's exit, so a crash ends the wait at once. */
  public long awaitReady(Duration within) throws Exception {
    long started = System.nanoTime();
    long deadline = started + within.toNanos();
    String lastAnswer = "no answer yet";
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("server exited early:\n" + output()).isTrue();
      try {
        var ready = client().get("/health/ready");
        if (ready.status() == 200) {
          return Duration.ofNanos(System.nanoTime() - started).toMillis();
        }
        lastAnswer = ready.status() + " " + ready.body();
      } catch (UncheckedIOException notListeningYet) {
        lastAnswer = "not listening yet: " + notListeningYet.getMessage();
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new TimeoutException("not ready within " + within + " (last: " + lastAnswer + "):\n" + output());
  }

  /** Polls an HTTP view until its body contains {@code expected}; between polls it waits on the process's exit. */
  public void awaitAnswer(HttpTestClient client, String path, String expected, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("server exited early:\n" + output()).isTrue();
      last = client.get(path).body();
      if (last.contains(expected)) {
        return;
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new TimeoutException(path + " did not show " + expected + " within " + within + ": " + last);
  }

  /** Sends SIGTERM and returns how long the process took to exit. */
  public long terminate(Duration within) throws Exception {
    long started = System.nanoTime();
    process.destroy();
    assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
        .as("exited within " + within + ":\n" + output())
        .isTrue();
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }

  /** Sends SIGTERM and returns at once; {@link #awaitExit} waits for the end. */
  public void sigterm() {
    process.destroy();
  }

  /** Sends SIGKILL: the process gets no chance to leave the cluster or finish anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public int awaitExit(Duration within) throws Exception {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new TimeoutException("still running after " + within + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Waits up to {@code duration} for the process to exit; polls use it in place of sleeping. */
  public void awaitExitFor(Duration duration) throws InterruptedException {
    assertThat(process.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS)).as("server exited early").isFalse();
  }

  public int exitCode() {
    return process.exitValue();
  }

  public String output() throws IOException {
    return Files.readString(stdout) + Files.readString(stderr);
  }

  public List<String> errorLines() throws IOException {
    return Files.readAllLines(stderr).stream().filter(line -> !line.isBlank()).toList();
  }

  /** A port nothing listens on now, for a child process to bind. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
