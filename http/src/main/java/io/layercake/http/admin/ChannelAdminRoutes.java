package io.layercake.http.admin;

import io.layercake.config.Secret;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.ChannelBinding;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.OrganizationCountries;
import io.layercake.runtime.channel.PhoneNumberEntry;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.channel.SmsSegments;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Channels for operators: bind an agent to a channel address (a WhatsApp phone_number_id, an SMS
 * number), unbind it, list an organization's bindings, set the organization's WhatsApp access
 * token (stored, never shown again) and its default country for typed national phone numbers.
 * SMS numbers are stored in E.164, read with the organization's default country.
 */
public final class ChannelAdminRoutes extends AllDirectives {
  private final ChannelDirectory directory;
  private final AgentDirectory agents;
  private final OrganizationCountries countries;
  private final PhoneNumberEntry numbers;

  public ChannelAdminRoutes(
      ChannelDirectory directory, AgentDirectory agents, OrganizationCountries countries, PhoneNumberEntry numbers) {
    this.directory = directory;
    this.agents = agents;
    this.countries = countries;
    this.numbers = numbers;
  }

  /** {@code channel}: whatsapp, sms, webchat or instagram; {@code address}: the phone_number_id, the number, a key, the account id. */
  public record BindingBody(String channel, String address) {}

  /** {@code accessToken}: the token replies go out with; {@code businessAccountId}: the WABA its templates are synced from. */
  public record WhatsAppAccountBody(String accessToken, String businessAccountId) {}

  /** {@code accessToken}: the page token replies go out with; {@code accountId}: the Instagram professional account's id. */
  public record InstagramAccountBody(String accessToken, String accountId) {}

  /** An alphanumeric SMS sender: 3 to 11 letters, digits or spaces, at least one letter. */
  public record SmsSenderBody(String senderId) {}

  /** An ISO 3166-1 alpha-2 country ({@code GB}); typed national phone numbers are read in it. */
  public record CountryBody(String country) {}

  private static final java.util.regex.Pattern SENDER_ID = java.util.regex.Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{3,11}");

  /** The organization's channels: bindings, the country national numbers are read in, the account settings (no secrets). */
  public record ChannelsView(List<Binding> bindings, String defaultCountry, String platformDefaultCountry, WhatsAppStatus whatsapp,
      SmsSender sms, InstagramStatus instagram) {}

  public record WhatsAppStatus(boolean accessTokenConfigured, String businessAccountId) {}

  public record InstagramStatus(boolean accessTokenConfigured, String accountId) {}

  public record SmsSender(String senderId, String entityId) {}

  public record CountryView(String defaultCountry, String platformDefaultCountry) {}

