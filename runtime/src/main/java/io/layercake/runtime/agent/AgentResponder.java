package io.layercake.runtime.agent;

import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.Prompt;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.llm.ReplyStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Asks an agent's model for the next reply of a conversation: the agent's configuration, the
 * organization's ready documents, the assembled prompt, the model its agent chose. The
 * conversation turn builds on this; operators use it to preview an agent.
 */
public final class AgentResponder {
  private final AgentDirectory agents;
  private final KnowledgeDocuments documents;
  private final PromptAssembler assembler;
  private final LanguageModel model;
  private final Duration timeout;
  private final Duration queueAllowance;
  private final Executor executor;

  public AgentResponder(
      AgentDirectory agents, KnowledgeDocuments documents, PromptAssembler assembler, LanguageModel model,
      Duration timeout, Executor executor) {
    this(agents, documents, assembler, model, timeout, Duration.ZERO, executor);
  }

  /**
   * {@code queueAllowance}: how long a call may wait its turn before it runs (a model behind a
   * {@link io.layercake.runtime.llm.FairModelGate}), on top of its own timeout.
   */
  public AgentResponder(
      AgentDirectory agents, KnowledgeDocuments documents, PromptAssembler assembler, LanguageModel model,
      Duration timeout, Duration queueAllowance, Executor executor) {
    this.queueAllowance = queueAllowance;
    this.agents = agents;
    this.documents = documents;
    this.assembler = assembler;
    this.model = model;
    this.timeout = timeout;
    this.executor = executor;
  }

  /** The reply, which documents the prompt carried, and how it used each one matching the agent. */
  public record Answer(ModelReply reply, List<String> includedDocumentIds, List<Prompt.DocumentUse> knowledge) {}

  public CompletionStage<Optional<Answer>> reply(String agentId, List<ConversationMessage> window) {
    return reply(agentId, window, false);
  }

  /**
   * Empty when the agent does not exist, is archived, or is paused (unless {@code includePaused}:
   * an operator may preview a paused agent).
   */
  public CompletionStage<Optional<Answer>> reply(String agentId, List<ConversationMessage> window, boolean includePaused) {
    return agents.get(agentId).thenComposeAsync(found -> {
      if (!(found instanceof AgentEntity.Agent agent)
          || agent.status() == AgentEntity.Status.ARCHIVED
          || (agent.status() == AgentEntity.Status.PAUSED && !includePaused)) {
        return CompletableFuture.completedFuture(Optional.<Answer>empty());
      }
      return answer(agent.config(), window, List.of()).thenApplyAsync(Optional::of, executor);
    }, executor);
  }

  /**
   * The model's next step for a conversation of an agent whose configuration the caller already
   * has: the organization's documents, the prompt, the model; {@code toolRounds} are the tool calls
   * of this turn so far with their results.
   */
  public CompletionStage<Answer> answer(
      AgentConfig config, List<ConversationMessage> window, List<ModelRequest.ToolRound> toolRounds) {
    return answer(config, window, toolRounds, ReplyStream.NONE);
  }

  /** The same, the reply's text going to {@code stream} as the model writes it (a model that cannot stream answers whole). */
  public CompletionStage<Answer> answer(
      AgentConfig config, List<ConversationMessage> window, List<ModelRequest.ToolRound> toolRounds, ReplyStream stream) {
    return documents.readyForPrompts(config.orgId()).thenComposeAsync(library -> {
      Prompt prompt = assembler.assemble(config, library, window, java.time.Instant.now());
      List<KnowledgeDocument> included = library.stream()
          .filter(document -> prompt.includedDocumentIds().contains(document.documentId()))
          .toList();
      // wrapped where the model's reply completes: a hop to another thread would only wake it
      return model.complete(new ModelRequest(config, prompt, included, toolRounds, timeout).streamingTo(stream))
          .thenApply(reply -> new Answer(reply, prompt.includedDocumentIds(), prompt.knowledge()));
    }, executor);
  }

  /** How long one model call may take. */
  public Duration timeout() {
    return timeout;
  }

  /** How long a call may wait its turn before it runs; the call's own timeout starts then. */
  public Duration queueAllowance() {
    return queueAllowance;
  }
}
