package io.layercake.runtime.channel;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Where typed phone numbers enter (API, admin, {@code agent-config.json}): each is normalized to
 * E.164 with the organization's default country, else the platform's
 * ({@code layercake.channels.default-country}), for national formats.
 */
public final class PhoneNumberEntry {
  private final OrganizationCountries countries;
  private final Optional<String> platformCountry;
  private final Executor executor;

  public PhoneNumberEntry(OrganizationCountries countries, String platformCountry, Executor executor) {
    this.countries = countries;
    this.platformCountry = Optional.ofNullable(platformCountry).filter(country -> !country.isBlank());
    this.executor = executor;
  }

  /** The country national numbers of the organization are read in: its own, else the platform's. */
  public CompletionStage<Optional<String>> countryFor(String orgId) {
    return countries.country(orgId).thenApplyAsync(own -> own.or(() -> platformCountry), executor);
  }

  public CompletionStage<PhoneNumbers.Parsed> normalize(String orgId, String raw) {
    return countryFor(orgId).thenApplyAsync(country -> PhoneNumbers.normalize(raw, country), executor);
  }

  public Optional<String> platformCountry() {
    return platformCountry;
  }
}