  public Route routes() {
    return concat(
        pathPrefix("agents", () -> pathPrefix(agentId -> pathPrefix("channels", () -> concat(
            pathEnd(() -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, BindingBody.class), body -> bind(agentId, body)))),
            pathPrefix(channel -> path(address -> delete(() -> onSuccess(
                directory.unbind(agentId, channel, SmsSegments.CHANNEL.equals(channel)
                    ? PhoneNumbers.e164(address).orElse(address) : address),
                removed -> removed
                    ? complete(StatusCodes.OK, Map.of("removed", true), Json.marshaller())
                    : complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found",
                        "agent " + agentId + " is not bound to " + channel + " " + address)))))))))),
        pathPrefix("organizations", () -> pathPrefix(orgId -> pathPrefix("channels", () -> concat(
            pathEnd(() -> get(() -> channels(orgId))),
            path("whatsapp", () -> put(() -> entity(Jackson.unmarshaller(Json.MAPPER, WhatsAppAccountBody.class),
                body -> saveWhatsApp(orgId, body)))),
            path("default-country", () -> concat(
                put(() -> entity(Jackson.unmarshaller(Json.MAPPER, CountryBody.class),
                    body -> saveCountry(orgId, body))),
                delete(() -> onSuccess(countries.save(orgId, Optional.empty()), saved -> countryView(orgId, saved))))),
            path(segment("sms").slash("sender"), () -> concat(
                put(() -> entity(Jackson.unmarshaller(Json.MAPPER, SmsSenderBody.class), body -> saveSender(orgId, body.senderId()))),
                delete(() -> saveSender(orgId, null)))))))));
  }

  /** The organization's bindings, whether its WhatsApp token is set, its SMS sender and entity. */
  public Route channels(String orgId) {
    return onSuccess(directory.bindings(orgId), bindings ->
                onSuccess(directory.account(orgId, "whatsapp"), whatsapp ->
                    onSuccess(directory.account(orgId, "sms"), sms -> onSuccess(directory.account(orgId, "instagram"), instagram ->
                        onSuccess(countries.country(orgId), country ->
                        complete(StatusCodes.OK, new ChannelsView(bindings, country.orElse(null),
                            numbers.platformCountry().orElse(null), new WhatsAppStatus(!whatsapp.accessToken().isEmpty(), whatsapp.entityId()),
                            new SmsSender(sms.senderId(), sms.entityId()),
                            new InstagramStatus(!instagram.accessToken().isEmpty(), instagram.entityId())), Json.marshaller()))))));
  }

  /**
   * Binds an agent that exists to a channel address; 409 when another agent holds it. An SMS
   * number is stored in E.164, a national format read in the agent's organization's default country.
   */
  public Route bind(String agentId, BindingBody body) {
    if (body.channel() == null || !ChannelBinding.CHANNELS.contains(body.channel())) {
      return invalid("channel must be one of " + ChannelBinding.CHANNELS.stream().sorted().toList());
    }
    Optional<String> address = address(body.channel(), body.address());
    if (address.isEmpty()) {
      return invalid("whatsapp addresses are phone_number_ids (digits), instagram addresses account ids (digits), sms addresses phone "
          + "numbers, webchat keys 1 to 128 characters");
    }
    return onSuccess(agents.get(agentId), found -> {
      if (!(found instanceof AgentEntity.Agent agent) || agent.status() == AgentEntity.Status.ARCHIVED) {
        return complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "agent_not_found", "agent " + agentId + " does not exist"));
      }
      String orgId = agent.config().orgId();
      if (!SmsSegments.CHANNEL.equals(body.channel())) {
        return bind(new Binding(body.channel(), address.get(), orgId, agentId));
      }
      return onSuccess(numbers.normalize(orgId, body.address()), parsed -> parsed instanceof PhoneNumbers.Valid valid
          ? bind(new Binding(body.channel(), valid.e164(), orgId, agentId))
          : complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_phone_number",
              ((PhoneNumbers.Invalid) parsed).reason())));
    });
  }

  private Route bind(Binding wanted) {
    return onSuccess(directory.bind(wanted), bound -> bound.agentId().equals(wanted.agentId())
        ? complete(StatusCodes.CREATED, bound, Json.marshaller())
        : complete(ErrorHandling.response(StatusCodes.CONFLICT, "channel_taken",
            wanted.channel() + " " + wanted.address() + " is bound to another agent")));
  }

  /** Sets the organization's default country; 400 for a code libphonenumber has no numbering plan for. */
  public Route saveCountry(String orgId, CountryBody body) {
    if (body.country() == null || !PhoneNumbers.supportedCountry(body.country())) {
      return invalid("country must be an ISO 3166-1 alpha-2 code such as GB or NL");
    }
    return onSuccess(countries.save(orgId, Optional.of(body.country().strip().toUpperCase(java.util.Locale.ROOT))),
        saved -> countryView(orgId, saved));
  }

  private Route countryView(String orgId, Optional<String> saved) {
    return complete(StatusCodes.OK, new CountryView(saved.orElse(null), numbers.platformCountry().orElse(null)), Json.marshaller());
  }

  public Route saveWhatsApp(String orgId, WhatsAppAccountBody body) {
    boolean token = body.accessToken() != null;
    boolean account = body.businessAccountId() != null;
    if (!token && !account) {
      return invalid("accessToken or businessAccountId is required");
    }
    if (token && (body.accessToken().isBlank() || body.accessToken().length() > 1024)) {
      return invalid("accessToken must be 1 to 1024 characters");
    }
    if (account && !body.businessAccountId().strip().matches("[0-9]{5,32}")) {
      return invalid("businessAccountId must be the WhatsApp Business Account's numeric id");
    }
    return onSuccess(directory.account(orgId, "whatsapp"), current -> onSuccess(
        directory.saveAccount(new ChannelAccount(orgId, "whatsapp", token ? Secret.of(body.accessToken().strip()) : current.accessToken(),
            current.senderId(), account ? body.businessAccountId().strip() : current.entityId())),
        saved -> complete(StatusCodes.OK, new WhatsAppStatus(!saved.accessToken().isEmpty(), saved.entityId()), Json.marshaller())));
  }

  /** Stores the Instagram page token (encrypted, never returned) and the professional account's id. */
  public Route saveInstagram(String orgId, InstagramAccountBody body) {
    boolean token = body.accessToken() != null;
    boolean account = body.accountId() != null;
    if (!token && !account) {
      return invalid("accessToken or accountId is required");
    }
    if (token && (body.accessToken().isBlank() || body.accessToken().length() > 1024)) {
      return invalid("accessToken must be 1 to 1024 characters");
    }
    if (account && !body.accountId().strip().matches("[0-9]{5,32}")) {
      return invalid("accountId must be the Instagram professional account's numeric id");
    }
    return onSuccess(directory.account(orgId, "instagram"), current -> onSuccess(
        directory.saveAccount(new ChannelAccount(orgId, "instagram", token ? Secret.of(body.accessToken().strip()) : current.accessToken(),
            current.senderId(), account ? body.accountId().strip() : current.entityId())),
        saved -> complete(StatusCodes.OK, new InstagramStatus(!saved.accessToken().isEmpty(), saved.entityId()), Json.marshaller())));
  }

  /** Sets ({@code senderId}) or clears ({@code null}) the organization's alphanumeric SMS sender. */
  public Route saveSender(String orgId, String senderId) {
    if (senderId != null && !SENDER_ID.matcher(senderId).matches()) {
      return invalid("senderId must be 3 to 11 letters, digits or spaces, with at least one letter");
    }
    return onSuccess(directory.account(orgId, SmsSegments.CHANNEL), current -> onSuccess(
        directory.saveAccount(new ChannelAccount(orgId, SmsSegments.CHANNEL, current.accessToken(), senderId, current.entityId())),
        saved -> complete(StatusCodes.OK, new SmsSender(saved.senderId(), saved.entityId()), Json.marshaller())));
  }

  static Optional<String> address(String channel, String raw) {
    if (raw == null || raw.isBlank() || raw.length() > 128) {
      return Optional.empty();
    }
    return switch (channel) {
      case "whatsapp", "instagram" -> raw.strip().matches("\\d{5,32}") ? Optional.of(raw.strip()) : Optional.empty();
      default -> Optional.of(raw.strip());
    };
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
