package io.layercake.runtime.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.LlmSettings;
import io.layercake.config.Secret;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.Prompt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hosted providers against local stubs that speak OpenAI's and Anthropic's wire formats. */
class HostedLanguageModelTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private ProviderStub stub;
  private ExecutorService executor;

  enum Provider {
    OPENAI("openai", "gpt-4o-mini") {
      @Override
      String text(String text, int in, int out) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764064800,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}}";
      }

      @Override
      String toolCall(String id, String name, String argumentsJson) {
        return "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1764064800,\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id
            + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":" + quote(argumentsJson) + "}}]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"total_tokens\":29}}";
      }

      @Override
      String error() {
        return "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
      }

      @Override
      List<String> streamed(String first, String second, int in, int out) {
        String chunk = "data: {\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\",\"created\":1764064800,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]%s}";
        return List.of(
            chunk.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null", ""),
            chunk.formatted("{\"content\":\"" + first + "\"}", "null", ""),
            chunk.formatted("{\"content\":\"" + second + "\"}", "null", ""),
            chunk.formatted("{}", "\"stop\"", ",\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                + ",\"total_tokens\":" + (in + out) + "}"),
            "data: [DONE]");
      }

      @Override
      String keyHeader() {
        return "Authorization";
      }

      @Override
      String expectedKey() {
        return "Bearer sk-openai-test";
      }
    },
    ANTHROPIC("anthropic", "claude-sonnet-4-5") {
      @Override
      String text(String text, int in, int out) {
        return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":" + in + ",\"output_tokens\":" + out + "}}";
      }

      @Override
      String toolCall(String id, String name, String argumentsJson) {
        return "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
            + "\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":" + argumentsJson + "}],"
            + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":9}}";
      }

      @Override
      String error() {
        return "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limited\"}}";
      }

      @Override
      List<String> streamed(String first, String second, int in, int out) {
        String delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}";
        return List.of(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + in + ",\"output_tokens\":1}}}",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            delta.formatted(first),
            delta.formatted(second),
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + out + "}}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}");
      }

      @Override
      String keyHeader() {
        return "x-api-key";
      }

      @Override
      String expectedKey() {
        return "sk-ant-test";
      }
    };

    final String name;
    final String model;

    Provider(String name, String model) {
      this.name = name;
      this.model = model;
    }

    abstract String text(String text, int in, int out);

    /** The same answer as the provider streams it: server-sent events, the text in two pieces. */
    abstract List<String> streamed(String first, String second, int in, int out);

    abstract String toolCall(String id, String name, String argumentsJson);

    abstract String error();

    abstract String keyHeader();

    abstract String expectedKey();

    private static String quote(String json) {
      return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
  }

  @BeforeEach
  void start() {
    stub = new ProviderStub();
    executor = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stop() {
    stub.close();
    executor.shutdownNow();
  }

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private HostedLanguageModel model() {
    return new HostedLanguageModel(settings(), exchange(), executor,
        java.net.http.HttpClient.newHttpClient(), testKit.scheduler());
  }

  private static ProviderExchange exchange() {
    return new PekkoProviderExchange(testKit.system(), 64, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  private LlmSettings settings() {
    return new LlmSettings(Duration.ofSeconds(10),
        new LlmSettings.Endpoint(stub.baseUrl(), Secret.of("sk-openai-test")),
        new LlmSettings.Endpoint(stub.baseUrl(), Secret.of("sk-ant-test")));
  }

  private static ModelRequest request(Provider provider, List<ModelRequest.ToolRound> rounds, Duration timeout) {
    AgentConfig plumber = Agents.plumber("org-1");
    AgentConfig agent = new AgentConfig(plumber.orgId(), plumber.name(), plumber.persona(), plumber.faq(), plumber.tools(),
        plumber.autonomy(), plumber.knowledgeTags(), new AgentConfig.ModelChoice(provider.name, provider.model, 0.2),
        plumber.unavailableMessage(), plumber.greeting(), plumber.languages(), plumber.businessHours());
    Prompt prompt = new Prompt("You are Piet's assistant.",
        List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER, "Can I book Monday?")), List.of());
    return new ModelRequest(agent, prompt, List.of(), rounds, timeout);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void answersWithTextAndReportsTokenUsage(Provider provider) {
    stub.respond(200, provider.text("Yes, Monday works.", 42, 7));

    ModelReply reply = model().complete(request(provider, List.of(), Duration.ofSeconds(5))).toCompletableFuture().join();

    assertThat(reply.text()).isEqualTo("Yes, Monday works.");
    assertThat(reply.usage()).isEqualTo(new ModelReply.TokenUsage(42, 7));
    assertThat(reply.provider()).isEqualTo(provider.name);
    assertThat(reply.toolCalls()).isEmpty();
    ProviderStub.Recorded sent = stub.requests().get(0);
    assertThat(sent.header(provider.keyHeader())).isEqualTo(provider.expectedKey());
    assertThat(sent.body()).contains("You are Piet's assistant.").contains("Can I book Monday?").contains("book_appointment");
  }

  /** Streamed answers: no client of its own per model (each would bring a selector thread and the JDK's cached pool of workers). */
  @ParameterizedTest
  @EnumSource(Provider.class)
  void streamsGoThroughTheClientItIsGiven(Provider provider) {
    stub.stream(provider.streamed("Yes, ", "Monday works.", 12, 4), 4);
    stub.release();
    AtomicInteger clientTasks = new AtomicInteger();
    ExecutorService clientExecutor = Executors.newSingleThreadExecutor();
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().executor(task -> {
        clientTasks.incrementAndGet();
        clientExecutor.execute(task);
      }).build();

      ModelReply reply = new HostedLanguageModel(settings(), exchange(), executor, client, testKit.scheduler())
          .complete(request(provider, List.of(), Duration.ofSeconds(5)).streamingTo(piece -> { })).toCompletableFuture().join();

      assertThat(reply.text()).isEqualTo("Yes, Monday works.");
      assertThat(clientTasks).as("tasks the given client's executor ran").hasPositiveValue();
    } finally {
      clientExecutor.shutdownNow();
    }
  }

  /**
   * A whole answer holds no thread while the provider thinks: with two threads to run on, twenty
   * calls reach the provider at once (it answers none of them before it has all twenty).
   */
  @ParameterizedTest
  @EnumSource(Provider.class)
  void wholeAnswersWaitWithoutAThreadEach(Provider provider) {
    int calls = 20;
    for (int i = 0; i < calls; i++) {
      stub.holdBack(provider.text("Yes, Monday works.", 42, 7));
    }
    HostedLanguageModel model = model();

    List<java.util.concurrent.CompletableFuture<ModelReply>> replies = java.util.stream.IntStream.range(0, calls)
        .mapToObj(i -> model.complete(request(provider, List.of(), Duration.ofSeconds(20))).toCompletableFuture())
        .toList();
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10),
        () -> assertThat(stub.requests()).as("calls at the provider at once").hasSize(calls));
    stub.release();

    assertThat(replies).allSatisfy(reply -> assertThat(reply.join().text()).isEqualTo("Yes, Monday works."));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void surfacesToolCallsAndSendsTheirResultsBack(Provider provider) {
    stub.respond(200, provider.toolCall("call_1", "book_appointment", "{\n  \"reason\": \"repair\",\n  \"details\": \"Monday 10:00\"\n}"));
    stub.respond(200, provider.text("Booked for Monday 10:00.", 60, 8));
    HostedLanguageModel model = model();

    ModelReply first = model.complete(request(provider, List.of(), Duration.ofSeconds(5))).toCompletableFuture().join();
    ModelReply.ToolCallRequest call = first.toolCalls().get(0);
    ModelReply second = model.complete(request(provider,
        List.of(new ModelRequest.ToolRound(call, "{\"booked\":true,\"slot\":\"Monday 10:00\"}")), Duration.ofSeconds(5)))
        .toCompletableFuture().join();

    assertThat(call).isEqualTo(new ModelReply.ToolCallRequest("call_1", "book_appointment",
        Map.of("reason", "repair", "details", "Monday 10:00")));
    assertThat(second.text()).isEqualTo("Booked for Monday 10:00.");
    assertThat(stub.requests().get(1).body()).contains("call_1").contains("Monday 10:00").contains("booked");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aSlowProviderTimesOut(Provider provider) {
    stub.holdBack(provider.text("too late", 1, 1));

    assertThatThrownBy(() -> model().complete(request(provider, List.of(), Duration.ofMillis(300))).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ModelFailure.class)
        .satisfies(failure -> assertThat(((ModelFailure) failure).kind()).isEqualTo(ModelFailure.Kind.TIMEOUT));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aRateLimitCarriesRetryAfter(Provider provider) {
    stub.respond(429, Map.of("Retry-After", "7"), provider.error());

    ModelFailure failure = failureOf(provider);

    assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.RATE_LIMITED);
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aServerErrorMeansUnavailable(Provider provider) {
    stub.respond(500, "{\"error\":{\"message\":\"boom\"}}");

    assertThat(failureOf(provider).kind()).isEqualTo(ModelFailure.Kind.UNAVAILABLE);
  }

  private ModelFailure failureOf(Provider provider) {
    try {
      model().complete(request(provider, List.of(), Duration.ofSeconds(5))).toCompletableFuture().join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(ModelFailure.class);
      return (ModelFailure) e.getCause();
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aStreamedReplyArrivesPieceByPieceBeforeItIsWholeAndThenWholeWithItsUsage(Provider provider) throws Exception {
    stub.stream(provider.streamed("Yes, ", "Monday works.", 12, 4), 3);
    java.util.concurrent.BlockingQueue<String> pieces = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.CompletableFuture<ModelReply> reply = model()
        .complete(request(provider, List.of(), Duration.ofSeconds(10)).streamingTo(pieces::add)).toCompletableFuture();

    // the first piece came while the provider still holds the rest back
    assertThat(pieces.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("Yes, ");
    assertThat(reply).isNotDone();
    stub.release();
    ModelReply whole = reply.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(whole.text()).isEqualTo("Yes, Monday works.");
    assertThat(pieces.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("Monday works.");
    assertThat(whole.usage().outputTokens()).isEqualTo(4);
    assertThat(stub.requests()).singleElement().satisfies(sent -> {
      assertThat(sent.header(provider.keyHeader())).isEqualTo(provider.expectedKey());
      assertThat(sent.body()).containsPattern("\"stream\"\\s*:\\s*true");
    });
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aStreamTheProviderRefusesIsTheSameFailureAsAWholeAnswer(Provider provider) {
    stub.respond(429, Map.of("Retry-After", "7"), provider.error());
    assertThatThrownBy(() -> model().complete(request(provider, List.of(), Duration.ofSeconds(10)).streamingTo(piece -> {}))
        .toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(ModelFailure.class, failure -> {
          assertThat(failure.kind()).isEqualTo(ModelFailure.Kind.RATE_LIMITED);
          assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        });
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aProviderThatAnswersAStreamingRequestWholeIsAskedAgainWholeAndFromThenOnWholeOnly(Provider provider) {
    stub.respond(200, provider.text("Monday works.", 12, 4));
    stub.respond(200, provider.text("Monday works.", 12, 4));
    stub.respond(200, provider.text("Tuesday too.", 12, 4));
    HostedLanguageModel model = model();
    java.util.List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();
    ModelReply first = model.complete(request(provider, List.of(), Duration.ofSeconds(10)).streamingTo(pieces::add))
        .toCompletableFuture().join();
    assertThat(first.text()).isEqualTo("Monday works.");
    ModelReply second = model.complete(request(provider, List.of(), Duration.ofSeconds(10)).streamingTo(pieces::add))
        .toCompletableFuture().join();
    assertThat(second.text()).isEqualTo("Tuesday too.");
    assertThat(pieces).as("nothing streamed").isEmpty();
    assertThat(stub.requests()).extracting(request -> request.body().matches("(?s).*\"stream\"\\s*:\\s*true.*"))
        .containsExactly(true, false, false);
  }
}
