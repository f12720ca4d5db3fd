package io.layercake.http.outreach;

import io.layercake.config.ChannelSettings;
import io.layercake.config.Secret;
import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.GraphApiRefused;
import io.layercake.http.providers.WhatsAppSender;
import io.layercake.http.providers.WhatsAppSignup;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import java.security.SecureRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp Embedded Signup in the API: what the dashboard's page needs to open Meta's flow (our app
 * id and configuration), and the connect that follows it: the code exchanged for the business's
 * token, our app subscribed to its business account, the number registered, then the token
 * (encrypted) and the account id stored on the organization and the number bound to the agent.
 * Pasting a token ({@code PUT /channels/whatsapp}) stays the fallback.
 */
public final class WhatsAppSignupRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(WhatsAppSignupRoutes.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiAccess access;
  private final ChannelSettings.WhatsApp settings;
  private final WhatsAppSignup signup;
  private final ChannelDirectory directory;
  private final AgentDirectory agents;
  private final Executor executor;

  public WhatsAppSignupRoutes(ApiAccess access, ChannelSettings.WhatsApp settings, WhatsAppSignup signup, ChannelDirectory directory,
      AgentDirectory agents, Executor executor) {
    this.access = access;
    this.settings = settings;
    this.signup = signup;
    this.directory = directory;
    this.agents = agents;
    this.executor = executor;
  }

  /** What Meta's JavaScript SDK is opened with; {@code enabled} false: the platform has no Embedded Signup configured. */
  public record SignupConfig(boolean enabled, String appId, String configId, String graphApiVersion) {}

  /** {@code code}, {@code businessAccountId} and {@code phoneNumberId} as Meta's flow handed them to the page; {@code pin}: six digits, else one is chosen. */
  public record SignupBody(String code, String businessAccountId, String phoneNumberId, String agentId, String pin) {}

  /** {@code pin}: the number's two-step verification PIN, shown this once (Meta asks for it when the number moves). */
  public record Connected(String orgId, String businessAccountId, String phoneNumberId, String agentId, boolean accessTokenConfigured,
      String pin) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_WHATSAPP_SIGNUP, match -> complete(StatusCodes.OK, settings.embeddedSignup()
            ? new SignupConfig(true, settings.appId(), settings.signupConfigId(), settings.apiVersion())
            : new SignupConfig(false, null, null, settings.apiVersion()), Json.marshaller())),
        access.operation(caller, ApiOperation.CONNECT_WHATSAPP_BY_SIGNUP, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, SignupBody.class), body -> connect(orgId, body)))));
  }

  private Route connect(String orgId, SignupBody body) {
    if (!settings.embeddedSignup()) {
      return complete(ErrorHandling.response(StatusCodes.CONFLICT, "embedded_signup_not_configured",
          "this platform has no Meta app configured for Embedded Signup: connect with PUT /api/v1/channels/whatsapp"));
    }
    if (body.code() == null || body.code().isBlank() || body.code().length() > 2048 || !digits(body.businessAccountId())
        || !digits(body.phoneNumberId()) || body.agentId() == null || body.agentId().isBlank()
        || (body.pin() != null && !body.pin().matches("\\d{6}"))) {
      return ApiAccess.invalid("code, businessAccountId and phoneNumberId (as Meta's flow gave them), agentId, and pin (six digits) "
          + "if you choose it");
    }
    String pin = body.pin() != null ? body.pin() : String.format("%06d", RANDOM.nextInt(1_000_000));
    return onSuccess(agents.get(body.agentId()), found -> {
      if (!(found instanceof AgentEntity.Agent agent) || agent.status() == AgentEntity.Status.ARCHIVED
          || !agent.config().orgId().equals(orgId)) {
        return ApiAccess.notFound("agent " + body.agentId() + " in " + orgId);
      }
      return onSuccess(directory.agentAt(WhatsAppSender.CHANNEL, body.phoneNumberId()), held -> {
        if (held.isPresent() && !held.get().agentId().equals(body.agentId())) {
          return complete(ErrorHandling.response(StatusCodes.CONFLICT, "channel_taken",
              "WhatsApp number " + body.phoneNumberId() + " is bound to another agent"));
        }
        return onComplete(steps(orgId, body, pin), result -> {
          if (result.isSuccess()) {
            log.info("Org {} connected WhatsApp by Embedded Signup: account {}, number {} for agent {}", orgId, body.businessAccountId(),
                body.phoneNumberId(), body.agentId());
            return complete(StatusCodes.OK, new Connected(orgId, body.businessAccountId(), body.phoneNumberId(), body.agentId(), true,
                pin), Json.marshaller());
          }
          Throwable failure = result.failed().get() instanceof CompletionException wrapped && wrapped.getCause() != null
              ? wrapped.getCause() : result.failed().get();
          if (failure instanceof GraphApiRefused refused) {
            log.warn("Embedded Signup of org {} stopped: {}", orgId, refused.getMessage());
            return complete(ErrorHandling.response(StatusCodes.BAD_GATEWAY, "whatsapp_refused", refused.getMessage()));
          }
          throw new CompletionException(failure);
        });
      });
    });
  }

  /**
   * Meta's three calls in order; the token and account are stored as soon as the code is exchanged
   * (a code works once), so a refusal after that leaves the organization connected and says which step.
   */
  private java.util.concurrent.CompletionStage<Binding> steps(String orgId, SignupBody body, String pin) {
    return signup.exchange(body.code())
        .thenComposeAsync(token -> directory.account(orgId, WhatsAppSender.CHANNEL)
            .thenCompose(current -> directory.saveAccount(new ChannelAccount(orgId, WhatsAppSender.CHANNEL, Secret.of(token),
                current.senderId(), body.businessAccountId())))
            .thenCompose(saved -> signup.subscribe(body.businessAccountId(), token))
            .thenCompose(subscribed -> signup.register(body.phoneNumberId(), token, pin)), executor)
        .thenComposeAsync(registered -> directory.bind(new Binding(WhatsAppSender.CHANNEL, body.phoneNumberId(), orgId, body.agentId())),
            executor);
  }

  private static boolean digits(String value) {
    return value != null && value.matches("[0-9]{5,32}");
  }
}
