package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Conversations for operators: post a customer message to an agent (a test conversation, or a
 * message a channel could not deliver), read a conversation's live state and its messages, write
 * as a person, hand off, hand back, close, reopen, decide approvals; list an organization's
 * conversations, leads and booking requests.
 */
public final class ConversationAdminRoutes extends AllDirectives {
  private static final int MAX_LIST = 500;
  private static final Set<String> STATUSES = Set.of("active", "handed_off", "closed");

  private final Sessions sessions;
  private final ConversationListing listing;
  private final AgentDirectory agents;

  public ConversationAdminRoutes(Sessions sessions, ConversationListing listing, AgentDirectory agents) {
    this.sessions = sessions;
    this.listing = listing;
    this.agents = agents;
  }

  /** A person's message: {@code author} names them. */
  public record HumanMessageBody(String author, String text) {}

  /** {@code action}: close, hand_off, hand_back or reopen; {@code by} names who acts. */
  public record ConversationChangeBody(String action, String by, String reason) {}

  /** A template a person sends (WhatsApp, outside the 24-hour window). */
  public record TemplateBody(String author, String name, String language, java.util.List<String> parameters) {}

  /** {@code decision}: approve or reject. */
  public record DecisionBody(String decision, String decidedBy) {}

  public Route routes() {
    return concat(
        pathPrefix("conversations", () -> concat(
            path("inbound", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, InboundMessage.class), this::inbound))),
            pathPrefix(sessionId -> concat(
                pathEnd(() -> concat(
                    get(() -> answer(sessions.conversation(sessionId), StatusCodes.OK)),
                    patch(() -> entity(Jackson.unmarshaller(Json.MAPPER, ConversationChangeBody.class),
                        body -> change(sessionId, body))))),
                path("messages", () -> concat(
                    get(() -> parameterOptional("limit", limit -> onSuccess(
                        listing.messages(sessionId, limit(limit)),
                        messages -> complete(StatusCodes.OK, Map.of("messages", messages), Json.marshaller())))),
                    post(() -> entity(Jackson.unmarshaller(Json.MAPPER, HumanMessageBody.class),
                        body -> answer(sessions.sendAsHuman(sessionId, body.author(), body.text()), StatusCodes.ACCEPTED))))),
                path("templates", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, TemplateBody.class),
                    body -> answer(sessions.sendTemplate(sessionId, body.author(),
                        new io.layercake.runtime.channel.MessageTemplate(body.name(), body.language(), body.parameters())),
                        StatusCodes.ACCEPTED)))),
                pathPrefix("approvals", () -> path(approvalId -> post(() -> entity(
                    Jackson.unmarshaller(Json.MAPPER, DecisionBody.class), body -> decide(sessionId, approvalId, body))))))))),
        pathPrefix("organizations", () -> pathPrefix(orgId -> concat(
            path("conversations", () -> get(() -> parameterOptional("status", status -> parameterOptional("limit", limit -> {
              if (status.isPresent() && !STATUSES.contains(status.get())) {
                return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request",
                    "status must be one of " + STATUSES.stream().sorted().toList()));
              }
              return onSuccess(listing.conversations(orgId, status.orElse(null), limit(limit)),
                  found -> complete(StatusCodes.OK, Map.of("conversations", found), Json.marshaller()));
            })))),
            path("leads", () -> get(() -> parameterOptional("limit", limit -> onSuccess(listing.leads(orgId, limit(limit)),
                found -> complete(StatusCodes.OK, Map.of("leads", found), Json.marshaller()))))),
            path("booking-requests", () -> get(() -> parameterOptional("limit", limit -> onSuccess(
                listing.bookingRequests(orgId, limit(limit)),
                found -> complete(StatusCodes.OK, Map.of("bookingRequests", found), Json.marshaller())))))))));
  }

  /** The agent must exist and belong to the organization the message claims. */
  private Route inbound(InboundMessage message) {
    if (message.agentId() == null || message.orgId() == null) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "orgId and agentId are required"));
    }
    return onSuccess(agents.get(message.agentId()), found -> {
      if (!(found instanceof AgentEntity.Agent agent) || !agent.config().orgId().equals(message.orgId())) {
        return complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "agent_not_found",
            "organization " + message.orgId() + " has no agent " + message.agentId()));
      }
      return answer(sessions.receive(message), StatusCodes.ACCEPTED);
    });
  }

  private Route change(String sessionId, ConversationChangeBody body) {
    String action = body.action() == null ? "" : body.action().toLowerCase(Locale.ROOT);
    return switch (action) {
      case "close" -> answer(sessions.close(sessionId, body.by()), StatusCodes.OK);
      case "reopen" -> answer(sessions.reopen(sessionId, body.by()), StatusCodes.OK);
      case "hand_off" -> answer(sessions.handOff(sessionId, body.by(), body.reason()), StatusCodes.OK);
      case "hand_back" -> answer(sessions.handBack(sessionId, body.by()), StatusCodes.OK);
      default -> complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request",
          "action must be close, reopen, hand_off or hand_back"));
    };
  }

  private Route decide(String sessionId, String approvalId, DecisionBody body) {
    String decision = body.decision() == null ? "" : body.decision().toLowerCase(Locale.ROOT);
    if (!decision.equals("approve") && !decision.equals("reject")) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "decision must be approve or reject"));
    }
    return answer(sessions.decide(sessionId, approvalId, decision.equals("approve"), body.decidedBy()), StatusCodes.OK);
  }

  private Route answer(CompletionStage<SessionReply> reply, StatusCode success) {
    return onSuccess(reply, answer -> {
      if (answer instanceof SessionReply.Conversation conversation) {
        return complete(success, conversation.view(), Json.marshaller());
      }
      if (answer instanceof SessionReply.Rejected rejected) {
        return complete(io.layercake.http.api.SessionRejections.response(rejected));
      }
      return complete(success, answer, Json.marshaller());
    });
  }

  private static int limit(java.util.Optional<String> limit) {
    try {
      return limit.map(Integer::parseInt).map(value -> Math.max(1, Math.min(MAX_LIST, value))).orElse(100);
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
