package io.layercake.runtime.llm;

import dev.langchain4j.http.client.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Sends a model provider a request and completes with its whole response, without a thread waiting
 * for it. A response of any status completes the stage; only a request that got no response fails it.
 */
public interface ProviderExchange {
  CompletionStage<Response> send(HttpRequest request, Duration timeout);

  /** A provider's whole response; header names as the provider wrote them. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
          .map(header -> header.getValue().get(0))
          .findFirst();
    }
  }
}
