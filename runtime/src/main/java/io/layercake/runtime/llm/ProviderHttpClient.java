package io.layercake.runtime.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.layercake.runtime.concurrent.Timeouts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * The HTTP client langchain4j's models use here. A whole answer is taken in two passes around an
 * exchange that holds no thread ({@link #requestOf}, {@link #answeredWith}); a streamed one is read on
 * the calling thread through the node's JDK client. A failed response's {@code Retry-After} is kept on
 * the exception (langchain4j's own client drops the headers).
 *
 * <p>Every model shares the one JDK client it is given: a client of its own per model would bring its
 * own selector thread and, without an executor, the JDK's cached pool, whose idle workers retire after
 * a minute and are started again by the next burst of calls.
 */
final class ProviderHttpClient implements HttpClient {
  private final java.net.http.HttpClient client;
  private final Duration readTimeout;
  private final Scheduler scheduler;

  private ProviderHttpClient(java.net.http.HttpClient client, Duration readTimeout, Scheduler scheduler) {
    this.client = client;
    this.readTimeout = readTimeout;
    this.scheduler = scheduler;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    Pass pass = PASS.get();
    if (pass instanceof Capture capture) {
      capture.request = request;
      throw new RequestCaptured();
    }
    if (pass instanceof Replay replay) {
      ProviderExchange.Response response = replay.response();
      if (response.status() >= 300) {
        throw new ProviderHttpException(response.status(), response.body(),
            response.header("Retry-After").flatMap(ProviderHttpClient::seconds).orElse(null));
      }
      return SuccessfulHttpResponse.builder()
          .statusCode(response.status())
          .headers(response.headers())
          .body(response.body())
          .build();
    }
    throw new IllegalStateException("a whole answer is exchanged in two passes (ProviderHttpClient.requestOf, answeredWith)");
  }

  /**
   * The request langchain4j's model would send for {@code chat}: the call runs up to the HTTP
   * exchange and stops there. With {@link #answeredWith} this takes a whole answer off the model's
   * synchronous API without a thread waiting on the network: its two passes are CPU only, and the
   * exchange between them ({@link ProviderExchange}) holds no thread.
   */
  static HttpRequest requestOf(Runnable chat) {
    Capture capture = new Capture();
    PASS.set(capture);
    try {
      chat.run();
    } catch (RuntimeException stopped) {
      // the model wraps what the client throws: RequestCaptured is this stop; anything else, a failure before it
      if (capture.request == null) {
        throw stopped;
      }
    } finally {
      PASS.remove();
    }
    if (capture.request == null) {
      throw new IllegalStateException("the model answered without a request to its provider");
    }
    return capture.request;
  }

  /** {@code chat} again, now given the provider's {@code response} to the request it makes: the model reads its answer. */
  static <T> T answeredWith(ProviderExchange.Response response, java.util.function.Supplier<T> chat) {
    PASS.set(new Replay(response));
    try {
      return chat.get();
    } finally {
      PASS.remove();
    }
  }

  /** What {@link #execute(HttpRequest)} does on this thread: keep the request, or hand over the response. */
  private static final ThreadLocal<Pass> PASS = new ThreadLocal<>();

  private sealed interface Pass permits Capture, Replay {}

  private static final class Capture implements Pass {
    private HttpRequest request;
  }

  private record Replay(ProviderExchange.Response response) implements Pass {}

  /** The first pass's stop: no stack trace, nothing failed. */
  private static final class RequestCaptured extends RuntimeException {
    RequestCaptured() {
      super("request captured", null, false, false);
    }
  }

  /**
   * Bounds the whole exchange, body included (the JDK's own timeout covers only the headers): at the
   * deadline the waiting thread is interrupted, which cancels the exchange. An interrupt is only ever
   * delivered before {@link #close} returns, so none is left behind on a pool thread. Kept by Pekko's
   * scheduler ({@link Timeouts}): a timer thread of its own would be woken by every call.
   */
  private static final class Deadline implements AutoCloseable {
    private final Thread waiting;
    private boolean closed;
    private boolean passed;
    private Cancellable timer;

    private Deadline(Thread waiting) {
      this.waiting = waiting;
    }

    static Deadline interrupting(Thread waiting, Duration after, Scheduler scheduler) {
      Deadline deadline = new Deadline(waiting);
      deadline.timer = Timeouts.after(scheduler, after, deadline::pass);
      return deadline;
    }

    private synchronized void pass() {
      if (!closed) {
        passed = true;
        waiting.interrupt();
      }
    }

    synchronized boolean passed() {
      return passed;
    }

    @Override
    public void close() {
      timer.cancel();
      synchronized (this) {
        closed = true;
        if (passed) {
          // the interrupt was for the exchange, which is over: the thread goes back to its pool clean
          Thread.interrupted();
        }
      }
    }
  }

  /**
   * A streamed answer (server-sent events), read on the calling thread within the call's deadline: each event goes to {@code listener} as it arrives; a failed response, or a read
   * cut short, goes to its {@code onError}.
   */
  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    Deadline deadline = Deadline.interrupting(Thread.currentThread(), readTimeout, scheduler);
    try {
      HttpResponse<java.io.InputStream> response = client.send(jdkRequest(request), HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = response.body()) {
        if (response.statusCode() >= 300) {
          listener.onError(new ProviderHttpException(response.statusCode(), new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
              response.headers().firstValue("Retry-After").flatMap(ProviderHttpClient::seconds).orElse(null)));
          return;
        }
        if (!response.headers().firstValue("Content-Type").orElse("text/event-stream").contains("text/event-stream")) {
          listener.onError(new NotAStream());
          return;
        }
        listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(response.headers().map()).build());
        parser.parse(body, listener);
      }
      if (deadline.passed()) {
        listener.onError(new dev.langchain4j.exception.TimeoutException(
            new HttpTimeoutException("no whole response within " + readTimeout.toMillis() + " ms")));
        return;
      }
      listener.onClose();
    } catch (IllegalArgumentException e) {
      listener.onError(new ProviderHttpException(400, "the request to the provider is malformed (check the base URL and key)", null));
    } catch (HttpTimeoutException timeout) {
      listener.onError(new dev.langchain4j.exception.TimeoutException(timeout));
    } catch (IOException e) {
      listener.onError(deadline.passed()
          ? new dev.langchain4j.exception.TimeoutException(new HttpTimeoutException("no whole response within " + readTimeout.toMillis() + " ms"))
          : new ProviderHttpException(503, "provider unreachable: " + e.getClass().getSimpleName(), null));
    } catch (InterruptedException e) {
      if (!deadline.passed()) {
        Thread.currentThread().interrupt();
      }
      listener.onError(new dev.langchain4j.exception.TimeoutException(
          new HttpTimeoutException("no whole response within " + readTimeout.toMillis() + " ms")));
    } finally {
      deadline.close();
    }
  }

  private java.net.http.HttpRequest jdkRequest(HttpRequest request) {
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
        .timeout(readTimeout)
        .method(request.method().name(), request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    return builder.build();
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A provider asked to stream answered whole (some OpenAI-compatible servers ignore {@code stream}). */
  static final class NotAStream extends RuntimeException {
    NotAStream() {
      super("the provider answered a streaming request whole", null, false, false);
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

  /**
   * Builds the client with the read timeout langchain4j's model builders pass in; {@code scheduler}
   * keeps it. The connect timeout is the shared JDK client's own: what a builder sets here is only
   * reported back.
   */
  static final class Builder implements HttpClientBuilder {
    private final java.net.http.HttpClient client;
    private final Scheduler scheduler;
    private Duration connectTimeout;
    private Duration readTimeout = Duration.ofSeconds(30);

    /** {@code client}: the JDK client every model's calls go through (it names the executor of its own work). */
    Builder(java.net.http.HttpClient client, Scheduler scheduler) {
      this.client = client;
      this.scheduler = scheduler;
      this.connectTimeout = client.connectTimeout().orElse(null);
    }

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
      return new ProviderHttpClient(client, readTimeout, scheduler);
    }
  }
}
