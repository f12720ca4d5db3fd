package io.layercake.http.setup;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.setup.SetupDirectory;
import io.layercake.runtime.setup.SetupEntity;
import io.layercake.runtime.setup.SetupFiles;
import io.layercake.runtime.setup.SetupState;
import io.layercake.runtime.setup.Setups;
import io.layercake.runtime.tools.Tool;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Setup mode under {@code /api/v1/setups}: start an interview for a client, talk with the setup
 * agent, edit its files by hand, read every version, try the generated agent in a test chat, and
 * connect it. A setup is its organization's (tenant-scoped like everything else) and only the
 * person or key that started it talks in it and edits it.
 */
public final class SetupApiRoutes extends AllDirectives {
  private final ApiAccess access;
  private final Setups setups;
  private final SetupConnection connection;
  private final AgentResponder responder;
  private final SetupDirectory directory;

  public SetupApiRoutes(
      ApiAccess access, Setups setups, SetupConnection connection, AgentResponder responder, SetupDirectory directory) {
    this.access = access;
    this.setups = setups;
    this.connection = connection;
    this.responder = responder;
    this.directory = directory;
  }

  /** {@code model}: who leads the interview, {@code local} (the built-in guided interview) unless a hosted provider is named. */
  public record StartBody(String provider, String model) {}

  public record MessageBody(String text) {}

  public record FileBody(String path, String content) {}

  /** The test chat's conversation so far: {@code customer} and {@code agent} messages, the last one the customer's. */
  public record TestChatBody(List<TestMessage> messages) {}

  public record TestMessage(String role, String text) {}

  /**
   * What the generated agent would answer; tools are named, never run, and nothing is charged.
   * {@code replyNeedsApproval}: under {@code draft} autonomy a person approves every reply first.
   */
  public record TestChatAnswer(String reply, boolean replyNeedsApproval, List<ToolCall> toolCalls, List<String> documentsInPrompt) {}

  /** A tool the agent would call; {@code needsApproval}: a person approves it first (its autonomy says so). */
  public record ToolCall(String name, Map<String, Object> arguments, boolean needsApproval) {}

