package io.layercake.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.knowledge.Prompt;
import io.layercake.runtime.concurrent.FairShares;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The gate in front of the model pool: a burst waits behind itself, a newcomer goes first, nothing is lost. */
class FairModelGateTest {
  /** A model whose calls the test answers; it records each call's tenant and text in the order they ran. */
  private static final class HeldModel implements LanguageModel {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<ModelReply>> calls = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<ModelReply> complete(ModelRequest request) {
      started.add(request.agent().orgId() + ":" + request.prompt().system());
      CompletableFuture<ModelReply> call = new CompletableFuture<>();
      calls.add(call);
      return call;
    }

    /** Answers the {@code index}-th call that started. */
    void answer(int index) {
      calls.get(index).complete(new ModelReply("ok", List.of(), ModelReply.TokenUsage.NONE, "stub", "stub"));
    }
  }

  private final HeldModel model = new HeldModel();
  // capacity 8: one tenant may hold 7, the eighth place stays for a newcomer
  private final FairModelGate gate = new FairModelGate(model, 8, Duration.ofMinutes(1), request -> request.agent().orgId(),
      Runnable::run);

  @Test
  void aBurstWaitsBehindItselfANewcomerTakesTheReservedPlaceAndTheNextFreedOnesComeFirst() {
    List<CompletableFuture<ModelReply>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      burst.add(gate.complete(request("flood", "f" + i)).toCompletableFuture());
    }
    assertThat(model.started).hasSize(7);
    assertThat(gate.load()).isEqualTo(new FairShares.Load(7, 13, 1));

    CompletableFuture<ModelReply> newcomer = gate.complete(request("bakery", "b0")).toCompletableFuture();
    assertThat(model.started).as("the reserved place, at once").hasSize(8).last().isEqualTo("bakery:b0");
    gate.complete(request("salon", "s0"));
    gate.complete(request("salon", "s1"));
    assertThat(model.started).as("the node is full: the salon waits").hasSize(8);

    model.answer(0); // a place frees: the salon (none running) before the flood (six running)
    assertThat(model.started).last().isEqualTo("salon:s0");
    model.answer(1);
    assertThat(model.started).last().isEqualTo("salon:s1");
    model.answer(2); // nobody else waits: the flood goes on, in its own order
    assertThat(model.started).last().isEqualTo("flood:f7");
    model.answer(7);
    assertThat(newcomer).isCompleted();

    // everything waiting runs in the end, in order per tenant, and nothing is lost
    for (int i = 3; i < model.calls.size(); i++) {
      if (!model.calls.get(i).isDone()) {
        model.answer(i);
      }
    }
    while (model.calls.stream().anyMatch(call -> !call.isDone())) {
      for (int i = 0; i < model.calls.size(); i++) {
        if (!model.calls.get(i).isDone()) {
          model.answer(i);
        }
      }
    }
    assertThat(burst).allMatch(CompletableFuture::isDone);
    assertThat(model.started.stream().filter(call -> call.startsWith("flood:")).toList())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "flood:f" + i).toList());
    assertThat(gate.load()).isEqualTo(new FairShares.Load(0, 0, 0));
  }

  @Test
  void aFailedCallFreesItsPlaceAndItsFailureReachesTheCaller() {
    LanguageModel failing = request -> CompletableFuture.failedFuture(new ModelFailure(ModelFailure.Kind.UNAVAILABLE, "down", null));
    FairModelGate small = new FairModelGate(failing, 1, Duration.ofMinutes(1), request -> request.agent().orgId(),
        Runnable::run);
    CompletableFuture<ModelReply> first = small.complete(request("a", "x")).toCompletableFuture();
    CompletableFuture<ModelReply> second = small.complete(request("a", "y")).toCompletableFuture();
    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
    assertThat(small.load()).isEqualTo(new FairShares.Load(0, 0, 0));
  }

  private static ModelRequest request(String orgId, String text) {
    AgentConfig agent = Agents.plumber(orgId);
    return new ModelRequest(agent, new Prompt(text, List.of(), List.of()), List.of(), List.of(), Duration.ofSeconds(5));
  }

  @Test
  void aCallThatWaitedPastItsConversationsPatienceIsNotRunAndFailsAsBusy() {
    FairModelGate impatient = new FairModelGate(model, 1, Duration.ZERO, request -> request.agent().orgId(), Runnable::run);
    impatient.complete(request("a", "first"));
    CompletableFuture<ModelReply> late = impatient.complete(request("b", "second")).toCompletableFuture();
    model.answer(0);
    assertThat(late).isCompletedExceptionally();
    assertThat(late.handle((reply, failure) -> failure)).succeedsWithin(Duration.ofSeconds(1))
        .isInstanceOfSatisfying(ModelFailure.class, failure -> assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.BUSY));
    assertThat(model.started).as("never run").containsExactly("a:first");
    assertThat(impatient.load()).isEqualTo(new FairShares.Load(0, 0, 0));
  }
}
