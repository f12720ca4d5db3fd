package io.layercake.http.replays;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.VisibleAgents;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentRules;
import io.layercake.runtime.replay.Replay;
import io.layercake.runtime.replay.ReplayPlanner;
import io.layercake.runtime.replay.ReplayTurn;
import io.layercake.runtime.replay.Replays;
import io.layercake.runtime.session.RecordedTurn;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Replays over the API ({@code /api/v1/agents/{agentId}/replays}): start one against a candidate
 * configuration, follow its progress, read its report turn by turn, cancel it. A replay's report
 * quotes the customers' messages, so reading one takes {@code conversations:read} as well.
 */
public final class ReplayApiRoutes extends AllDirectives {
  private final VisibleAgents visibleAgents;
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_:.@+-]{1,300}");
  private static final int DEFAULT_CONVERSATIONS = 20;
  private static final int PAGE = 50;
  private static final int MAX_PAGE = 200;

  private final ApiAccess access;
  private final ReplayPlanner planner;
  private final Replays replays;
  private final long defaultBudget;
  private final Clock clock;

  public ReplayApiRoutes(ApiAccess access, AgentDirectory agents, ReplayPlanner planner, Replays replays, long defaultBudget,
      Clock clock) {
    this.access = access;
    this.visibleAgents = new VisibleAgents(agents, access);
    this.planner = planner;
    this.replays = replays;
    this.defaultBudget = defaultBudget;
    this.clock = clock;
  }

  /** Which conversations: {@code sessionIds}, or {@code filter}; neither: the agent's latest 20. */
  public record ReplayBody(List<String> sessionIds, FilterBody filter, CandidateBody candidate, Long budget) {}

  /** The agent's latest conversations (by last message) with these (all optional); {@code limit} 1 to 100, default 20. */
  public record FilterBody(String from, String to, String status, String channel, String text, Integer limit) {}

  /** What the candidate changes of the agent's configuration; what is left out stays as it is. */
  public record CandidateBody(
      String persona, List<AgentConfig.FaqEntry> faq, List<String> tools, List<String> knowledgeTags, AgentConfig.ModelChoice model,
      String greeting, String unavailableMessage, List<String> languages, AgentConfig.Autonomy autonomy) {
    AgentConfig applyTo(AgentConfig current) {
      return new AgentConfig(current.orgId(), current.name(), or(persona, current.persona()), or(faq, current.faq()),
          or(tools, current.tools()), or(autonomy, current.autonomy()), or(knowledgeTags, current.knowledgeTags()),
          or(model, current.model()), or(unavailableMessage, current.unavailableMessage()), or(greeting, current.greeting()),
          or(languages, current.languages()), current.businessHours(), current.doubleTexting(), current.webchat());
    }

    private static <T> T or(T value, T current) {
      return value == null ? current : value;
    }
  }

  public record ProgressView(int total, int done, int skipped, int failed, int pending, int percent) {}

  public record SummaryView(int changedAnswers, int sameAnswers, int newHandoffs, int lostHandoffs, int toolChanges,
      long recordedCredits, long candidateCredits, long creditDifference, double averageSimilarity) {}

  public record ReplayView(String replayId, String agentId, String orgId, String status, String createdBy, Instant createdAt,
      Instant finishedAt, String selection, long budget, long spent, ProgressView progress, SummaryView summary, AgentConfig candidate) {}

  public record ReplayList(String agentId, List<ReplayView> replays) {}

  public record RecordedView(String outcome, String reply, List<RecordedTurn.ToolCall> tools, boolean handedOff, long credits) {}

  public record CandidateView(String reply, List<RecordedTurn.ToolCall> tools, boolean handedOff, long credits) {}

  /** {@code handoff}: {@code appeared} or {@code disappeared} when the candidate differs; null otherwise. */
  public record TurnView(int seq, String sessionId, int turn, String customer, String status, RecordedView recorded,
      CandidateView candidate, Double similarity, Boolean answerChanged, List<RecordedTurn.ToolCall> toolsAdded,
      List<RecordedTurn.ToolCall> toolsRemoved, String handoff, String note) {}

  /** {@code nextAfter}: the {@code after} that reads the next page; null on the last one. */
  public record ReplayReport(ReplayView replay, List<TurnView> turns, Integer nextAfter) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.START_REPLAY, match -> agent(caller, match, agent ->
            access.scoped(caller, Scopes.CONVERSATIONS_READ, () ->
                entity(Jackson.unmarshaller(Json.MAPPER, ReplayBody.class), body -> start(caller, agent, body))))),
        access.operation(caller, ApiOperation.LIST_REPLAYS, match -> agent(caller, match, agent ->
            onSuccess(replays.ofAgent(agent.agentId(), 50), found ->
                complete(StatusCodes.OK, new ReplayList(agent.agentId(), found.stream().map(ReplayApiRoutes::view).toList()),
                    Json.marshaller())))),
        access.operation(caller, ApiOperation.GET_REPLAY, match -> replay(caller, match, replay ->
            parameterOptional("after", after -> parameterOptional("limit", limit -> {
              Optional<Integer> from = number(after, 0, 0, Integer.MAX_VALUE);
              Optional<Integer> size = number(limit, PAGE, 1, MAX_PAGE);
              if (from.isEmpty() || size.isEmpty()) {
                return ApiAccess.invalid("after is a turn's seq (0 or more); limit is 1 to " + MAX_PAGE);
              }
              return onSuccess(replays.turns(replay.replayId(), from.get(), size.get()), turns -> complete(StatusCodes.OK,
                  new ReplayReport(view(replay), turns.stream().map(ReplayApiRoutes::view).toList(),
                      turns.size() == size.get() && turns.get(turns.size() - 1).seq() < replay.progress().total()
                          ? turns.get(turns.size() - 1).seq() : null),
                  Json.marshaller()));
            })))),
        access.operation(caller, ApiOperation.CANCEL_REPLAY, match -> replay(caller, match, replay ->
            onSuccess(replays.cancel(replay.replayId(), clock.instant()).thenCompose(cancelled -> replays.replay(replay.replayId())),
                now -> complete(StatusCodes.OK, view(now.orElseThrow()), Json.marshaller())))));
  }

  private Route start(Caller caller, AgentEntity.Agent agent, ReplayBody body) {
    if (body.sessionIds() != null && body.filter() != null) {
      return ApiAccess.invalid("give sessionIds or filter, not both");
    }
    Optional<ReplayPlanner.Selection> selection;
    try {
      selection = selection(body);
    } catch (IllegalArgumentException e) {
      return ApiAccess.invalid(e.getMessage());
    }
    if (selection.isEmpty()) {
      return ApiAccess.invalid("sessionIds holds 1 to " + ReplayPlanner.MAX_CONVERSATIONS + " conversation ids");
    }
    long budget = body.budget() == null ? defaultBudget : body.budget();
    if (budget < 1 || budget > 1_000_000) {
      return ApiAccess.invalid("budget is 1 to 1000000 credits (the replay's own; the balance is not touched)");
    }
    AgentConfig candidate = body.candidate() == null ? agent.config() : body.candidate().applyTo(agent.config());
    List<String> problems = AgentRules.problems(candidate);
    if (!problems.isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_agent", "candidate: " + String.join("; ", problems)));
    }
    return onSuccess(planner.start(agent, candidate, selection.get(), budget, caller.actor()), planned -> {
      if (planned instanceof ReplayPlanner.Started started) {
        return complete(StatusCodes.ACCEPTED, view(started.replay()), Json.marshaller());
      }
      ReplayPlanner.Refused refused = (ReplayPlanner.Refused) planned;
      return refused.unknownConversation() ? ApiAccess.notFound(refused.reason()) : ApiAccess.invalid(refused.reason());
    });
  }

  private static Optional<ReplayPlanner.Selection> selection(ReplayBody body) {
    if (body.sessionIds() != null) {
      List<String> ids = body.sessionIds();
      boolean valid = !ids.isEmpty() && ids.size() <= ReplayPlanner.MAX_CONVERSATIONS
          && ids.stream().allMatch(id -> id != null && SESSION_ID.matcher(id).matches()) && ids.stream().distinct().count() == ids.size();
      return valid ? Optional.of(new ReplayPlanner.ByIds(ids)) : Optional.empty();
    }
    FilterBody filter = body.filter() == null ? new FilterBody(null, null, null, null, null, null) : body.filter();
    int limit = filter.limit() == null ? DEFAULT_CONVERSATIONS : filter.limit();
    if (limit < 1 || limit > ReplayPlanner.MAX_CONVERSATIONS) {
      throw new IllegalArgumentException("filter.limit is 1 to " + ReplayPlanner.MAX_CONVERSATIONS);
    }
    return Optional.of(new ReplayPlanner.ByFilter(instant("filter.from", filter.from()), instant("filter.to", filter.to()),
        blankToNull(filter.status()), blankToNull(filter.channel()), blankToNull(filter.text()), limit));
  }

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is an ISO-8601 time such as 2026-12-01T00:00:00Z");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Optional<Integer> number(Optional<String> value, int otherwise, int min, int max) {
    if (value.isEmpty()) {
      return Optional.of(otherwise);
    }
    try {
      int number = Integer.parseInt(value.get().strip());
      return number < min || number > max ? Optional.empty() : Optional.of(number);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The agent, when the caller's organization sees it; 404 otherwise. */
  private Route agent(Caller caller, ApiOperation.Match match, Function<AgentEntity.Agent, Route> inner) {
    return visibleAgents.of(caller, match.variable("agentId"), inner);
  }


  /** The agent's replay, when the caller sees the agent; 404 otherwise. */
  private Route replay(Caller caller, ApiOperation.Match match, Function<Replay, Route> inner) {
    String replayId = match.variable("replayId");
    return agent(caller, match, agent -> onSuccess(replays.replay(replayId), found -> found
        .filter(replay -> replay.agentId().equals(agent.agentId()) && replay.orgId().equals(agent.config().orgId()))
        .map(inner)
        .orElseGet(() -> ApiAccess.notFound("replay " + replayId + " of agent " + agent.agentId()))));
  }

  static ReplayView view(Replay replay) {
    Replay.Progress progress = replay.progress();
    Replay.Summary summary = replay.summary();
    return new ReplayView(replay.replayId(), replay.agentId(), replay.orgId(), replay.status().wireName(), replay.createdBy(),
        replay.createdAt(), replay.finishedAt(), replay.selection(), replay.budget(), replay.spent(),
        new ProgressView(progress.total(), progress.done(), progress.skipped(), progress.failed(), progress.pending(), progress.percent()),
        new SummaryView(summary.changedAnswers(), summary.sameAnswers(), summary.newHandoffs(), summary.lostHandoffs(),
            summary.toolChanges(), summary.recordedCredits(), summary.candidateCredits(), summary.creditDifference(),
            summary.averageSimilarity()),
        replay.candidate());
  }

  static TurnView view(ReplayTurn turn) {
    RecordedTurn recorded = turn.recorded();
    ReplayTurn.CandidateAnswer candidate = turn.candidate();
    ReplayTurn.Comparison comparison = turn.comparison();
    return new TurnView(turn.seq(), recorded.sessionId(), recorded.turn(), recorded.customerText(), turn.status().wireName(),
        new RecordedView(recorded.outcome().name().toLowerCase(java.util.Locale.ROOT), recorded.reply(), recorded.tools(),
            recorded.handedOff(), recorded.credits()),
        candidate == null ? null : new CandidateView(candidate.reply(), candidate.tools(), candidate.handedOff(), candidate.credits()),
        comparison == null ? null : comparison.similarity(), comparison == null ? null : comparison.answerChanged(),
        comparison == null ? List.of() : comparison.toolsAdded(), comparison == null ? List.of() : comparison.toolsRemoved(),
        comparison == null || comparison.handoff() == null ? null : comparison.handoff().wireName(), turn.note());
  }
}
