package io.layercake.http.api;

import io.layercake.http.admin.AgentAdminRoutes;
import io.layercake.http.admin.AgentImportRoutes;
import io.layercake.http.admin.ChannelAdminRoutes;
import io.layercake.http.admin.DocumentAdminRoutes;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentListing;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Agents, their knowledge and their channels under API keys ({@code /api/v1/agents},
 * {@code /api/v1/knowledge/documents}, {@code /api/v1/channels}): the operator routes' behavior,
 * scoped to the caller's organization and its sub-organizations.
 */
public final class AgentApiRoutes extends AllDirectives {
  private final VisibleAgents visibleAgents;
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final ApiAccess access;
  private final AgentDirectory agents;
  private final AgentListing listing;
  private final DocumentAdminRoutes documents;
  private final ChannelAdminRoutes channels;
  private final AgentImportRoutes imports;

  public AgentApiRoutes(ApiAccess access, AgentDirectory agents, AgentListing listing, DocumentAdminRoutes documents,
      ChannelAdminRoutes channels, AgentImportRoutes imports) {
    this.imports = imports;
    this.access = access;
    this.visibleAgents = new VisibleAgents(agents, access);
    this.agents = agents;
    this.listing = listing;
    this.documents = documents;
    this.channels = channels;
  }

  public record AgentList(List<AgentListing.AgentSummary> agents) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_AGENTS, match -> parameterOptional("orgId", orgId ->
            access.visible(caller, orgId.orElse(caller.orgId()), "organization " + orgId.orElse(""), () ->
                onSuccess(listing.list(orgId.orElse(caller.orgId()), false),
                    found -> complete(StatusCodes.OK, new AgentList(found), Json.marshaller()))))),
        access.operation(caller, ApiOperation.CREATE_AGENT, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, AgentAdminRoutes.AgentBody.class), body -> create(caller, body))),
        access.operation(caller, ApiOperation.IMPORT_AGENT, match -> parameterOptional("orgId", orgId ->
            access.visible(caller, orgId.orElse(caller.orgId()), "organization " + orgId.orElse(""), () ->
                imports.importInto(orgId.orElse(caller.orgId()))))),
        access.operation(caller, ApiOperation.GET_AGENT, match -> owned(caller, match,
            agent -> complete(StatusCodes.OK, agent, Json.marshaller()))),
        access.operation(caller, ApiOperation.UPDATE_AGENT, match -> owned(caller, match, agent ->
            entity(Jackson.unmarshaller(Json.MAPPER, AgentAdminRoutes.AgentBody.class),
                body -> answer(agents.update(agent.agentId(), body.config(agent.config().orgId()), caller.actor()), StatusCodes.OK)))),
        access.operation(caller, ApiOperation.ARCHIVE_AGENT, match -> owned(caller, match, agent ->
            answer(agents.archive(agent.agentId(), caller.actor()), StatusCodes.OK))),
        access.operation(caller, ApiOperation.BIND_CHANNEL, match -> owned(caller, match, agent ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChannelAdminRoutes.BindingBody.class),
                body -> channels.bind(agent.agentId(), body)))),
        access.operation(caller, ApiOperation.LIST_CHANNELS, match -> channels.channels(caller.orgId())),
        access.operation(caller, ApiOperation.CONNECT_WHATSAPP, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChannelAdminRoutes.WhatsAppAccountBody.class),
                body -> channels.saveWhatsApp(caller.orgId(), body))),
        access.operation(caller, ApiOperation.CONNECT_INSTAGRAM, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChannelAdminRoutes.InstagramAccountBody.class),
                body -> channels.saveInstagram(caller.orgId(), body))),
        access.operation(caller, ApiOperation.SET_SMS_SENDER, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChannelAdminRoutes.SmsSenderBody.class),
                body -> channels.saveSender(caller.orgId(), body.senderId() == null || body.senderId().isBlank() ? null
                    : body.senderId().strip()))),
        access.operation(caller, ApiOperation.SET_DEFAULT_COUNTRY, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChannelAdminRoutes.CountryBody.class),
                body -> channels.saveCountry(caller.orgId(), body))),
        access.operation(caller, ApiOperation.LIST_DOCUMENTS, match -> documents.list(caller.orgId())),
        access.operation(caller, ApiOperation.UPLOAD_DOCUMENT, match -> documents.upload(caller.orgId())),
        access.operation(caller, ApiOperation.GET_DOCUMENT, match -> documents.get(caller.orgId(), match.variable("documentId"))),
        access.operation(caller, ApiOperation.RETAG_DOCUMENT, match -> documents.retag(caller.orgId(), match.variable("documentId"))),
        access.operation(caller, ApiOperation.DELETE_DOCUMENT, match -> documents.delete(caller.orgId(), match.variable("documentId"))));
  }

  private Route create(Caller caller, AgentAdminRoutes.AgentBody body) {
    String agentId = body.agentId() == null ? "agent_" + UUID.randomUUID().toString().replace("-", "") : body.agentId();
    if (!AGENT_ID.matcher(agentId).matches()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "agentId must be 1 to 64 letters, digits, '-' or '_'"));
    }
    String orgId = body.orgId() == null ? caller.orgId() : body.orgId();
    return access.visible(caller, orgId, "organization " + orgId, () -> onSuccess(agents.get(agentId), existing ->
        existing instanceof AgentEntity.Agent found && !found.config().orgId().equals(orgId)
            ? complete(ErrorHandling.response(StatusCodes.CONFLICT, "conflict", "agent id " + agentId + " is taken"))
            : answer(agents.create(agentId, body.config(orgId), caller.actor()), StatusCodes.CREATED)));
  }

  /** The agent, when the caller's organization sees it; 404 otherwise. */
  private Route owned(Caller caller, ApiOperation.Match match, Function<AgentEntity.Agent, Route> inner) {
    return visibleAgents.of(caller, match.variable("agentId"), inner);
  }


  private Route answer(CompletionStage<AgentEntity.Reply> reply, StatusCode success) {
    return onSuccess(reply, answer -> {
      if (answer instanceof AgentEntity.Agent agent) {
        return complete(success, agent, Json.marshaller());
      }
      AgentEntity.Rejected rejected = (AgentEntity.Rejected) answer;
      String message = String.join("; ", rejected.problems());
      return complete(switch (rejected.reason()) {
        case NOT_FOUND -> ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", message);
        case CONFLICT -> ErrorHandling.response(StatusCodes.CONFLICT, "conflict", message);
        case INVALID -> ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_agent", message);
      });
    });
  }
}
