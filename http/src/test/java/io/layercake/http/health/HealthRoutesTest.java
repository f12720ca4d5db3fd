package io.layercake.http.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.runtime.health.Readiness;
import io.layercake.runtime.health.ReadinessCheck;
import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthRoutesTest {
  private static final AtomicReference<CheckResult> journal = new AtomicReference<>();
  private static ActorTestKit testKit;
  private static HttpTestClient client;

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    ReadinessCheck journalCheck = new ReadinessCheck() {
      @Override
      public String name() {
        return "journal";
      }

      @Override
      public CompletionStage<CheckResult> check() {
        return CompletableFuture.completedFuture(journal.get());
      }
    };
    ReadinessCheck failingCheck = new ReadinessCheck() {
      @Override
      public String name() {
        return "cluster";
      }

      @Override
      public CompletionStage<CheckResult> check() {
        return journal.get().ok()
            ? CompletableFuture.completedFuture(CheckResult.ok("member up"))
            : CompletableFuture.failedFuture(new IllegalStateException("no cluster"));
      }
    };
    Readiness readiness = new Readiness(List.of(journalCheck, failingCheck), testKit.system().executionContext());
    HealthRoutes routes = new HealthRoutes(readiness);
    ServerBinding binding = Http.get(testKit.system())
        .newServerAt("127.0.0.1", 0)
        .bind(new ErrorHandling(1024).wrap(routes::routes))
        .toCompletableFuture().get();
    client = HttpTestClient.to(binding.localAddress());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void liveAnswersWhileTheProcessIsUp() {
    journal.set(CheckResult.failed("unreachable"));

    Response response = client.get("/health/live");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asText()).isEqualTo("up");
  }

  @Test
  void readyWhenEveryCheckPasses() {
    journal.set(CheckResult.ok("reachable"));

    Response response = client.get("/health/ready");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asText()).isEqualTo("ready");
    assertThat(response.json().path("checks").path("journal").path("detail").asText()).isEqualTo("reachable");
  }

  @Test
  void notReadyNamesTheFailingChecks() {
    journal.set(CheckResult.failed("unreachable: connection refused"));

    Response response = client.get("/health/ready");

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.json().path("status").asText()).isEqualTo("not_ready");
    assertThat(response.json().path("checks").path("journal").path("ok").asBoolean()).isFalse();
    assertThat(response.json().path("checks").path("cluster").path("detail").asText()).contains("no cluster");
  }
}
