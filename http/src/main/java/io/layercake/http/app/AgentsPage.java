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
import io.layercake.runtime.replay.Replay;
import io.layercake.runtime.replay.ReplayTurn;
import io.layercake.runtime.replay.Replays;
import java.util.ArrayList;
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
  /** The turns a replay's page shows; the API pages through the rest. */
  private static final int REPORT_TURNS = 200;

  private final AgentListing listing;
  private final FollowupSequences sequences;
  private final Replays replays;
  private final AgentDirectory agents;
  private final KnowledgeDocuments documents;
  private final int knowledgeCharacterCap;
  private final Executor executor;

  public AgentsPage(AgentListing listing, AgentDirectory agents, KnowledgeDocuments documents, int knowledgeCharacterCap,
      FollowupSequences sequences, Replays replays, Executor executor) {
    this.sequences = sequences;
    this.replays = replays;
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
  public CompletionStage<Optional<AgentView>> agent(Caller caller, String agentId, Instant now) {
    CompletableFuture<AgentEntity.Reply> agent = agents.get(agentId).toCompletableFuture();
    CompletableFuture<List<Replay>> replayed = replays.ofAgent(agentId, 10).toCompletableFuture();
    CompletableFuture<List<StoredDocument>> library = documents.list(caller.orgId()).toCompletableFuture();
    CompletableFuture<List<KnowledgeDocument>> ready = documents.readyForPrompts(caller.orgId()).toCompletableFuture();
    CompletableFuture<List<FollowupSequence>> defined = sequences.sequences(caller.orgId(), agentId).toCompletableFuture();
    return CompletableFuture.allOf(agent, library, ready, defined, replayed).thenApplyAsync(done -> {
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
              sequence.stopOnBooking())).toList(),
          mayReplay(caller),
          replayed.join().stream().filter(replay -> replay.orgId().equals(caller.orgId())).map(replay -> row(replay, now)).toList()));
    }, executor);
  }

  /** A replay of the agent, when the agent belongs to the organization the person acts for and they may read its report. */
  public CompletionStage<Optional<ReplayView>> replay(Caller caller, String agentId, String replayId, Instant now) {
    if (!caller.scopes().contains(Scopes.CONVERSATIONS_READ)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<AgentEntity.Reply> agent = agents.get(agentId).toCompletableFuture();
    CompletableFuture<Optional<Replay>> found = replays.replay(replayId).toCompletableFuture();
    CompletableFuture<List<ReplayTurn>> turns = replays.turns(replayId, 0, REPORT_TURNS).toCompletableFuture();
    return CompletableFuture.allOf(agent, found, turns).thenApplyAsync(done -> {
      if (!(agent.join() instanceof AgentEntity.Agent owner) || !owner.config().orgId().equals(caller.orgId())) {
        return Optional.<ReplayView>empty();
      }
      return found.join()
          .filter(replay -> replay.agentId().equals(agentId) && replay.orgId().equals(caller.orgId()))
          .map(replay -> view(owner, replay, turns.join(), now));
    }, executor);
  }

  private static boolean mayReplay(Caller caller) {
    return caller.scopes().contains(Scopes.AGENTS_WRITE) && caller.scopes().contains(Scopes.CONVERSATIONS_READ);
  }

  private static ReplayView.Row row(Replay replay, Instant now) {
    Replay.Progress progress = replay.progress();
    Replay.Summary summary = replay.summary();
    return new ReplayView.Row(replay.replayId(), PageContext.ago(replay.createdAt(), now), replay.status().wireName(), progress.percent(),
        progress.done(), progress.total(), summary.changedAnswers(), summary.newHandoffs(), summary.lostHandoffs(),
        summary.creditDifference(), replay.selection());
  }

  private static ReplayView view(AgentEntity.Agent agent, Replay replay, List<ReplayTurn> turns, Instant now) {
    Replay.Progress progress = replay.progress();
    Replay.Summary summary = replay.summary();
    AgentConfig candidate = replay.candidate();
    return new ReplayView(agent.agentId(), agent.config().name(), replay.replayId(), replay.status().wireName(),
        !replay.status().finished(), progress.percent(), progress.done(), progress.skipped(), progress.failed(), progress.total(),
        replay.selection(), replay.createdBy(), PageContext.ago(replay.createdAt(), now), replay.budget(), replay.spent(),
        summary.changedAnswers(), summary.sameAnswers(), summary.newHandoffs(), summary.lostHandoffs(), summary.toolChanges(),
        summary.recordedCredits(), summary.candidateCredits(), summary.creditDifference(),
        (int) Math.round(summary.averageSimilarity() * 100), candidate.model().provider() + " / " + candidate.model().model(),
        orEmpty(candidate.persona()), turns.stream().map(AgentsPage::turn).toList());
  }

  private static ReplayView.Turn turn(ReplayTurn turn) {
    ReplayTurn.Comparison comparison = turn.comparison();
    List<String> differences = new ArrayList<>();
    if (comparison != null) {
      if (comparison.handoff() != null) {
        differences.add(comparison.handoff() == ReplayTurn.HandoffChange.APPEARED ? "hands off to a person" : "no longer hands off");
      }
      comparison.toolsAdded().forEach(call -> differences.add("calls " + call.name()));
      comparison.toolsRemoved().forEach(call -> differences.add("no longer calls " + call.name()));
    }
    return new ReplayView.Turn(turn.seq(), turn.recorded().sessionId(), turn.recorded().customerText(), turn.status().wireName(),
        turn.recorded().reply() == null ? "(no reply: " + turn.recorded().outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
            : turn.recorded().reply(),
        turn.candidate() == null ? null : turn.candidate().reply(),
        comparison == null ? null : (int) Math.round(comparison.similarity() * 100), comparison != null && comparison.answerChanged(),
        differences, turn.note());
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
