package io.layercake.http.admin;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentListing;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.llm.ModelFailure;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.credits.Organizations;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operator endpoints for agents: {@code POST /admin/agents}, {@code GET|PUT|DELETE /admin/agents/{id}}
 * (delete archives), {@code GET /admin/organizations/{orgId}/agents},
 * {@code POST /admin/agents/{id}/pause|resume}, and {@code POST /admin/agents/{id}/preview} to see what
 * the agent would answer a message (its knowledge, its prompt, its model).
 */
public final class AgentAdminRoutes extends AllDirectives {
  /** How the journal names changes made with the operator token. */
  static final String OPERATOR = "operator";

  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final AgentDirectory agents;
  private final Organizations organizations;
  private final AgentResponder responder;
  private final AgentListing listing;

  public AgentAdminRoutes(AgentDirectory agents, Organizations organizations, AgentResponder responder, AgentListing listing) {
    this.agents = agents;
    this.organizations = organizations;
    this.responder = responder;
    this.listing = listing;
  }

  /** The body of {@code POST /admin/agents/{id}/preview}: what a customer would write. */
  public record PreviewBody(String message) {}

  /** What the agent would answer, with the documents its prompt carried and how (whole, excerpts, left out, and why). */
  public record PreviewView(
      String reply, List<ModelReply.ToolCallRequest> toolCalls, ModelReply.TokenUsage usage, String provider, String model,
      List<String> includedDocumentIds, List<io.layercake.runtime.knowledge.Prompt.DocumentUse> knowledge) {}

  /** An agent's configuration as the API takes it; {@code agentId} is generated when absent, the model defaults to {@code local}. */
  public record AgentBody(
      String agentId,
      String orgId,
      String name,
      String persona,
      List<AgentConfig.FaqEntry> faq,
      List<String> tools,
      AgentConfig.Autonomy autonomy,
      List<String> knowledgeTags,
      AgentConfig.ModelChoice model,
      String unavailableMessage,
      String greeting,
      List<String> languages,
      AgentConfig.BusinessHours businessHours,
      AgentConfig.DoubleTexting doubleTexting,
      AgentConfig.Webchat webchat) {

    AgentConfig config() {
      return config(orgId);
    }

    /** The configuration for an organization named elsewhere (the import takes it from the URL, the API from the key). */
    public AgentConfig config(String ownerOrgId) {
      return new AgentConfig(ownerOrgId, name, persona, faq, tools, autonomy, knowledgeTags,
          model == null ? AgentConfig.ModelChoice.LOCAL : model, unavailableMessage, greeting, languages, businessHours,
          doubleTexting, webchat);
    }
  }

  public Route routes() {
    return concat(agentRoutes(), pathPrefix("organizations", () -> pathPrefix(orgId -> path("agents", () -> get(() ->
        parameterOptional("includeArchived", includeArchived -> onSuccess(
            listing.list(orgId, includeArchived.map(Boolean::parseBoolean).orElse(false)),
            agentsOfOrg -> complete(StatusCodes.OK, agentsOfOrg, Json.marshaller()))))))));
  }

  private Route agentRoutes() {
    return pathPrefix("agents", () -> concat(
        pathEnd(() -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, AgentBody.class), this::create))),
        pathPrefix(agentId -> concat(
            pathEnd(() -> concat(
                get(() -> answer(agents.get(agentId), StatusCodes.OK)),
                put(() -> entity(Jackson.unmarshaller(Json.MAPPER, AgentBody.class),
                    body -> answer(agents.update(agentId, body.config(), OPERATOR), StatusCodes.OK))),
                delete(() -> answer(agents.archive(agentId, OPERATOR), StatusCodes.OK)))),
            path("pause", () -> post(() -> answer(agents.pause(agentId, OPERATOR), StatusCodes.OK))),
            path("resume", () -> post(() -> answer(agents.resume(agentId, OPERATOR), StatusCodes.OK))),
            path("preview", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, PreviewBody.class),
                body -> preview(agentId, body))))))));
  }

  private Route create(AgentBody body) {
    String agentId = body.agentId() == null ? "agent_" + UUID.randomUUID().toString().replace("-", "") : body.agentId();
    if (!AGENT_ID.matcher(agentId).matches()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "agentId must be 1 to 64 letters, digits, '-' or '_'"));
    }
    if (body.orgId() == null) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "orgId is required"));
    }
    return onSuccess(organizations.exists(body.orgId()), exists -> exists
        ? answer(agents.create(agentId, body.config(), OPERATOR), StatusCodes.CREATED)
        : complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "organization " + body.orgId() + " does not exist")));
  }

  private Route preview(String agentId, PreviewBody body) {
    if (body.message() == null || body.message().isBlank() || body.message().length() > 4_000) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "message is required, at most 4000 characters"));
    }
    CompletionStage<java.util.Optional<AgentResponder.Answer>> answer = responder
        .reply(agentId, List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER, body.message())), true);
    return onComplete(answer, result -> {
      if (result.isFailure()) {
        return complete(modelFailure(result.failed().get()));
      }
      return result.get()
          .<Route>map(found -> complete(StatusCodes.OK, new PreviewView(found.reply().text(), found.reply().toolCalls(),
              found.reply().usage(), found.reply().provider(), found.reply().model(), found.includedDocumentIds(), found.knowledge()),
              Json.marshaller()))
          .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "agent_not_found", "agent " + agentId + " does not exist")));
    });
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse modelFailure(Throwable failure) {
    Throwable cause = Stages.cause(failure);
    if (!(cause instanceof ModelFailure modelFailure)) {
      return ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
          "the agent or its knowledge could not be read in time; it is safe to retry");
    }
    return switch (modelFailure.kind()) {
      case BUSY -> ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "model_busy", modelFailure.getMessage()
          + "; the node's model calls are busy, it is safe to retry");
      case TIMEOUT -> ErrorHandling.response(StatusCodes.GATEWAY_TIMEOUT, "model_timeout", modelFailure.getMessage());
      case RATE_LIMITED -> ErrorHandling.response(StatusCodes.TOO_MANY_REQUESTS, "model_rate_limited", modelFailure.getMessage()
          + modelFailure.retryAfter().map(after -> "; retry after " + after.toSeconds() + " s").orElse(""));
      case UNAVAILABLE -> ErrorHandling.response(StatusCodes.BAD_GATEWAY, "model_unavailable", modelFailure.getMessage());
      case BAD_REQUEST -> ErrorHandling.response(StatusCodes.BAD_GATEWAY, "model_bad_request", modelFailure.getMessage());
    };
  }

  private Route answer(CompletionStage<AgentEntity.Reply> reply, StatusCode success) {
    return onSuccess(reply, answer -> {
      if (answer instanceof AgentEntity.Agent agent) {
        return complete(success, agent, Json.marshaller());
      }
      AgentEntity.Rejected rejected = (AgentEntity.Rejected) answer;
      String message = String.join("; ", rejected.problems());
      return complete(switch (rejected.reason()) {
        case NOT_FOUND -> ErrorHandling.response(StatusCodes.NOT_FOUND, "agent_not_found", message);
        case CONFLICT -> ErrorHandling.response(StatusCodes.CONFLICT, "conflict", message);
        case INVALID -> ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_agent", message);
      });
    });
  }
}
