package io.layercake.runtime.replay;

import io.layercake.config.AgentSettings;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import io.layercake.runtime.session.RecordedTurn;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Starts a replay: finds the agent's conversations the request names (by id, or by a filter over
 * the conversation read model), reads each one's turns from its journal, and stores the replay with
 * those turns, queued for the {@link ReplayRunner}.
 */
public final class ReplayPlanner {
  /** The most conversations one replay reads. */
  public static final int MAX_CONVERSATIONS = 100;

  private final ConversationListing listing;
  private final ConversationRecordings recordings;
  private final Replays replays;
  private final AgentSettings.Replays settings;
  private final Clock clock;
  private final Executor executor;

  public ReplayPlanner(ConversationListing listing, ConversationRecordings recordings, Replays replays,
      AgentSettings.Replays settings, Clock clock, Executor executor) {
    this.listing = listing;
    this.recordings = recordings;
    this.replays = replays;
    this.settings = settings;
    this.clock = clock;
    this.executor = executor;
  }

  /** Which of the agent's conversations to replay. */
  public sealed interface Selection {
    String describe();
  }

  /** These conversations, in this order. */
  public record ByIds(List<String> sessionIds) implements Selection {
    public ByIds {
      sessionIds = List.copyOf(sessionIds);
    }

    @Override
    public String describe() {
      return "conversations " + String.join(", ", sessionIds);
    }
  }

  /** The agent's latest conversations (by last message) matching the filter (null: any), at most {@code limit}. */
  public record ByFilter(Instant from, Instant to, String status, String channel, String text, int limit) implements Selection {
    @Override
    public String describe() {
      List<String> parts = new ArrayList<>();
      parts.add("the latest " + limit + " conversations");
      Optional.ofNullable(status).ifPresent(value -> parts.add("status " + value));
      Optional.ofNullable(channel).ifPresent(value -> parts.add("channel " + value));
      Optional.ofNullable(from).ifPresent(value -> parts.add("from " + value));
      Optional.ofNullable(to).ifPresent(value -> parts.add("to " + value));
      Optional.ofNullable(text).ifPresent(value -> parts.add("containing \"" + value + "\""));
      return String.join(", ", parts);
    }
  }

  /** A replay stored and queued, or why none was. */
  public sealed interface Planned {}

  public record Started(Replay replay) implements Planned {}

  /** {@code unknownConversation}: an id the agent has no conversation of (the caller sees a 404, not a hint). */
  public record Refused(String reason, boolean unknownConversation) implements Planned {}

  public CompletionStage<Planned> start(AgentEntity.Agent agent, AgentConfig candidate, Selection selection, long budget, String by) {
    return conversations(agent, selection).thenComposeAsync(found -> {
      if (found instanceof Refused refused) {
        return CompletableFuture.completedFuture(refused);
      }
      List<String> sessionIds = ((Found) found).sessionIds();
      return turns(sessionIds).thenComposeAsync(turns -> {
        if (turns.isEmpty()) {
          return CompletableFuture.completedFuture(new Refused(
              "the conversations chosen hold no customer message the agent answered", false));
        }
        if (turns.size() > settings.maxTurns()) {
          return CompletableFuture.completedFuture(new Refused("the conversations chosen hold " + turns.size()
              + " answered turns; a replay takes at most " + settings.maxTurns() + ": choose fewer conversations", false));
        }
        Replay replay = new Replay("rpl_" + UUID.randomUUID().toString().replace("-", ""), agent.config().orgId(), agent.agentId(), by,
            clock.instant(), Replay.Status.QUEUED, candidate, selection.describe(), budget, 0, null,
            new Replay.Progress(turns.size(), 0, 0, 0), new Replay.Summary(0, 0, 0, 0, 0, 0, 0, 1.0));
        return replays.create(replay, turns).thenApply(Started::new);
      }, executor);
    }, executor);
  }

  private record Found(List<String> sessionIds) implements Planned {}

  private CompletionStage<Planned> conversations(AgentEntity.Agent agent, Selection selection) {
    if (selection instanceof ByIds byIds) {
      List<CompletableFuture<Optional<ConversationSummary>>> lookups = byIds.sessionIds().stream()
          .map(sessionId -> listing.conversation(sessionId).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> {
        for (int i = 0; i < lookups.size(); i++) {
          Optional<ConversationSummary> summary = lookups.get(i).join();
          if (summary.isEmpty() || !summary.get().agentId().equals(agent.agentId())) {
            return new Refused("conversation " + byIds.sessionIds().get(i) + " of agent " + agent.agentId(), true);
          }
        }
        return new Found(byIds.sessionIds());
      }, executor);
    }
    ByFilter filter = (ByFilter) selection;
    return listing.search(new ConversationListing.ConversationQuery(List.of(agent.config().orgId()), filter.status(), filter.channel(),
            agent.agentId(), filter.from(), filter.to(), filter.text(), null, null, null, filter.limit()))
        .thenApplyAsync(found -> new Found(found.stream().map(ConversationSummary::sessionId).toList()), executor);
  }

  /** The recorded turns of the conversations in order, each conversation's in its own order; turns without a customer message left out. */
  private CompletionStage<List<RecordedTurn>> turns(List<String> sessionIds) {
    List<CompletableFuture<List<RecordedTurn>>> reads = sessionIds.stream()
        .map(sessionId -> recordings.turns(sessionId).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApplyAsync(done -> reads.stream()
        .flatMap(read -> read.join().stream())
        .filter(turn -> !turn.customerText().isBlank() && turn.outcome() != RecordedTurn.Outcome.NO_CREDITS)
        .toList(), executor);
  }
}
