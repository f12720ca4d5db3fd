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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider client bounds the whole exchange, body included, and leaves its thread clean. */
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

  @Test
  void aBodyThatStallsAfterTheHeadersTimesOutAndTheThreadIsNotLeftInterrupted() {
    var client = new ProviderHttpClient.Builder(java.net.http.HttpClient.newHttpClient(), testKit.scheduler()).readTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.builder().method(HttpMethod.POST)
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/stall").body("{}").build();

    assertThatThrownBy(() -> client.execute(request)).isInstanceOf(dev.langchain4j.exception.TimeoutException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aWholeAnswerInTimeIsReturned() {
    var client = new ProviderHttpClient.Builder(java.net.http.HttpClient.newHttpClient(), testKit.scheduler()).readTimeout(Duration.ofMillis(300)).build();
    HttpRequest request = HttpRequest.builder().method(HttpMethod.POST)
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/answer").body("{}").build();

    assertThat(client.execute(request).body()).isEqualTo("{\"ok\":true}");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  private HttpServer server() {
    try {
      HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      created.setExecutor(Executors.newCachedThreadPool());
      created.createContext("/stall", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, 100);
        OutputStream body = exchange.getResponseBody();
        body.write("{\"partial\":".getBytes(StandardCharsets.UTF_8));
        body.flush();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
      });
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
}
