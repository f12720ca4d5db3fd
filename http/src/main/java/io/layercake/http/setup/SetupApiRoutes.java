package io.layercake.http.setup;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.setup.SetupDirectory;
import io.layercake.runtime.setup.SetupEntity;
import io.layercake.runtime.setup.SetupFiles;
import io.layercake.runtime.setup.SetupState;
import io.layercake.runtime.setup.Setups;
import java.util.List;
import java.util.Locale;
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
  private final SetupTestChat testChat;
  private final SetupDirectory directory;

  public SetupApiRoutes(
      ApiAccess access, Setups setups, SetupConnection connection, SetupTestChat testChat, SetupDirectory directory) {
    this.access = access;
    this.setups = setups;
    this.connection = connection;
    this.testChat = testChat;
    this.directory = directory;
  }

  /** {@code model}: who leads the interview, {@code local} (the built-in guided interview) unless a hosted provider is named. */
  public record StartBody(String provider, String model) {}

  public record MessageBody(String text) {}

  public record FileBody(String path, String content) {}

  /** A customer's message for the setup's test agent. */
  public record TestMessageBody(String text) {}

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
            entity(Jackson.unmarshaller(Json.MAPPER, TestMessageBody.class), body -> testChat(caller, setupId, state, body)))),
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

  private Route testChat(Caller caller, String setupId, SetupState state, TestMessageBody body) {
    if (body.text() == null || body.text().isBlank() || body.text().length() > 4_000) {
      return invalid("text is a customer's message of 1 to 4000 characters");
    }
    return onSuccess(testChat.ask(setupId, state, body.text().strip(), caller.actor()), outcome -> {
      if (outcome instanceof SetupTestChat.Answered answered) {
        return complete(StatusCodes.OK, answered.turn(), Json.marshaller());
      }
      SetupTestChat.Refused refused = (SetupTestChat.Refused) outcome;
      return complete(ErrorHandling.response(refused.conflict() ? StatusCodes.CONFLICT : StatusCodes.BAD_REQUEST,
          refused.conflict() ? "conflict" : "invalid_config", refused.message()));
    });
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
