package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.inbox.Assignments;
import io.layercake.runtime.inbox.BookingDecisions;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.inbox.ConversationNotes;
import io.layercake.runtime.session.ConversationListing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The team's side of conversations ({@code /api/v1/conversations/{id}/assignee}, {@code .../notes},
 * {@code /api/v1/canned-replies}, {@code /api/v1/booking-requests/{id}/accept}): who looks after a
 * conversation, internal notes the customer never sees, replies kept ready, answers to booking requests. Kept beside the conversation, never in its journal or its channel.
 */
public final class InboxApiRoutes extends AllDirectives {
  private static final int MAX_NOTE = 4000;
  private static final int MAX_REPLY = 2000;
  private static final int MAX_TITLE = 100;

  private final ApiAccess access;
  private final VisibleConversations conversations;
  private final Assignments assignments;
  private final ConversationNotes notes;
  private final CannedReplies cannedReplies;
  private final Teammates teammates;
  private final BookingDecisions bookings;
  private final ConversationListing listing;
  private final OrgDirectory directory;
  private final Executor executor;

  public InboxApiRoutes(ApiAccess access, ConversationListing listing, Assignments assignments, ConversationNotes notes,
      CannedReplies cannedReplies, Teammates teammates, BookingDecisions bookings, OrgDirectory directory, Executor executor) {
    this.access = access;
    this.listing = listing;
    this.bookings = bookings;
    this.conversations = new VisibleConversations(listing, access);
    this.assignments = assignments;
    this.notes = notes;
    this.cannedReplies = cannedReplies;
    this.teammates = teammates;
    this.directory = directory;
    this.executor = executor;
  }

  /** {@code userId} null or absent: nobody looks after it any more. */
  public record AssigneeBody(String userId) {}

  /** {@code userId} null when nobody looks after the conversation. */
  public record AssigneeView(String sessionId, String userId, String name, String assignedBy, Instant assignedAt) {}

  public record NoteBody(String text) {}

  public record NoteList(List<ConversationNotes.Note> notes) {}

  public record CannedReplyBody(String title, String text) {}

  public record CannedReplyList(List<CannedReplies.CannedReply> cannedReplies) {}

