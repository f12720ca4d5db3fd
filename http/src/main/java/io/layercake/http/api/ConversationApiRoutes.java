package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.outreach.TemplateMessages;
import io.layercake.http.server.Json;
import io.layercake.http.server.ListedMessages;
import io.layercake.runtime.session.Approval;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationTimeline;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Conversations for agency dashboards ({@code /api/v1/conversations}, {@code /api/v1/approvals},
 * {@code /api/v1/leads}, {@code /api/v1/booking-requests}): lists with filters and cursors, the
 * live detail, messages, a person's message, status changes, approvals. Tenant-scoped: a key sees
 * its organization's and its sub-organizations' conversations; any other id is a 404.
 */
public final class ConversationApiRoutes extends AllDirectives {
  private static final int MAX_PAGE = 100;
  private static final String SEQUENCE = "\\d{1,18}";
  private static final Set<String> STATUSES = Set.of("active", "handed_off", "closed");

  private final ApiAccess access;
  private final Sessions sessions;
  private final ConversationListing listing;
  private final Function<String, CompletionStage<List<ConversationTimeline.Step>>> timelines;
  private final ETags etags = new ETags();
  private final ListedMessages listed;
  private final Executor executor;
  private final TemplateMessages templates;

  /** {@code listed}: how a read of the newest messages waits for the ones the conversation has recorded. */
  public ConversationApiRoutes(ApiAccess access, Sessions sessions, ConversationListing listing,
      Function<String, CompletionStage<List<ConversationTimeline.Step>>> timelines, ListedMessages listed, TemplateMessages templates,
      Executor executor) {
    this.templates = templates;
    this.listed = listed;
    this.executor = executor;
    this.access = access;
    this.sessions = sessions;
    this.listing = listing;
    this.timelines = timelines;
  }

  /** Free {@code text}, or a WhatsApp {@code template} (the only message a closed window takes). */
  public record MessageBody(String text, String author, TemplateMessages.Request template) {}

  /** {@code outcome}: with close, {@code success} for a conversation that went well (a review request may follow). */
  public record ChangeBody(Action action, String reason, String outcome) {
    public enum Action { CLOSE, REOPEN, HAND_OFF, HAND_BACK }
  }

  public record ConversationPage(List<ConversationSummary> conversations, String nextCursor) {}

  /** The listed conversation and, when its entity answered, its live state. */
  public record ConversationDetail(
      ConversationSummary conversation, String owner, String status, Integer turnInProgress,
      List<io.layercake.runtime.session.Approval> pendingApprovals,
      Long creditsUsed, Boolean creditsExhausted, Instant lastInboundAt, Boolean optedOut) {}

  /** Paging back: {@code hasMore} and {@code nextBefore}; reading forward: {@code nextAfter}. */
  public record MessagePage(List<ConversationListing.MessageRecord> messages, Boolean hasMore, Long nextBefore, Long nextAfter) {}

  public record Timeline(String sessionId, List<ConversationTimeline.Step> steps) {}

  public record ApprovalList(List<ConversationListing.ApprovalRecord> approvals, String nextCursor) {}

  public record LeadList(List<ConversationListing.Lead> leads, String nextCursor) {}

