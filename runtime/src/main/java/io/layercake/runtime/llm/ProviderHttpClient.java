package io.layercake.runtime.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP client langchain4j's models use here: the JDK client, with a failed response's
 * {@code Retry-After} kept on the exception (langchain4j's own client drops the headers).
 */
final class ProviderHttpClient implements HttpClient {
  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.readTimeout = readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
        .timeout(readTimeout)
        .method(request.method().name(), request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> call;
    try {
      call = client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IllegalArgumentException e) {
      // The JDK quotes the offending header value, which may be the API key: keep it out of messages.
      throw new ProviderHttpException(400, "the request to the provider is malformed (check the base URL and key)", null);
    }
    try {
      // The whole exchange, body included, is bounded; the JDK's own timeout covers only the headers.
      HttpResponse<String> response = call.get(readTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (response.statusCode() >= 300) {
        throw new ProviderHttpException(response.statusCode(), response.body(),
            response.headers().firstValue("Retry-After").flatMap(ProviderHttpClient::seconds).orElse(null));
      }
      return SuccessfulHttpResponse.builder()
          .statusCode(response.statusCode())
          .headers(response.headers().map())
          .body(response.body())
          .build();
    } catch (java.util.concurrent.TimeoutException e) {
      call.cancel(true);
      throw new dev.langchain4j.exception.TimeoutException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException timeout) {
        throw new dev.langchain4j.exception.TimeoutException(timeout);
      }
      throw new ProviderHttpException(503, "provider unreachable: " + e.getCause().getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderHttpException(503, "interrupted", null);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    throw new UnsupportedOperationException("streaming is not used");
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A provider's error response, with its Retry-After when it sent one. */
  static final class ProviderHttpException extends HttpException {
    private final Duration retryAfter;

    ProviderHttpException(int statusCode, String body, Duration retryAfter) {
      super(statusCode, body);
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }

  /** Builds the client with the timeouts langchain4j's model builders pass in. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(30);

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      if (timeout != null) {
        this.connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      if (timeout != null) {
        this.readTimeout = timeout;
      }
      return this;
    }

    @Override
    public HttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
