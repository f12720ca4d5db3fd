package io.layercake.http.app;

import io.layercake.http.setup.SetupTestChat;

import io.layercake.http.api.Caller;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentListing;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.KnowledgeSelection;
import io.layercake.runtime.knowledge.StoredDocument;
import io.layercake.runtime.tools.Tool;
import java.time.Instant;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.FollowupSequences;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Reads the agents of the organization a person acts for, and one agent with its knowledge: which
 * documents its prompt carries, as the turn's own {@link KnowledgeSelection} decides. Changes go
 * through the REST API.
 */
public final class AgentsPage {
  private final AgentListing listing;
  private final FollowupSequences sequences;
  private final AgentDirectory agents;
  private final KnowledgeDocuments documents;
  private final int knowledgeCharacterCap;
  private final Executor executor;

  public AgentsPage(AgentListing listing, AgentDirectory agents, KnowledgeDocuments documents, int knowledgeCharacterCap,
      FollowupSequences sequences, Executor executor) {
    this.sequences = sequences;
    this.listing = listing;
    this.agents = agents;
    this.documents = documents;
    this.knowledgeCharacterCap = knowledgeCharacterCap;
    this.executor = executor;
  }

  public CompletionStage<List<AgentView.Row>> list(Caller caller, Instant now) {
    return listing.list(caller.orgId(), false).thenApply(found -> found.stream()
        .map(agent -> new AgentView.Row(agent.agentId(), agent.name(), agent.status().name().toLowerCase(Locale.ROOT), agent.provider(),
            PageContext.ago(agent.updatedAt(), now), SetupTestChat.isTestAgent(agent.agentId())))
        .toList());
  }

  /** The agent, when it belongs to the organization the person acts for. */
  public CompletionStage<Optional<AgentView>> agent(Caller caller, String agentId) {
    CompletableFuture<AgentEntity.Reply> agent = agents.get(agentId).toCompletableFuture();
    CompletableFuture<List<StoredDocument>> library = documents.list(caller.orgId()).toCompletableFuture();
    CompletableFuture<List<KnowledgeDocument>> ready = documents.readyForPrompts(caller.orgId()).toCompletableFuture();
    CompletableFuture<List<FollowupSequence>> defined = sequences.sequences(caller.orgId(), agentId).toCompletableFuture();
    return CompletableFuture.allOf(agent, library, ready, defined).thenApplyAsync(done -> {
      AgentEntity.Reply reply = agent.join();
      if (!(reply instanceof AgentEntity.Agent found) || !found.config().orgId().equals(caller.orgId())) {
        return Optional.<AgentView>empty();
      }
      AgentConfig config = found.config();
      return Optional.of(new AgentView(found.agentId(), found.status().name().toLowerCase(Locale.ROOT), config.name(),
          orEmpty(config.greeting()), orEmpty(config.persona()), config.model().provider(), config.model().model(),
          config.autonomy().name().toLowerCase(Locale.ROOT), config.doubleTexting().name().toLowerCase(Locale.ROOT),
          Arrays.stream(Tool.values())
              .map(tool -> new AgentView.ToolChoice(tool.toolName(), tool.description(), config.tools().contains(tool.toolName())))
              .toList(),
          String.join(", ", config.knowledgeTags()), config.webchat().brandColor(), config.webchat().position(),
          caller.scopes().contains(Scopes.AGENTS_WRITE), caller.scopes().contains(Scopes.KNOWLEDGE_WRITE),
          knowledge(config, library.join(), ready.join()),
          defined.join().stream().map(sequence -> new AgentView.Sequence(sequence.name(), sequence.trigger().wireName(),
              sequence.steps().stream().map(step -> step.delay() + " | " + step.text()).toList(), sequence.stopOnReply(),
              sequence.stopOnBooking())).toList()));
    }, executor);
  }

  /** The library's documents, and the texts the prompt would draw on (the same the turn reads). */
  private AgentView.Knowledge knowledge(AgentConfig config, List<StoredDocument> stored, List<KnowledgeDocument> ready) {
    Map<String, Integer> characters = ready.stream().collect(Collectors.toMap(KnowledgeDocument::documentId, d -> d.text().length()));
    KnowledgeSelection selection = KnowledgeSelection.of(config.knowledgeTags(), ready, knowledgeCharacterCap);
    Set<String> included = ids(selection.included());
    Set<String> excerpted = ids(selection.excerpted());
    Set<String> leftOut = ids(selection.leftOut());
    List<AgentView.Document> rows = stored.stream().map(document -> new AgentView.Document(document.documentId(), document.title(),
        String.join(", ", document.tags()), document.status().name().toLowerCase(Locale.ROOT), document.extractedPercent(),
        document.failureReason(), characters.get(document.documentId()),
        switch (document.status()) {
          case EXTRACTING -> "extracting";
          case FAILED -> "failed";
          case READY -> included.contains(document.documentId()) ? "included"
              : excerpted.contains(document.documentId()) ? "excerpts"
              : leftOut.contains(document.documentId()) ? "left_out" : "other_tags";
        })).toList();
    return new AgentView.Knowledge(rows, selection.characters(), knowledgeCharacterCap, selection.overflow().size(),
        stored.stream().anyMatch(document -> document.status() == StoredDocument.Status.EXTRACTING));
  }

  private static Set<String> ids(List<KnowledgeDocument> documents) {
    return documents.stream().map(KnowledgeDocument::documentId).collect(Collectors.toSet());
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