  public record Deleted(String replyId, boolean deleted) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.ASSIGN_CONVERSATION, match -> conversations.of(caller, match.variable("sessionId"),
            conversation -> entity(Jackson.unmarshaller(Json.MAPPER, AssigneeBody.class), body -> assign(caller, conversation, body)))),
        access.operation(caller, ApiOperation.LIST_NOTES, match -> conversations.of(caller, match.variable("sessionId"),
            conversation -> onSuccess(notes.of(conversation.sessionId()),
                found -> complete(StatusCodes.OK, new NoteList(found), Json.marshaller())))),
        access.operation(caller, ApiOperation.ADD_NOTE, match -> conversations.of(caller, match.variable("sessionId"),
            conversation -> entity(Jackson.unmarshaller(Json.MAPPER, NoteBody.class), body -> {
              if (body.text() == null || body.text().isBlank() || body.text().length() > MAX_NOTE) {
                return invalid("text is 1 to " + MAX_NOTE + " characters");
              }
              return onSuccess(notes.add(conversation.sessionId(), conversation.orgId(),
                      caller.person().map(person -> person.user().userId()).orElse(null), caller.actor(), body.text().strip()),
                  note -> complete(StatusCodes.CREATED, note, Json.marshaller()));
            }))),
        access.operation(caller, ApiOperation.LIST_CANNED_REPLIES, match -> onSuccess(ownAndAgency(caller),
            orgs -> onSuccess(cannedReplies.of(orgs), found -> complete(StatusCodes.OK, new CannedReplyList(found), Json.marshaller())))),
        access.operation(caller, ApiOperation.CREATE_CANNED_REPLY, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, CannedReplyBody.class), body -> {
              if (body.title() == null || body.title().isBlank() || body.title().length() > MAX_TITLE
                  || body.text() == null || body.text().isBlank() || body.text().length() > MAX_REPLY) {
                return invalid("title is 1 to " + MAX_TITLE + " characters and text 1 to " + MAX_REPLY);
              }
              return onSuccess(cannedReplies.add(caller.orgId(), body.title().strip(), body.text().strip(), caller.actor()),
                  reply -> complete(StatusCodes.CREATED, reply, Json.marshaller()));
            })),
        access.operation(caller, ApiOperation.ACCEPT_BOOKING, match -> decide(caller, match.variable("bookingId"),
            BookingDecisions.ACCEPTED)),
        access.operation(caller, ApiOperation.DECLINE_BOOKING, match -> decide(caller, match.variable("bookingId"),
            BookingDecisions.DECLINED)),
        access.operation(caller, ApiOperation.DELETE_CANNED_REPLY, match -> {
          String replyId = match.variable("replyId");
          return onSuccess(cannedReplies.delete(caller.orgId(), replyId), deleted -> deleted
              ? complete(StatusCodes.OK, new Deleted(replyId, true), Json.marshaller())
              : ApiAccess.notFound("canned reply " + replyId));
        }));
  }

  private Route assign(Caller caller, ConversationListing.ConversationSummary conversation, AssigneeBody body) {
    if (body.userId() == null || body.userId().isBlank()) {
      return onSuccess(assignments.unassign(conversation.sessionId()), done ->
          complete(StatusCodes.OK, new AssigneeView(conversation.sessionId(), null, null, null, null), Json.marshaller()));
    }
    return onSuccess(teammates.of(conversation.orgId()), team -> team.stream()
        .filter(teammate -> teammate.userId().equals(body.userId()))
        .findFirst()
        .<Route>map(teammate -> onSuccess(assignments.assign(conversation.sessionId(), conversation.orgId(), teammate.userId(), caller.actor()),
            assignment -> complete(StatusCodes.OK, new AssigneeView(conversation.sessionId(), teammate.userId(), teammate.name(),
                assignment.assignedBy(), assignment.assignedAt()), Json.marshaller())))
        .orElseGet(() -> invalid("user " + body.userId() + " is not on the team of this conversation's organization")));
  }

  /** Accepting or declining again answers the same; the other answer after one stands is 409. */
  private Route decide(Caller caller, String bookingId, String status) {
    if (!bookingId.matches("\\d{1,18}")) {
      return ApiAccess.notFound("booking request " + bookingId);
    }
    return onSuccess(listing.bookingRequest(Long.parseLong(bookingId)), found -> found.isEmpty()
        ? ApiAccess.notFound("booking request " + bookingId)
        : access.visible(caller, found.get().orgId(), "booking request " + bookingId, () ->
            onSuccess(bookings.decide(found.get().id(), status, caller.actor()), decision -> {
              ConversationListing.BookingRequest request = found.get();
              ConversationListing.BookingRequest decided = new ConversationListing.BookingRequest(request.id(), request.orgId(),
                  request.sessionId(), request.agentId(), request.requestedTime(), request.service(), request.createdAt(),
                  decision.status(), decision.decidedBy(), decision.decidedAt());
              return decision.status().equals(status)
                  ? complete(StatusCodes.OK, decided, Json.marshaller())
                  : complete(ErrorHandling.response(StatusCodes.CONFLICT, "already_decided",
                      "booking request " + bookingId + " was " + decision.status() + " by " + decision.decidedBy()));
            })));
  }

  /** An organization's canned replies and, for a client, its agency's too. */
  private java.util.concurrent.CompletionStage<List<String>> ownAndAgency(Caller caller) {
    return directory.find(caller.orgId()).thenApplyAsync(entry -> {
      List<String> orgs = new ArrayList<>();
      orgs.add(caller.orgId());
      entry.map(OrgDirectory.OrgEntry::parentOrgId).filter(parent -> parent != null).ifPresent(orgs::add);
      return orgs;
    }, executor);
  }

  private static Route invalid(String message) {
    return new AllDirectives() {}.complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
