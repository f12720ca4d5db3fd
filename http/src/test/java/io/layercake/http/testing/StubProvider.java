package io.layercake.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A provider's API on 127.0.0.1 for tests: records every request (method, path, headers, body)
 * and answers with the next scripted response, or the default one.
 */
public final class StubProvider implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Response> scripted = new ConcurrentLinkedQueue<>();
  private final Function<Request, Response> fallback;

  private StubProvider(Function<Request, Response> fallback) throws IOException {
    this.fallback = fallback;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
      String query = exchange.getRequestURI().getRawQuery();
      Request request = new Request(exchange.getRequestMethod(),
          exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query), headers,
          new String(body, StandardCharsets.UTF_8), body);
      requests.add(request);
      Response next = scripted.poll();
      Response response = next != null ? next : this.fallback.apply(request);
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  public static StubProvider start(Function<Request, Response> fallback) {
    try {
      return new StubProvider(fallback);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next request gets this response instead of the default one. */
  public void thenRespond(int status, String body) {
    scripted.add(new Response(status, body, Map.of()));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requestsTo(String pathPrefix) {
    return requests.stream().filter(request -> request.path().startsWith(pathPrefix)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A request the stub received; {@code bytes} is the body as sent (binary bodies: web push). */
  public record Request(String method, String path, Map<String, String> headers, String body, byte[] bytes) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What the stub answers. */
  public record Response(int status, String body, Map<String, String> headers) {
    public static Response json(int status, String body) {
      return new Response(status, body, Map.of());
    }
  }
}