  /** The setups of the organizations asked for, newest first. */
  public record SetupList(List<SetupDirectory.SetupEntry> setups) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_SETUPS, match -> parameterOptional("orgId", orgId -> orgId
            .map(target -> access.visible(caller, target, "organization " + target, () -> list(List.of(target))))
            .orElseGet(() -> onSuccess(access.visibleOrgs(caller), this::list)))),
        access.operation(caller, ApiOperation.START_SETUP, match -> parameterOptional("orgId", orgId -> {
          String target = orgId.orElse(caller.orgId());
          return access.visible(caller, target, "organization " + target, () ->
              entity(Jackson.unmarshaller(Json.MAPPER, StartBody.class), body -> start(caller, target, body)));
        })),
        access.operation(caller, ApiOperation.GET_SETUP, match -> visible(caller, match, (setupId, state) ->
            complete(StatusCodes.OK, SetupView.of(setupId, state), Json.marshaller()))),
        access.operation(caller, ApiOperation.SAY_TO_SETUP, match -> owned(caller, match, (setupId, state) ->
            entity(Jackson.unmarshaller(Json.MAPPER, MessageBody.class), body ->
                answer(setups.say(setupId, body.text(), caller.actor()), StatusCodes.OK)))),
        access.operation(caller, ApiOperation.EDIT_SETUP_FILE, match -> owned(caller, match, (setupId, state) ->
            entity(Jackson.unmarshaller(Json.MAPPER, FileBody.class), body ->
                answer(setups.editFile(setupId, body.path(), body.content(), caller.actor()), StatusCodes.OK)))),
        access.operation(caller, ApiOperation.LIST_SETUP_FILE_VERSIONS, match -> visible(caller, match, (setupId, state) ->
            parameter("path", path -> SetupFiles.known(path)
                ? complete(StatusCodes.OK, SetupView.versions(state, path), Json.marshaller())
                : invalid("there is no file " + path + "; the files are " + String.join(", ", SetupFiles.paths()))))),
        access.operation(caller, ApiOperation.TEST_SETUP, match -> visible(caller, match, (setupId, state) ->
            entity(Jackson.unmarshaller(Json.MAPPER, TestChatBody.class), body -> testChat(setupId, state, body)))),
        access.operation(caller, ApiOperation.CONNECT_SETUP, match -> owned(caller, match, (setupId, state) ->
            onSuccess(connection.connect(setupId, state, caller.actor()).thenCompose(outcome ->
                outcome instanceof SetupConnection.Connected connected && connected.changed()
                    ? directory.connected(setupId, connected.agentId()).thenApply(recorded -> outcome)
                    : java.util.concurrent.CompletableFuture.completedFuture(outcome)), outcome -> {
              if (outcome instanceof SetupConnection.Connected connected) {
                return complete(connected.changed() ? StatusCodes.CREATED : StatusCodes.OK, connected, Json.marshaller());
              }
              SetupConnection.Refused refused = (SetupConnection.Refused) outcome;
              return complete(ErrorHandling.response(refused.conflict() ? StatusCodes.CONFLICT : StatusCodes.BAD_REQUEST,
                  refused.conflict() ? "conflict" : "invalid_config", refused.message()));
            }))));
  }

  private Route start(Caller caller, String orgId, StartBody body) {
    String provider = body == null || body.provider() == null ? "local" : body.provider().strip().toLowerCase(Locale.ROOT);
    if (!List.of("local", "openai", "anthropic").contains(provider)) {
      return invalid("provider is local, openai or anthropic");
    }
    String model = body == null || body.model() == null || body.model().isBlank() ? defaultModel(provider) : body.model().strip();
    String setupId = "set_" + UUID.randomUUID().toString().replace("-", "");
    String ownerName = caller.person().map(person -> person.user().name()).orElse(caller.actor());
    return answer(setups.start(setupId, orgId, owner(caller), ownerName, new AgentConfig.ModelChoice(provider, model, 0.2))
        .thenCompose(reply -> reply instanceof SetupEntity.Setup started
            ? directory.started(setupId, orgId, ownerName, started.state().startedAt()).thenApply(recorded -> reply)
            : java.util.concurrent.CompletableFuture.completedFuture(reply)), StatusCodes.CREATED);
  }

  private Route list(List<String> orgIds) {
    return onSuccess(directory.of(orgIds), found -> complete(StatusCodes.OK, new SetupList(found), Json.marshaller()));
  }

  private static String defaultModel(String provider) {
    return switch (provider) {
      case "openai" -> "gpt-4o-mini";
      case "anthropic" -> "claude-3-5-haiku-latest";
      default -> "local";
    };
  }

  private Route testChat(String setupId, SetupState state, TestChatBody body) {
    if (body.messages() == null || body.messages().isEmpty()
        || !"customer".equals(body.messages().get(body.messages().size() - 1).role())) {
      return invalid("messages must end with the customer's message");
    }
    List<ConversationMessage> window;
    try {
      window = body.messages().stream().map(message -> new ConversationMessage(
          ConversationMessage.Role.valueOf(String.valueOf(message.role()).toUpperCase(Locale.ROOT)), String.valueOf(message.text()))).toList();
    } catch (IllegalArgumentException e) {
      return invalid("a message's role is customer or agent");
    }
    SetupConnection.Draft draft = SetupConnection.draft(setupId, state);
    if (!draft.problems().isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_config", String.join("; ", draft.problems())));
    }
    return onSuccess(responder.answerFrom(draft.bundle().agent(), SetupConnection.knowledge(draft), window, List.of()),
        answer -> complete(StatusCodes.OK, new TestChatAnswer(answer.reply().text(),
            draft.bundle().agent().autonomy() == AgentConfig.Autonomy.DRAFT,
            answer.reply().toolCalls().stream().map(call -> new ToolCall(call.name(), call.arguments(),
                Tool.named(call.name()).map(tool -> tool.needsApproval(draft.bundle().agent().autonomy())).orElse(false))).toList(),
            SetupConnection.knowledge(draft).stream()
                .filter(document -> answer.includedDocumentIds().contains(document.documentId()))
                .map(document -> document.title()).toList()), Json.marshaller()));
  }

  /** The setup the path names, when the caller sees its organization; 404 otherwise (never someone else's). */
  private Route visible(Caller caller, ApiOperation.Match match, java.util.function.BiFunction<String, SetupState, Route> inner) {
    String setupId = match.variable("setupId");
    return onSuccess(setups.get(setupId), reply -> {
      if (!(reply instanceof SetupEntity.Setup setup)) {
        return ApiAccess.notFound("setup " + setupId);
      }
      return access.visible(caller, setup.state().orgId(), "setup " + setupId, () -> inner.apply(setupId, setup.state()));
    });
  }

  /** As {@link #visible}, and only for whoever started the setup: it is their interview. */
  private Route owned(Caller caller, ApiOperation.Match match, java.util.function.BiFunction<String, SetupState, Route> inner) {
    return visible(caller, match, (setupId, state) -> owner(caller).equals(state.ownerUserId())
        ? inner.apply(setupId, state)
        : complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "not_owner",
            "setup " + setupId + " is " + state.ownerName() + "'s interview; only they can write in it")));
  }

  /** A stable id for who started a setup: the person, or the key. */
  private static String owner(Caller caller) {
    return caller.person().map(person -> "user:" + person.user().userId()).orElse(caller.actor());
  }

  private Route answer(java.util.concurrent.CompletionStage<SetupEntity.Reply> reply, StatusCode success) {
    return onSuccess(reply, answered -> {
      if (answered instanceof SetupEntity.Setup setup) {
        return complete(success, SetupView.of(setup.setupId(), setup.state()), Json.marshaller());
      }
      SetupEntity.Rejected rejected = (SetupEntity.Rejected) answered;
      return complete(switch (rejected.reason()) {
        case NOT_FOUND -> ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", rejected.message());
        case CONFLICT, BUSY -> ErrorHandling.response(StatusCodes.CONFLICT, "conflict", rejected.message());
        case INVALID -> ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", rejected.message());
      });
    });
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
