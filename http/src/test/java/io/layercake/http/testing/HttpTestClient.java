package io.layercake.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.server.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests against a server on 127.0.0.1. */
public final class HttpTestClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;
  private final String bearerToken;
  private final java.util.Map<String, String> headers;

  private HttpTestClient(String base, String bearerToken) {
    this(base, bearerToken, java.util.Map.of());
  }

  private HttpTestClient(String base, String bearerToken, java.util.Map<String, String> headers) {
    this.base = base;
    this.bearerToken = bearerToken;
    this.headers = headers;
  }

  /** The same client sending these headers too on every request (a cookie, a CSRF token). */
  public HttpTestClient withHeaders(java.util.Map<String, String> more) {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.putAll(more);
    return new HttpTestClient(base, bearerToken, java.util.Map.copyOf(all));
  }

  public static HttpTestClient to(InetSocketAddress address) {
    return new HttpTestClient("http://127.0.0.1:" + address.getPort(), null);
  }

  public static HttpTestClient to(int port) {
    return new HttpTestClient("http://127.0.0.1:" + port, null);
  }

  public HttpTestClient withBearer(String token) {
    return new HttpTestClient(base, token, headers);
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  /** A GET with its own headers. */
  public Response get(String path, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = request(path);
    headers.forEach(builder::header);
    return send(builder.GET());
  }

  public Response post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A POST with its own headers (a provider's signature) and exactly these body bytes. */
  public Response post(String path, byte[] body, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = request(path).header("Content-Type", "application/json");
    headers.forEach(builder::setHeader);
    return send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Response send(String method, String path, String body) {
    return send(request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    headers.forEach(builder::header);
    return bearerToken == null ? builder : builder.header("Authorization", "Bearer " + bearerToken);
  }

  private Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
          response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body parsed as JSON on demand. */
  public record Response(int status, String contentType, String body, java.util.Map<String, java.util.List<String>> headers) {
    public Response(int status, String contentType, String body) {
      this(status, contentType, body, java.util.Map.of());
    }

    /** The first value of a response header, matched without regard to case. */
    public java.util.Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
          .map(entry -> entry.getValue().get(0))
          .findFirst();
    }

    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String errorCode() {
      return json().path("error").path("code").asText();
    }
  }
}
