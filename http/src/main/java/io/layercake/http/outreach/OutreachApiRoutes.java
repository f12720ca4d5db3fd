package io.layercake.http.outreach;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.GraphApiRefused;
import io.layercake.http.providers.WhatsAppSender;
import io.layercake.http.providers.WhatsAppTemplateSource;
import io.layercake.http.server.Json;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.outreach.OutreachSettingsStore;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import io.layercake.runtime.session.Profile;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.SessionState;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaching customers first on WhatsApp: the organization's templates (synced from its business
 * account, listed with their status and parameters), a conversation started with one of them to a
 * contact who has not written (only an approved template may open it; the agent answers the reply),
 * and the outreach settings (quiet hours, the templates follow-ups and reminders use once the window closed).
 */
public final class OutreachApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(OutreachApiRoutes.class);

  private final ApiAccess access;
  private final WhatsAppTemplates templates;
  private final WhatsAppTemplateSource source;
  private final TemplateMessages messages;
  private final OutreachSettingsStore settings;
  private final ChannelDirectory directory;
  private final Sessions sessions;
  private final Clock clock;
  private final Executor executor;

  public OutreachApiRoutes(ApiAccess access, WhatsAppTemplates templates, WhatsAppTemplateSource source, OutreachSettingsStore settings,
      ChannelDirectory directory, Sessions sessions, Clock clock, Executor executor) {
    this.settings = settings;
    this.access = access;
    this.templates = templates;
    this.source = source;
    this.messages = new TemplateMessages(templates);
    this.directory = directory;
    this.sessions = sessions;
    this.clock = clock;
    this.executor = executor;
  }

  public record TemplateView(String templateId, String name, String language, String category, String status, String body,
      List<String> parameters, String pricing, Instant updatedAt) {}

  public record TemplateList(String orgId, List<TemplateView> templates) {}

  public record TemplateBody(String name, String language, List<String> parameters) {}

  /** {@code contact}: the customer's phone number, however written (read in E.164). */
  public record StartBody(String agentId, String contact, TemplateBody template) {}

  public record TemplateRef(String name, String language) {}

  /** Quiet hours ({@code HH:MM} to {@code HH:MM} in {@code timeZone}, both or neither), the closed-window templates, review requests. */
  public record SettingsBody(String timeZone, String quietFrom, String quietUntil, TemplateRef followupTemplate, TemplateRef reminderTemplate,
      ReviewBody review) {}

  /** Review requests: where the tracked link leads, how long after, how often per customer, the text, its closed-window template. */
  public record ReviewBody(String link, String delay, Integer periodDays, String text, TemplateRef template) {}

  public record ReviewView(String link, String delay, int periodDays, String text, TemplateChoiceView template) {}

  /** {@code takesText}: the template's one parameter carries the follow-up's or reminder's text. */
  public record TemplateChoiceView(String name, String language, boolean takesText) {}

  public record SettingsView(String orgId, String timeZone, String quietFrom, String quietUntil, TemplateChoiceView followupTemplate,
      TemplateChoiceView reminderTemplate, ReviewView review) {}

  public record Started(String sessionId, String outboundId, String contact, String template, String category, String pricing) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_WHATSAPP_TEMPLATES, match -> access.inOrganization(caller, orgId ->
            onSuccess(templates.of(orgId), found -> complete(StatusCodes.OK, list(orgId, found), Json.marshaller())))),
        access.operation(caller, ApiOperation.SYNC_WHATSAPP_TEMPLATES, match -> access.inOrganization(caller, this::sync)),
        access.operation(caller, ApiOperation.GET_OUTREACH_SETTINGS, match -> access.inOrganization(caller, orgId ->
            onSuccess(settings.of(orgId), found -> complete(StatusCodes.OK, view(orgId, found), Json.marshaller())))),
        access.operation(caller, ApiOperation.SET_OUTREACH_SETTINGS, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, SettingsBody.class), body -> saveSettings(orgId, body)))),
        access.operation(caller, ApiOperation.START_CONVERSATION, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, StartBody.class), body -> start(caller, orgId, body)))));
  }

  private Route sync(String orgId) {
    return onSuccess(directory.account(orgId, WhatsAppSender.CHANNEL), account -> {
      if (account.entityId() == null || account.accessToken().isEmpty()) {
        return complete(ErrorHandling.response(StatusCodes.CONFLICT, "whatsapp_not_connected",
            "connect WhatsApp first: PUT /api/v1/channels/whatsapp with the access token and the business account id"));
      }
      return onComplete(source.list(account.entityId(), account.accessToken().reveal())
              .thenComposeAsync(listed -> templates.replace(orgId, listed, clock.instant()), executor),
          result -> {
            if (result.isSuccess()) {
              log.info("Synced {} WhatsApp templates of org {}", result.get().size(), orgId);
              return complete(StatusCodes.OK, list(orgId, result.get()), Json.marshaller());
            }
            Throwable failure = result.failed().get() instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : result.failed().get();
            if (failure instanceof GraphApiRefused refused) {
              log.warn("WhatsApp templates of org {} not synced: {}", orgId, refused.getMessage());
              return complete(ErrorHandling.response(StatusCodes.BAD_GATEWAY, "whatsapp_refused", refused.getMessage()));
            }
            throw new CompletionException(failure);
          });
    });
  }

  private Route start(Caller caller, String orgId, StartBody body) {
    Optional<String> contact = body.contact() == null ? Optional.empty() : PhoneNumbers.e164(body.contact());
    if (body.agentId() == null || body.agentId().isBlank() || contact.isEmpty() || body.template() == null
        || body.template().name() == null || body.template().language() == null) {
      return ApiAccess.invalid("agentId, contact (a phone number with its country code) and template (name, language, parameters) are required");
    }
    List<String> values = body.template().parameters() == null ? List.of() : body.template().parameters();
    return onSuccess(directory.bindings(orgId), bindings -> {
      Optional<Binding> number = bindings.stream()
          .filter(binding -> binding.agentId().equals(body.agentId()) && WhatsAppSender.CHANNEL.equals(binding.channel())).findFirst();
      if (number.isEmpty()) {
        return ApiAccess.invalid("agent " + body.agentId() + " of " + orgId + " has no WhatsApp number to write from");
      }
      return onSuccess(messages.check(orgId, new TemplateMessages.Request(body.template().name(), body.template().language(), values)),
          checked -> {
            if (checked.message().isEmpty()) {
              return ApiAccess.invalid(checked.problem());
            }
            WhatsAppTemplate template = checked.template().orElseThrow();
            String sessionId = new SessionKey(body.agentId(), WhatsAppSender.CHANNEL, contact.get()).sessionId();
            Profile profile = new Profile(sessionId, orgId, body.agentId(), WhatsAppSender.CHANNEL, contact.get());
            return onSuccess(sessions.reachOut(profile, caller.actor(), checked.message().get()), reply -> {
              if (reply instanceof SessionReply.Done done) {
                log.info("Org {} started conversation {} with template {} ({})", orgId, sessionId, template.name(), template.category());
                return complete(StatusCodes.CREATED, new Started(sessionId, done.outboundId(), contact.get(), template.name(),
                    template.category().toLowerCase(java.util.Locale.ROOT), template.pricingNote()), Json.marshaller());
              }
              if (reply instanceof SessionReply.Rejected rejected && rejected.reason() == SessionReply.Reason.CONFLICT) {
                return complete(ErrorHandling.response(StatusCodes.CONFLICT, "conversation_exists", rejected.message()));
              }
              return ApiAccess.invalid(reply instanceof SessionReply.Rejected rejected ? rejected.message() : "the conversation refused it");
            });
          });
    });
  }

  private Route saveSettings(String orgId, SettingsBody body) {
    ReviewBody asked = body.review();
    CompletionStage<Checked> reviewTemplate = choice(orgId, asked == null ? null : asked.template());
    return onSuccess(choice(orgId, body.followupTemplate()).thenCombine(choice(orgId, body.reminderTemplate()), List::of)
        .thenCombine(reviewTemplate, (templates, forReview) -> {
      Checked followup = templates.get(0);
      Checked reminder = templates.get(1);
      OutreachSettings.ReviewRequests review = asked == null ? null : new OutreachSettings.ReviewRequests(
          asked.link() == null ? null : asked.link().strip(), asked.delay() == null ? "1d" : asked.delay().strip(),
          asked.periodDays() == null ? 180 : asked.periodDays(), asked.text(), forReview.choice());
      OutreachSettings chosen = new OutreachSettings(body.timeZone() == null ? "UTC" : body.timeZone().strip(), blankToNull(body.quietFrom()),
          blankToNull(body.quietUntil()), followup.choice(), reminder.choice(), review);
      return followup.problem().map(problem -> "followupTemplate: " + problem)
          .or(() -> reminder.problem().map(problem -> "reminderTemplate: " + problem))
          .or(() -> forReview.problem().map(problem -> "review.template: " + problem))
          .or(chosen::problem)
          .or(() -> review == null ? Optional.empty() : ReviewLinkCheck.problem(review.link()))
          .<Route>map(ApiAccess::invalid)
          .orElseGet(() -> onSuccess(settings.save(orgId, chosen, clock.instant()),
              saved -> complete(StatusCodes.OK, view(orgId, saved), Json.marshaller())));
    }), route -> route);
  }

  /** A template named in the settings as checked against our synced copy: the choice (null for none), or the problem. */
  private record Checked(OutreachSettings.TemplateChoice choice, Optional<String> problem) {}

  /** It must be synced and take no parameter or one (the text). */
  private CompletionStage<Checked> choice(String orgId, TemplateRef ref) {
    if (ref == null) {
      return CompletableFuture.completedFuture(new Checked(null, Optional.empty()));
    }
    if (ref.name() == null || ref.language() == null) {
      return CompletableFuture.completedFuture(new Checked(null, Optional.of("name and language are required")));
    }
    return templates.find(orgId, ref.name(), ref.language()).thenApply(found -> {
      if (found.isEmpty()) {
        return new Checked(null, Optional.of("no template " + ref.name() + " (" + ref.language() + "): sync the templates first"));
      }
      int parameters = found.get().parameters().size();
      return parameters > 1
          ? new Checked(null, Optional.of("template " + ref.name() + " takes " + parameters + " parameters; one (the text) at most"))
          : new Checked(new OutreachSettings.TemplateChoice(found.get().name(), found.get().language(), parameters == 1), Optional.empty());
    });
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  private static SettingsView view(String orgId, OutreachSettings found) {
    OutreachSettings.ReviewRequests review = found.review();
    return new SettingsView(orgId, found.timeZone(), found.quietFrom(), found.quietUntil(), view(found.followupTemplate()),
        view(found.reminderTemplate()), review == null ? null
            : new ReviewView(review.link(), review.delay(), review.periodDays(), review.text(), view(review.template())));
  }

  private static TemplateChoiceView view(OutreachSettings.TemplateChoice choice) {
    return choice == null ? null : new TemplateChoiceView(choice.name(), choice.language(), choice.takesText());
  }

  private static TemplateList list(String orgId, List<WhatsAppTemplate> found) {
    return new TemplateList(orgId, found.stream().map(template -> new TemplateView(template.templateId(), template.name(),
        template.language(), template.category().toLowerCase(java.util.Locale.ROOT), template.status().toLowerCase(java.util.Locale.ROOT),
        template.body(), template.parameters(), template.pricingNote(), template.updatedAt())).toList());
  }
}
