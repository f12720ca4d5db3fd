package io.layercake.runtime.channel;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Each organization's default country (ISO 3166-1 alpha-2, upper case): where the phone numbers
 * its people type in a national format ({@code 020 7946 0958}) are read.
 */
public interface OrganizationCountries {
  CompletionStage<Optional<String>> country(String orgId);

  /** Sets ({@code country} present) or clears the organization's default country. */
  CompletionStage<Optional<String>> save(String orgId, Optional<String> country);
}
