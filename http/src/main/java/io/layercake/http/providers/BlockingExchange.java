package io.layercake.http.providers;

import io.layercake.runtime.concurrent.Stages;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One call to a provider on the conversation path: the JDK client's blocking {@code send} on a pool
 * that may block. Its {@code sendAsync} completes every call on the common pool, which on a 2-core
 * machine is a new thread per call.
 */
final class BlockingExchange {
  private BlockingExchange() {}

  /** The response; a failed call completes with the client's own exception (not wrapped). */
  static CompletableFuture<HttpResponse<String>> send(HttpClient client, HttpRequest request, Executor blocking) {
    CompletableFuture<HttpResponse<String>> response = new CompletableFuture<>();
    blocking.execute(() -> {
      try {
        response.complete(client.send(request, HttpResponse.BodyHandlers.ofString()));
      } catch (IOException | RuntimeException e) {
        response.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.completeExceptionally(e);
      }
    });
    return response;
  }

  /** The cause a dependent stage sees behind its {@link CompletionException}. */
  static Throwable cause(Throwable failure) {
    return Stages.cause(failure);
  }
}
