package io.layercake.http.outreach;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.SessionRejections;
import io.layercake.http.api.VisibleAgents;
import io.layercake.http.api.VisibleConversations;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.FollowupSequences;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.outreach.ReviewLinks;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Follow-up sequences over the API: an agent's sequences (kept per agent and name), started and
 * stopped in a conversation by a person; and how often review requests were followed, per client.
 */
public final class SequenceApiRoutes extends AllDirectives {
  private final VisibleAgents visibleAgents;
  private final ApiAccess access;
  private final FollowupSequences sequences;
  private final VisibleConversations conversations;
  private final Sessions sessions;
  private final ReviewLinks reviews;
  private final Clock clock;

  public SequenceApiRoutes(ApiAccess access, AgentDirectory agents, FollowupSequences sequences, ConversationListing listing,
      Sessions sessions, ReviewLinks reviews, Clock clock) {
    this.access = access;
    this.visibleAgents = new VisibleAgents(agents, access);
    this.sequences = sequences;
    this.conversations = new VisibleConversations(listing, access);
    this.sessions = sessions;
    this.reviews = reviews;
    this.clock = clock;
  }

  /** {@code template}: what goes once WhatsApp's window is closed; {@code takesText}: its one parameter is the text. */
  public record StepBody(String delay, String text, OutreachSettings.TemplateChoice template, Boolean onlyIfNoReply) {}

  /** {@code trigger}: manual (default), lead_captured, booking_completed or closed_without_booking. */
  public record SequenceBody(String trigger, List<StepBody> steps, Boolean stopOnReply, Boolean stopOnBooking) {}

  public record StepView(String delay, String text, OutreachSettings.TemplateChoice template, boolean onlyIfNoReply) {}

  public record SequenceView(String agentId, String name, String trigger, List<StepView> steps, boolean stopOnReply,
      boolean stopOnBooking) {}

  public record SequenceList(String agentId, List<SequenceView> sequences) {}

  public record StartBody(String name) {}

  /** Review requests sent in the period and how many were followed, per organization the caller sees. */
  public record ReviewRates(int days, List<ReviewRate> organizations) {}

  public record ReviewRate(String orgId, long sent, long clicked, double clickRate) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_SEQUENCES, match -> agent(caller, match, agent ->
            onSuccess(sequences.sequences(agent.config().orgId(), agent.agentId()),
                found -> complete(StatusCodes.OK, new SequenceList(agent.agentId(), found.stream().map(SequenceApiRoutes::view).toList()),
                    Json.marshaller())))),
        access.operation(caller, ApiOperation.SAVE_SEQUENCE, match -> agent(caller, match, agent ->
            entity(Jackson.unmarshaller(Json.MAPPER, SequenceBody.class), body -> save(agent, match.variable("name"), body)))),
        access.operation(caller, ApiOperation.DELETE_SEQUENCE, match -> agent(caller, match, agent ->
            onSuccess(sequences.delete(agent.config().orgId(), agent.agentId(), match.variable("name")), deleted -> deleted
                ? complete(StatusCodes.NO_CONTENT)
                : ApiAccess.notFound("sequence " + match.variable("name") + " of agent " + agent.agentId())))),
        access.operation(caller, ApiOperation.START_SEQUENCE, match -> conversations.of(caller, match.variable("sessionId"), summary ->
            entity(Jackson.unmarshaller(Json.MAPPER, StartBody.class), body -> body.name() == null || body.name().isBlank()
                ? ApiAccess.invalid("name is required: the sequence of the conversation's agent to start")
                : answer(sessions.startSequence(summary.sessionId(), body.name().strip(), caller.actor()), StatusCodes.ACCEPTED)))),
        access.operation(caller, ApiOperation.STOP_SEQUENCE, match -> conversations.of(caller, match.variable("sessionId"), summary ->
            answer(sessions.stopSequence(summary.sessionId(), match.variable("name"), caller.actor()), StatusCodes.OK))),
        access.operation(caller, ApiOperation.REVIEW_RATES, match -> parameterOptional("days", days -> {
          Optional<Integer> period = days.isEmpty() ? Optional.of(30) : parseDays(days.get());
          if (period.isEmpty()) {
            return ApiAccess.invalid("days must be a whole number from 1 to 365");
          }
          return onSuccess(access.visibleOrgs(caller).thenCompose(orgIds ->
                  reviews.rates(orgIds, clock.instant().minus(Duration.ofDays(period.get())))),
              rates -> complete(StatusCodes.OK, new ReviewRates(period.get(), rates.stream()
                  .map(rate -> new ReviewRate(rate.orgId(), rate.sent(), rate.clicked(), rate.clickRate())).toList()), Json.marshaller()));
        })));
  }

  /** A review request's tracked link: counted, then on to the client's review page. */
  public Route links() {
    return pathPrefix("r", () -> path(token -> get(() -> token.matches("[A-Za-z0-9_-]{16,64}")
        ? onSuccess(reviews.follow(token, clock.instant()), found -> found
            .<Route>map(link -> redirect(org.apache.pekko.http.javadsl.model.Uri.create(link), StatusCodes.FOUND))
            .orElseGet(() -> ApiAccess.notFound("review link")))
        : ApiAccess.notFound("review link"))));
  }

  private Route save(AgentEntity.Agent agent, String name, SequenceBody body) {
    Optional<FollowupSequence.Trigger> trigger = body.trigger() == null
        ? Optional.of(FollowupSequence.Trigger.MANUAL) : FollowupSequence.Trigger.named(body.trigger());
    if (trigger.isEmpty()) {
      return ApiAccess.invalid("trigger must be manual, lead_captured, booking_completed or closed_without_booking");
    }
    if (body.steps() == null || body.steps().stream().anyMatch(step -> step == null)) {
      return ApiAccess.invalid("steps is a list of {delay, text, template, onlyIfNoReply}");
    }
    FollowupSequence sequence = new FollowupSequence(agent.agentId(), name, trigger.get(), body.steps().stream()
        .map(step -> new FollowupSequence.Step(step.delay(), step.text() == null ? null : step.text().strip(), step.template(),
            Boolean.TRUE.equals(step.onlyIfNoReply())))
        .toList(), !Boolean.FALSE.equals(body.stopOnReply()), !Boolean.FALSE.equals(body.stopOnBooking()));
    return sequence.problem().<Route>map(ApiAccess::invalid).orElseGet(() ->
        onSuccess(sequences.save(agent.config().orgId(), sequence, clock.instant()),
            saved -> complete(StatusCodes.OK, view(saved), Json.marshaller())));
  }

  private static Optional<Integer> parseDays(String days) {
    try {
      int value = Integer.parseInt(days.strip());
      return value >= 1 && value <= 365 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The agent, when the caller's organization sees it; 404 otherwise. */
  private Route agent(Caller caller, ApiOperation.Match match, Function<AgentEntity.Agent, Route> inner) {
    return visibleAgents.of(caller, match.variable("agentId"), inner);
  }


  private Route answer(CompletionStage<SessionReply> reply, StatusCode success) {
    return onSuccess(reply, answer -> answer instanceof SessionReply.Rejected rejected
        ? complete(SessionRejections.response(rejected))
        : complete(success, answer, Json.marshaller()));
  }

  private static SequenceView view(FollowupSequence sequence) {
    return new SequenceView(sequence.agentId(), sequence.name(), sequence.trigger().wireName(), sequence.steps().stream()
        .map(step -> new StepView(step.delay(), step.text(), step.template(), step.onlyIfNoReply())).toList(),
        sequence.stopOnReply(), sequence.stopOnBooking());
  }
}