  public record BookingRequestList(List<ConversationListing.BookingRequest> bookingRequests, String nextCursor) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_CONVERSATIONS, match -> list(caller)),
        access.operation(caller, ApiOperation.GET_CONVERSATION, match -> owned(caller, match, this::detail)),
        access.operation(caller, ApiOperation.CHANGE_CONVERSATION, match -> owned(caller, match, summary ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChangeBody.class), body -> change(caller, summary, body)))),
        access.operation(caller, ApiOperation.GET_CONVERSATION_TIMELINE, match -> owned(caller, match, summary ->
            onSuccess(timelines.apply(summary.sessionId()),
                steps -> complete(StatusCodes.OK, new Timeline(summary.sessionId(), steps), Json.marshaller())))),
        access.operation(caller, ApiOperation.LIST_MESSAGES, match -> owned(caller, match, this::messages)),
        access.operation(caller, ApiOperation.SEND_MESSAGE, match -> owned(caller, match, summary ->
            entity(Jackson.unmarshaller(Json.MAPPER, MessageBody.class), body -> humanMessage(caller, summary, body)))),
        access.operation(caller, ApiOperation.LIST_APPROVALS, match -> parameterOptional("status", status ->
            paged(2, (after, size) -> onSuccess(access.visibleOrgs(caller), orgs -> onSuccess(listing.approvals(orgs,
                    status.orElse("pending"), after.map(parts -> Instant.parse(parts.get(0))).orElse(null),
                    after.map(parts -> parts.get(1)).orElse(null), size),
                found -> complete(StatusCodes.OK, new ApprovalList(found, found.size() < size ? null
                    : PageCursor.encode(found.get(size - 1).requestedAt(), found.get(size - 1).approvalId())), Json.marshaller())))))),
        access.operation(caller, ApiOperation.APPROVE_TOOL_CALL, match -> decide(caller, match.variable("approvalId"), true)),
        access.operation(caller, ApiOperation.REJECT_TOOL_CALL, match -> decide(caller, match.variable("approvalId"), false)),
        access.operation(caller, ApiOperation.LIST_LEADS, match -> paged(1, (before, size) -> onSuccess(access.visibleOrgs(caller),
            orgs -> onSuccess(listing.leads(orgs, before.map(parts -> Long.parseLong(parts.get(0))).orElse(null), size),
                found -> complete(StatusCodes.OK, new LeadList(found,
                    found.size() < size ? null : PageCursor.encode(found.get(size - 1).id())), Json.marshaller()))))),
        access.operation(caller, ApiOperation.LIST_BOOKING_REQUESTS, match -> paged(1, (before, size) ->
            onSuccess(access.visibleOrgs(caller), orgs -> onSuccess(
                listing.bookingRequests(orgs, before.map(parts -> Long.parseLong(parts.get(0))).orElse(null), size),
                found -> complete(StatusCodes.OK, new BookingRequestList(found,
                    found.size() < size ? null : PageCursor.encode(found.get(size - 1).id())), Json.marshaller()))))));
  }

  private Route list(Caller caller) {
    return parameterMap(parameters -> {
      Optional<String> problem = problem(parameters);
      if (problem.isPresent()) {
        return invalid(problem.get());
      }
      Optional<String[]> cursor = Optional.ofNullable(parameters.get("cursor")).map(ConversationApiRoutes::decodeCursor);
      if (parameters.containsKey("cursor") && cursor.isEmpty()) {
        return invalid("cursor is not one this API handed out");
      }
      int limit = Math.min(MAX_PAGE, Integer.parseInt(parameters.getOrDefault("limit", "50")));
      return onSuccess(access.visibleOrgs(caller), visible -> {
        String subOrg = parameters.get("orgId");
        if (subOrg != null && !visible.contains(subOrg)) {
          return complete(StatusCodes.OK, page(List.of(), limit), Json.marshaller());
        }
        List<String> orgs = subOrg == null ? visible : List.of(subOrg);
        return onSuccess(listing.search(new ConversationListing.ConversationQuery(orgs, parameters.get("status"),
                parameters.get("channel"), parameters.get("agentId"), instant(parameters.get("from")), instant(parameters.get("to")),
                parameters.get("q"), assignee(caller, parameters.get("assignee")),
                cursor.map(parts -> Instant.parse(parts[0])).orElse(null), cursor.map(parts -> parts[1]).orElse(null), limit)),
            found -> etags.completeWithETag(page(found, limit)));
      });
    });
  }

  private static Optional<String> problem(Map<String, String> parameters) {
    if (parameters.containsKey("status") && !STATUSES.contains(parameters.get("status"))) {
      return Optional.of("status must be one of " + STATUSES.stream().sorted().toList());
    }
    if (parameters.containsKey("limit") && !parameters.get("limit").matches("[1-9]\\d{0,3}")) {
      return Optional.of("limit must be a number from 1 to " + MAX_PAGE);
    }
    if (parameters.containsKey("q") && parameters.get("q").length() > 200) {
      return Optional.of("q is at most 200 characters");
    }
    for (String time : List.of("from", "to")) {
      if (parameters.containsKey(time) && instant(parameters.get(time)) == null) {
        return Optional.of(time + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
      }
    }
    return Optional.empty();
  }

  /** {@code me} is the person asking; an API key has no conversations of its own, so it matches none. */
  private static String assignee(Caller caller, String assignee) {
    if (!"me".equals(assignee)) {
      return assignee;
    }
    return caller.person().map(person -> person.user().userId()).orElse("(an API key)");
  }

  private static ConversationPage page(List<ConversationSummary> found, int limit) {
    return new ConversationPage(found, found.size() < limit ? null : encodeCursor(found.get(found.size() - 1)));
  }

  private Route detail(ConversationSummary summary) {
    return onSuccess(sessions.conversation(summary.sessionId()), reply -> etags.completeWithETag(
        reply instanceof SessionReply.Conversation live
            ? new ConversationDetail(summary, live.view().owner(), live.view().status().name().toLowerCase(Locale.ROOT),
                live.view().turnInProgress(), live.view().pendingApprovals(), live.view().creditsUsed(),
                live.view().creditsExhausted(), live.view().lastInboundAt(), live.view().optedOut())
            : new ConversationDetail(summary, null, null, null, null, null, null, null, null)));
  }

  /**
   * Two directions: without {@code after}, the latest messages (before the {@code before} cursor
   * when given), with {@code nextBefore} to page back and {@code hasMore}; with {@code after}, the
   * messages after that sequence, oldest first, with {@code nextAfter} (for reading forward).
   * Each page lists its messages in order, oldest first.
   */
  private Route messages(ConversationSummary summary) {
    return parameterOptional("after", after -> parameterOptional("before", before -> parameterOptional("limit",
        limit -> messages(summary.sessionId(), after, before, limit))));
  }

  private Route messages(String sessionId, Optional<String> after, Optional<String> before, Optional<String> limit) {
    if (after.isPresent() && before.isPresent()) {
      return invalid("use after (read forward) or before (page back), not both");
    }
    if (!after.map(value -> value.matches(SEQUENCE)).orElse(true)
        || !before.map(value -> value.matches(SEQUENCE)).orElse(true)
        || limit.isPresent() && !limit.get().matches("[1-9]\\d{0,2}")) {
      return invalid("after and before are message sequences (whole numbers from 0); limit a number from 1 to "
          + MAX_PAGE);
    }
    int size = Math.min(MAX_PAGE, limit.map(Integer::parseInt).orElse(50));
    if (after.isPresent()) {
      CompletionStage<List<ConversationListing.MessageRecord>> newer = listed.settled(sessionId)
          .thenComposeAsync(ready -> listing.messagesAfter(sessionId, Long.parseLong(after.get()), size), executor);
      return onSuccess(newer, found -> complete(StatusCodes.OK, new MessagePage(found, null, null,
          found.size() < size ? null : found.get(found.size() - 1).sequence()), Json.marshaller()));
    }
    CompletionStage<List<ConversationListing.MessageRecord>> latest = before.isPresent()
        ? listing.messagesBefore(sessionId, Long.parseLong(before.get()), size + 1)
        : listed.settled(sessionId).thenComposeAsync(
            ready -> listing.messagesBefore(sessionId, Long.MAX_VALUE, size + 1), executor);
    return onSuccess(latest, found -> {
      boolean hasMore = found.size() > size;
      List<ConversationListing.MessageRecord> shown = hasMore ? found.subList(1, found.size()) : found;
      return complete(StatusCodes.OK, new MessagePage(shown, hasMore, hasMore ? shown.get(0).sequence() : null, null),
          Json.marshaller());
    });
  }

  private Route humanMessage(Caller caller, ConversationSummary summary, MessageBody body) {
    // a person is recorded as themselves; a machine's key may name the person it writes for
    String author = caller.person().isPresent() || body.author() == null || body.author().isBlank()
        ? caller.actor() : body.author().strip();
    if (body.template() == null) {
      return answer(sessions.sendAsHuman(summary.sessionId(), author, body.text()), StatusCodes.ACCEPTED);
    }
    return onSuccess(templates.check(summary.orgId(), body.template()), checked -> checked.message()
        .map(message -> answer(sessions.sendTemplate(summary.sessionId(), author, message), StatusCodes.ACCEPTED))
        .orElseGet(() -> invalid(checked.problem())));
  }

  private Route change(Caller caller, ConversationSummary summary, ChangeBody body) {
    if (body.action() == null) {
      return invalid("action must be close, reopen, hand_off or hand_back");
    }
    String sessionId = summary.sessionId();
    return switch (body.action()) {
      case CLOSE -> answer(sessions.close(sessionId, caller.actor(), body.outcome()), StatusCodes.OK);
      case REOPEN -> answer(sessions.reopen(sessionId, caller.actor()), StatusCodes.OK);
      case HAND_OFF -> answer(sessions.handOff(sessionId, caller.actor(), body.reason()), StatusCodes.OK);
      case HAND_BACK -> answer(sessions.handBack(sessionId, caller.actor()), StatusCodes.OK);
    };
  }

  private Route decide(Caller caller, String approvalId, boolean approve) {
    return onSuccess(listing.approval(approvalId), found -> found.isEmpty()
        ? ApiAccess.notFound("approval " + approvalId)
        : access.visible(caller, found.get().orgId(), "approval " + approvalId, () ->
            answer(sessions.decide(found.get().sessionId(), approvalId, approve, caller.actor()), StatusCodes.OK)));
  }

  /** The conversation, when the caller's organization sees it; 404 otherwise. */
  private Route owned(Caller caller, ApiOperation.Match match, Function<ConversationSummary, Route> inner) {
    return new VisibleConversations(listing, access).of(caller, match.variable("sessionId"), inner);
  }

  private Route answer(CompletionStage<SessionReply> reply, StatusCode success) {
    return onSuccess(reply, answer -> {
      if (answer instanceof SessionReply.Rejected rejected) {
        return complete(SessionRejections.response(rejected));
      }
      return complete(success, answer, Json.marshaller());
    });
  }

  /**
   * A page of a list: {@code cursor} (as this list encoded it, with {@code parts} parts) and
   * {@code limit} (1 to {@link #MAX_PAGE}, default 50) read and checked, then {@code page} runs.
   */
  private Route paged(int parts, java.util.function.BiFunction<Optional<List<String>>, Integer, Route> page) {
    return parameterOptional("cursor", cursor -> parameterOptional("limit", limit -> {
      Optional<List<String>> decoded = cursor.flatMap(value -> PageCursor.decode(value, parts))
          .filter(ConversationApiRoutes::wellFormed);
      if (cursor.isPresent() && decoded.isEmpty()) {
        return invalid("cursor is not one this API handed out");
      }
      if (limit.isPresent() && !limit.get().matches("[1-9]\\d{0,2}")) {
        return invalid("limit must be a number from 1 to " + MAX_PAGE);
      }
      return page.apply(decoded, Math.min(MAX_PAGE, limit.map(Integer::parseInt).orElse(50)));
    }));
  }

  /** A cursor's parts parse: an id, or an instant and an id. */
  private static boolean wellFormed(List<String> parts) {
    try {
      if (parts.size() == 1) {
        Long.parseLong(parts.get(0));
      } else {
        Instant.parse(parts.get(0));
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String encodeCursor(ConversationSummary last) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((last.lastMessageAt() + "|" + last.sessionId()).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decodeCursor(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
      Instant.parse(parts[0]);
      return parts.length == 2 ? parts : null;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return null;
    }
  }

  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
