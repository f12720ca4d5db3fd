package io.layercake.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.durability.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DurableWritesTest extends AllDirectives {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Durability held by the test: each wait is completed by hand. */
  private static final class HeldDurability implements Durability {
    final List<CompletableFuture<Done>> waits = new ArrayList<>();

    @Override
    public synchronized CompletionStage<Done> ofCommitsSoFar() {
      CompletableFuture<Done> wait = new CompletableFuture<>();
      waits.add(wait);
      return wait;
    }

    synchronized int count() {
      return waits.size();
    }

    synchronized void release() {
      waits.forEach(wait -> wait.complete(Done.getInstance()));
    }
  }

  @Test
  void aWriteIsAnsweredOnlyOnceWhatItCommittedIsDurable() throws Exception {
    HeldDurability durability = new HeldDurability();
    AtomicInteger written = new AtomicInteger();
    Function<HttpRequest, CompletionStage<HttpResponse>> handler = new DurableWrites(durability).awaited(() ->
        path("messages", () -> post(() -> {
          written.incrementAndGet();
          return complete("accepted");
        }))).handler(testKit.system());

    CompletableFuture<HttpResponse> answer = handler.apply(HttpRequest.POST("/messages")).toCompletableFuture();
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(durability.count()).as("waits for durability").isEqualTo(1);
      return null;
    });
    assertThat(written.get()).isEqualTo(1);
    assertThat(answer).as("not answered before the write is durable").isNotDone();

    durability.release();
    assertThat(answer.get(10, TimeUnit.SECONDS).status().intValue()).isEqualTo(200);
  }

  @Test
  void aReadIsAnsweredWithoutWaiting() throws Exception {
    HeldDurability durability = new HeldDurability();
    Function<HttpRequest, CompletionStage<HttpResponse>> handler = new DurableWrites(durability).awaited(() ->
        path("messages", () -> get(() -> complete("[]")))).handler(testKit.system());

    HttpResponse answer = handler.apply(HttpRequest.GET("/messages")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(answer.status().intValue()).isEqualTo(200);
    assertThat(durability.count()).isZero();
  }

  @Test
  void commitsDurableWhenTheyReturnAreAnsweredAsTheRouteAnswers() {
    Route inner = complete("ok");
    assertThat(new DurableWrites(Durability.AT_COMMIT).awaited(() -> inner)).isSameAs(inner);
  }
}
