package io.layercake.persistence.testing;

import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A model for conversation tests: by default it answers "Answer to: ..." quoting the customer's
 * messages since the last reply; a test scripts other behavior per agent name. Records every request.
 */
public final class ScriptedModel implements LanguageModel {
  private final Map<String, Function<ModelRequest, CompletionStage<ModelReply>>> scripts = new ConcurrentHashMap<>();
  private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

  public void script(String agentName, Function<ModelRequest, CompletionStage<ModelReply>> behavior) {
    scripts.put(agentName, behavior);
  }

  public List<ModelRequest> requestsFor(String agentName) {
    return requests.stream().filter(request -> request.agent().name().equals(agentName)).toList();
  }

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    requests.add(request);
    Function<ModelRequest, CompletionStage<ModelReply>> script = scripts.get(request.agent().name());
    return script != null ? script.apply(request) : CompletableFuture.completedFuture(text(answerTo(request)));
  }

  public static ModelReply text(String text) {
    return new ModelReply(text, List.of(), new ModelReply.TokenUsage(10, 5), "scripted", "scripted-1");
  }

  public static ModelReply toolCall(String id, String name, Map<String, Object> arguments) {
    return new ModelReply("", List.of(new ModelReply.ToolCallRequest(id, name, arguments)), ModelReply.TokenUsage.NONE,
        "scripted", "scripted-1");
  }

  /** "Answer to: a + b" for the customer messages after the last message of the agent or a person. */
  public static String answerTo(ModelRequest request) {
    List<ConversationMessage> messages = request.prompt().messages();
    int start = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role() != ConversationMessage.Role.CUSTOMER) {
        start = i + 1;
      }
    }
    return "Answer to: " + String.join(" + ", messages.subList(start, messages.size()).stream()
        .map(ConversationMessage::text).toList());
  }
}
