package io.layercake.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider client's whole answer: two passes around an exchange that holds no thread and bounds the body too. */
class ProviderHttpClientTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpServer server = server();

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private ProviderHttpClient client(Duration readTimeout) {
    return (ProviderHttpClient) new ProviderHttpClient.Builder(java.net.http.HttpClient.newHttpClient(), testKit.scheduler())
        .readTimeout(readTimeout).build();
  }

  private HttpRequest post(String path) {
    return HttpRequest.builder().method(HttpMethod.POST).url("http://127.0.0.1:" + server.getAddress().getPort() + path)
        .addHeader("Content-Type", "application/json").body("{}").build();
  }

  @Test
  void theFirstPassStopsAtTheRequestAndTheSecondReadsTheResponseGiven() {
    ProviderHttpClient client = client(Duration.ofSeconds(5));
    HttpRequest request = post("/answer");

    HttpRequest captured = ProviderHttpClient.requestOf(() -> client.execute(request));
    String answered = ProviderHttpClient.answeredWith(
        new ProviderExchange.Response(200, Map.of("Content-Type", List.of("application/json")), "{\"ok\":true}"),
        () -> client.execute(captured).body());

    assertThat(captured).isSameAs(request);
    assertThat(answered).isEqualTo("{\"ok\":true}");
  }

  @Test
  void anErrorResponseIsTheProvidersFailureWithItsRetryAfter() {
    ProviderHttpClient client = client(Duration.ofSeconds(5));

    assertThatThrownBy(() -> ProviderHttpClient.answeredWith(
        new ProviderExchange.Response(429, Map.of("retry-after", List.of("7")), "{\"error\":\"slow down\"}"),
        () -> client.execute(post("/answer"))))
        .isInstanceOfSatisfying(ProviderHttpClient.ProviderHttpException.class, failure -> {
          assertThat(failure.statusCode()).isEqualTo(429);
          assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        });
  }

  /** Outside the two passes nothing would wait for the answer but a thread: refused. */
  @Test
  void aWholeAnswerOutsideTheTwoPassesIsRefused() {
    assertThatThrownBy(() -> client(Duration.ofSeconds(5)).execute(post("/answer"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theExchangeReturnsAWholeAnswer() throws Exception {
    ProviderExchange exchange = new PekkoProviderExchange(testKit.system(), 4, Duration.ofSeconds(5), Duration.ofSeconds(30));

    ProviderExchange.Response response = exchange.send(post("/answer"), Duration.ofSeconds(5)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void theExchangeGivesUpOnABodyThatStallsAfterTheHeaders() {
    ProviderExchange exchange = new PekkoProviderExchange(testKit.system(), 4, Duration.ofSeconds(5), Duration.ofSeconds(30));

    CompletableFuture<ProviderExchange.Response> response =
        exchange.send(post("/stall"), Duration.ofMillis(500)).toCompletableFuture();

    assertThatThrownBy(() -> response.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(java.util.concurrent.TimeoutException.class);
  }

  private HttpServer server() {
    try {
      HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      created.setExecutor(Executors.newCachedThreadPool());
      created.createContext("/stall", exchange -> stall(exchange, "application/json", "{\"partial\":"));
      created.createContext("/answer", exchange -> {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(bytes);
        }
      });
      created.start();
      return created;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void stall(com.sun.net.httpserver.HttpExchange exchange, String contentType, String start) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(200, 100);
    OutputStream body = exchange.getResponseBody();
    body.write(start.getBytes(StandardCharsets.UTF_8));
    body.flush();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.close();
  }
}
