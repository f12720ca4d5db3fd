package io.layercake.runtime.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.layercake.config.LlmSettings;
import io.layercake.runtime.concurrent.Timeouts;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.tools.Tool;
import io.layercake.runtime.knowledge.ConversationMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * The {@code openai} and {@code anthropic} providers, through langchain4j, bounded by the request's
 * timeout; failures come back as {@link ModelFailure}s. No retries here: the turn decides what a
 * failure means.
 *
 * <p>A whole answer holds no thread while the provider thinks: langchain4j's model builds the request
 * on the calling thread and reads the response on the thread that received it
 * ({@link ProviderHttpClient#requestOf}), the exchange between goes through {@link ProviderExchange}.
 * A streamed answer is read on the executor, a thread for the whole stream (langchain4j's streaming
 * API calls back as the pieces arrive).
 */
public final class HostedLanguageModel implements LanguageModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmSettings settings;
  private final Executor executor;
  private final ProviderExchange exchange;
  private final java.net.http.HttpClient client;
  private final Scheduler scheduler;
  /** One client per provider, model and temperature; bounded, as agents choose these freely. */
  private static final int MAX_CACHED_MODELS = 64;

  private final Map<AgentConfig.ModelChoice, ChatModel> models = new ConcurrentHashMap<>();
  private final Map<AgentConfig.ModelChoice, StreamingChatModel> streamingModels = new ConcurrentHashMap<>();
  /** Models whose provider answered a streaming request whole: asked whole from then on. */
  private final java.util.Set<AgentConfig.ModelChoice> wholeOnly = ConcurrentHashMap.newKeySet();

  /**
   * {@code exchange}: where whole answers are asked for; {@code executor}: where streamed answers are
   * read, a thread each; {@code client}: the JDK client those go through, shared by every model (its
   * executor runs the client's own work); {@code scheduler}: keeps the time limits.
   */
  public HostedLanguageModel(LlmSettings settings, ProviderExchange exchange, Executor executor, java.net.http.HttpClient client,
      Scheduler scheduler) {
    this.settings = settings;
    this.exchange = exchange;
    this.executor = executor;
    this.client = client;
    this.scheduler = scheduler;
  }

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    AgentConfig.ModelChoice choice = request.agent().model();
    LlmSettings.Endpoint endpoint = "anthropic".equals(choice.provider()) ? settings.anthropic() : settings.openai();
    if (endpoint.apiKey().isEmpty()) {
      return CompletableFuture.failedFuture(new ModelFailure(
          ModelFailure.Kind.BAD_REQUEST, "the " + choice.provider() + " provider has no API key configured", null));
    }
    if (models.size() >= MAX_CACHED_MODELS && !models.containsKey(choice)) {
      models.clear();
    }
    ChatRequest chatRequest = ChatRequest.builder()
        .messages(messages(request))
        .toolSpecifications(tools(request.tools()))
        .build();
    if (request.stream().streams() && !wholeOnly.contains(choice)) {
      return streamed(request, choice, chatRequest);
    }
    ChatModel model;
    dev.langchain4j.http.client.HttpRequest wire;
    try {
      model = models.computeIfAbsent(choice, this::build);
      wire = ProviderHttpClient.requestOf(() -> model.chat(chatRequest));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(unwrap(e)));
    }
    // the answer is read on the thread that completes the exchange: another hop would only wake another thread
    CompletableFuture<ModelReply> answered = exchange.send(wire, request.timeout())
        .thenApply(response -> reply(ProviderHttpClient.answeredWith(response, () -> model.chat(chatRequest)), choice))
        .toCompletableFuture();
    return Timeouts.within(scheduler, answered, request.timeout())
        .handle((reply, failure) -> {
          if (failure != null) {
            throw failure(unwrap(failure));
          }
          return reply;
        });
  }

  /**
   * The provider's streaming API: each piece of text goes to the request's stream as it arrives,
   * the whole reply (with any tool calls and the usage) completes the stage. The blocking read runs
   * on the executor, bounded by the request's timeout like a whole answer.
   */
  private CompletionStage<ModelReply> streamed(ModelRequest request, AgentConfig.ModelChoice choice, ChatRequest chatRequest) {
    if (streamingModels.size() >= MAX_CACHED_MODELS && !streamingModels.containsKey(choice)) {
      streamingModels.clear();
    }
    CompletableFuture<ModelReply> answered = new CompletableFuture<>();
    StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String text) {
        if (text != null && !text.isEmpty() && !answered.isDone()) {
          request.stream().delta(text);
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        answered.complete(reply(response, choice));
      }

      @Override
      public void onError(Throwable error) {
        answered.completeExceptionally(error);
      }
    };
    CompletableFuture.runAsync(() -> {
          // it waited for a thread past its timeout: nobody takes the answer any more
          if (!answered.isDone()) {
            streamingModels.computeIfAbsent(choice, this::buildStreaming).chat(chatRequest, handler);
          }
        }, executor)
        .whenComplete((done, failure) -> {
          if (failure != null) {
            answered.completeExceptionally(failure);
          }
        });
    return Timeouts.within(scheduler, answered, request.timeout())
        .exceptionallyComposeAsync(failure -> {
          if (causedBy(failure, ProviderHttpClient.NotAStream.class)) {
            // it cannot stream: asked again whole (the reply comes whole to the channel, as on any other)
            wholeOnly.add(choice);
            return complete(request.streamingTo(ReplyStream.NONE)).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(failure(unwrap(failure)));
        }, executor);
  }

  private StreamingChatModel buildStreaming(AgentConfig.ModelChoice choice) {
    Duration timeout = settings.timeout();
    return switch (choice.provider()) {
      case "openai" -> OpenAiStreamingChatModel.builder()
          .baseUrl(settings.openai().baseUrl())
          .apiKey(settings.openai().apiKey().reveal())
          .modelName(choice.model())
          .temperature(choice.temperature())
          .timeout(timeout)
          .returnThinking(false)
          .httpClientBuilder(new ProviderHttpClient.Builder(client, scheduler))
          .build();
      case "anthropic" -> AnthropicStreamingChatModel.builder()
          .baseUrl(settings.anthropic().baseUrl())
          .apiKey(settings.anthropic().apiKey().reveal())
          .modelName(choice.model())
          .temperature(choice.temperature())
          .timeout(timeout)
          .httpClientBuilder(new ProviderHttpClient.Builder(client, scheduler))
          .build();
      default -> throw new ModelFailure(ModelFailure.Kind.BAD_REQUEST, "no hosted provider " + choice.provider(), null);
    };
  }

  private ChatModel build(AgentConfig.ModelChoice choice) {
    Duration timeout = settings.timeout();
    return switch (choice.provider()) {
      case "openai" -> OpenAiChatModel.builder()
          .baseUrl(settings.openai().baseUrl())
          .apiKey(settings.openai().apiKey().reveal())
          .modelName(choice.model())
          .temperature(choice.temperature())
          .timeout(timeout)
          .maxRetries(0)
          .httpClientBuilder(new ProviderHttpClient.Builder(client, scheduler))
          .build();
      case "anthropic" -> AnthropicChatModel.builder()
          .baseUrl(settings.anthropic().baseUrl())
          .apiKey(settings.anthropic().apiKey().reveal())
          .modelName(choice.model())
          .temperature(choice.temperature())
          .timeout(timeout)
          .maxRetries(0)
          .httpClientBuilder(new ProviderHttpClient.Builder(client, scheduler))
          .build();
      default -> throw new ModelFailure(ModelFailure.Kind.BAD_REQUEST, "no hosted provider " + choice.provider(), null);
    };
  }

  private static List<ChatMessage> messages(ModelRequest request) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(request.prompt().system()));
    for (ConversationMessage message : request.prompt().messages()) {
      messages.add(switch (message.role()) {
        case CUSTOMER -> UserMessage.from(message.text());
        case AGENT -> AiMessage.from(message.text());
        case HUMAN -> AiMessage.from("(a person from the team wrote) " + message.text());
        case NOTE -> UserMessage.from("[note from the platform] " + message.text());
      });
    }
    for (ModelRequest.ToolRound round : request.toolRounds()) {
      ToolExecutionRequest call = ToolExecutionRequest.builder()
          .id(round.call().id()).name(round.call().name()).arguments(json(round.call().arguments())).build();
      messages.add(AiMessage.from(List.of(call)));
      messages.add(ToolExecutionResultMessage.from(call, round.result()));
    }
    return messages;
  }

  private static List<ToolSpecification> tools(List<ToolSpec> tools) {
    return tools.stream()
        .map(tool -> {
          JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
          for (Tool.Parameter parameter : tool.parameters()) {
            parameters.addStringProperty(parameter.name(), parameter.description());
          }
          parameters.required(tool.parameters().stream().filter(Tool.Parameter::required).map(Tool.Parameter::name).toList());
          return ToolSpecification.builder()
              .name(tool.name())
              .description(tool.description())
              .parameters(parameters.build())
              .build();
        })
        .toList();
  }

  private static ModelReply reply(ChatResponse response, AgentConfig.ModelChoice choice) {
    AiMessage message = response.aiMessage();
    List<ModelReply.ToolCallRequest> calls = message.hasToolExecutionRequests()
        ? message.toolExecutionRequests().stream()
            .map(call -> new ModelReply.ToolCallRequest(call.id(), call.name(), arguments(call.arguments())))
            .toList()
        : List.of();
    var usage = response.tokenUsage();
    return new ModelReply(
        message.text() == null ? "" : message.text(),
        calls,
        usage == null ? ModelReply.TokenUsage.NONE : new ModelReply.TokenUsage(
            usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
            usage.outputTokenCount() == null ? 0 : usage.outputTokenCount()),
        choice.provider(),
        response.modelName() == null ? choice.model() : response.modelName());
  }

  /** Tool arguments arrive as JSON text (pretty-printed by some providers): parse, never compare strings. */
  private static Map<String, Object> arguments(String json) {
    try {
      return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      return Map.of("_unparsed", json);
    }
  }

  private static String json(Map<String, Object> arguments) {
    try {
      return JSON.writeValueAsString(arguments);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static ModelFailure failure(Throwable cause) {
    if (cause instanceof ModelFailure modelFailure) {
      return modelFailure;
    }
    if (cause instanceof TimeoutException || cause instanceof dev.langchain4j.exception.TimeoutException) {
      return new ModelFailure(ModelFailure.Kind.TIMEOUT, "the model did not answer in time", null);
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof HttpException http) {
        java.time.Duration retryAfter = c instanceof ProviderHttpClient.ProviderHttpException provider ? provider.retryAfter() : null;
        int status = http.statusCode();
        if (status == 429) {
          return new ModelFailure(ModelFailure.Kind.RATE_LIMITED, "the provider is rate limiting us", retryAfter);
        }
        if (status >= 500) {
          return new ModelFailure(ModelFailure.Kind.UNAVAILABLE, "the provider failed with " + status, retryAfter);
        }
        return new ModelFailure(ModelFailure.Kind.BAD_REQUEST, "the provider refused the request with " + status, null);
      }
      if (c instanceof dev.langchain4j.exception.TimeoutException) {
        return new ModelFailure(ModelFailure.Kind.TIMEOUT, "the model did not answer in time", null);
      }
    }
    // The cause's text may quote request headers (API keys): only its type goes out.
    return new ModelFailure(ModelFailure.Kind.UNAVAILABLE, "the model call failed (" + cause.getClass().getSimpleName() + ")", null);
  }
}
