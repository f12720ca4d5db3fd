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

  /**
   * A POST that declares a {@code Content-Length} and sends none of the body: the way to see a
   * server refuse a body by its declared size. Sending a body larger than the limit races the
   * server's close against the client's write, and a reset connection can lose the answer.
   */
  public Response postDeclaringLength(String path, long contentLength) {
    URI uri = URI.create(base + path);
    StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n");
    return overSocket(uri, head);
  }

  /**
   * A GET sent as the bytes of HTTP/1.1 with this {@code Host} header (which Java's HTTP client will
   * not send): how a request for a custom domain reaches the node behind a reverse proxy.
   */
  public Response getForHost(String host, String path) {
    URI uri = URI.create(base + path);
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return overSocket(uri, new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"));
  }

  private Response overSocket(URI uri, StringBuilder head) {
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (bearerToken != null) {
        head.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
      }
      socket.getOutputStream().write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int endOfHead = answer.indexOf("\r\n\r\n");
      if (endOfHead < 0) {
        throw new AssertionError("no HTTP answer: " + answer);
      }
      String[] lines = answer.substring(0, endOfHead).split("\r\n");
      java.util.Map<String, java.util.List<String>> answerHeaders = new java.util.LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        answerHeaders.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
            name -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).strip());
      }
      String contentType = answerHeaders.getOrDefault("content-type", java.util.List.of("")).get(0);
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), contentType, answer.substring(endOfHead + 4), answerHeaders);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request whose body is these bytes of this media type (an upload). */
  public Response send(String method, String path, byte[] body, String contentType) {
    return send(request(path).header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** A form post, as a browser's form sends it. */
  public Response postForm(String path, java.util.Map<String, String> fields) {
    String form = fields.entrySet().stream().map(field -> java.net.URLEncoder.encode(field.getKey(), java.nio.charset.StandardCharsets.UTF_8)
        + "=" + java.net.URLEncoder.encode(field.getValue(), java.nio.charset.StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&"));
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
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
