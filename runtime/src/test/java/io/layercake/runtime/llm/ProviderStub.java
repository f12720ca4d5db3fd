package io.layercake.runtime.llm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A model provider on 127.0.0.1 that answers with canned responses in the provider's wire format
 * and records every request it got. A response can be held back until the test releases it
 * (to see a timeout) — the stub waits on a latch, it never sleeps.
 */
final class ProviderStub implements AutoCloseable {
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Canned> responses = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** {@code streamed}: the body as server-sent events, written one by one; {@code after} of them, the stub waits for the release. */
  record Canned(int status, Map<String, String> headers, String body, boolean heldBack, List<String> streamed, int after) {
    Canned(int status, Map<String, String> headers, String body, boolean heldBack) {
      this(status, headers, body, heldBack, List.of(), 0);
    }
  }

  record Recorded(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0))
          .findFirst().orElse(null);
    }
  }

  ProviderStub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Recorded(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
      Canned canned = responses.poll();
      if (canned == null) {
        canned = new Canned(500, Map.of(), "{\"error\":\"no canned response\"}", false);
      }
      if (canned.heldBack()) {
        awaitRelease();
      }
      if (!canned.streamed().isEmpty()) {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (int i = 0; i < canned.streamed().size(); i++) {
            if (i == canned.after()) {
              awaitRelease();
            }
            out.write((canned.streamed().get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
        return;
      }
      byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      canned.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(canned.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void respond(int status, String body) {
    responses.add(new Canned(status, Map.of(), body, false));
  }

  void respond(int status, Map<String, String> headers, String body) {
    responses.add(new Canned(status, headers, body, false));
  }

  /** Streams {@code events}, holding the rest back after the first {@code after} until {@link #release()}. */
  void stream(List<String> events, int after) {
    responses.add(new Canned(200, Map.of(), "", false, List.copyOf(events), after));
  }

  void release() {
    release.countDown();
  }

  void holdBack(String body) {
    responses.add(new Canned(200, Map.of(), body, true));
  }

  List<Recorded> requests() {
    return requests;
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
