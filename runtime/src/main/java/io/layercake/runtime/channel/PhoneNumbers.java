package io.layercake.runtime.channel;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Phone numbers as we keep them: E.164 ({@code +31612345678}), parsed with libphonenumber.
 *
 * <p>Two ways in. {@link #e164} is for numbers that are international by contract (providers'
 * webhooks send {@code 31612345678}, numbers we stored). {@link #normalize} is for numbers people
 * type (API, admin, {@code agent-config.json}): {@code +44 (0)20 7946 0958} loses its {@code (0)},
 * and a national format such as {@code 020 7946 0958} is read in the organization's default
 * country. A number is accepted when it has a possible length for its country; a valid number
 * (a range libphonenumber knows) wins over a merely possible one when a text can be read both ways.
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** What people write around a number: digits, spaces, dashes, dots, slashes, brackets, one plus. */
  private static final Pattern PHONE_TEXT = Pattern.compile("(?=[^+]*\\+?[^+]*$)[+\\d\\s().\\-/]{3,40}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s().\\-/]");
  private static final Pattern E164_SHAPE = Pattern.compile("\\+[1-9]\\d{7,14}");
  /**
   * Numbers {@link #e164} read lately: every webhook and delivery receipt names its contact, and
   * libphonenumber's parse was ~1.5 % of a message's CPU. Emptied when full, so it stays bounded.
   */
  private static final Map<String, Optional<String>> READ = new ConcurrentHashMap<>();
  private static final int READ_KEPT = 10_000;

  private PhoneNumbers() {}

  /** A typed number read: its E.164 form, or why it is not a number we can use. */
  public sealed interface Parsed {}

  public record Valid(String e164) implements Parsed {}

  public record Invalid(String reason) implements Parsed {}

  /** Whether {@code country} is an ISO 3166-1 alpha-2 code libphonenumber has numbering data for. */
  public static boolean supportedCountry(String country) {
    return country != null && UTIL.getSupportedRegions().contains(country.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * An international number ({@code 31612345678}, {@code +31 6 1234-5678}, {@code 0031612345678})
   * → {@code +31612345678}; empty when it is not one. For provider webhooks and stored numbers,
   * which carry the country code with or without {@code +}. A provider's number libphonenumber
   * calls impossible is kept as the provider wrote it when it has E.164's shape (WhatsApp still
   * identifies Mexican mobiles as {@code 521…}, one digit longer than the numbering plan): an
   * inbound message is never dropped over the library's metadata.
   */
  public static Optional<String> e164(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    Optional<String> known = READ.get(raw);
    if (known != null) {
      return known;
    }
    if (READ.size() >= READ_KEPT) {
      READ.clear();
    }
    Optional<String> read = readE164(raw);
    READ.put(raw, read);
    return read;
  }

  private static Optional<String> readE164(String raw) {
    if (!PHONE_TEXT.matcher(raw.strip()).matches()) {
      return Optional.empty();
    }
    Optional<String> parsed = international(raw.strip()).filter(PhoneNumbers::possible).map(PhoneNumbers::format);
    return parsed.isPresent()
        ? parsed
        : Optional.of(internationalDigits(raw.strip())).filter(E164_SHAPE.asMatchPredicate());
  }

  /**
   * A number someone typed, national formats read in {@code defaultCountry} (ISO 3166-1 alpha-2,
   * may be empty): {@code 020 7946 0958} in GB → {@code +442079460958}.
   */
  public static Parsed normalize(String raw, Optional<String> defaultCountry) {
    if (raw == null || raw.isBlank()) {
      return new Invalid("a phone number is required");
    }
    String text = raw.strip();
    if (!PHONE_TEXT.matcher(text).matches()) {
      return new Invalid("'" + shown(text) + "' is not a phone number");
    }
    String digits = SEPARATORS.matcher(text).replaceAll("");
    Optional<String> country = defaultCountry.map(c -> c.strip().toUpperCase(Locale.ROOT))
        .filter(PhoneNumbers::supportedCountry);
    Optional<PhoneNumber> asInternational = international(text);
    if (digits.startsWith("+") || digits.startsWith("00")) {
      return asInternational.filter(PhoneNumbers::possible).<Parsed>map(number -> new Valid(format(number)))
          .orElseGet(() -> new Invalid("'" + shown(text) + "' is not a valid phone number"));
    }
    Optional<PhoneNumber> asNational = country.flatMap(c -> parse(text, c));
    for (Optional<PhoneNumber> candidate : List.of(asNational, asInternational)) {
      if (candidate.filter(UTIL::isValidNumber).isPresent()) {
        return new Valid(format(candidate.get()));
      }
    }
    for (Optional<PhoneNumber> candidate : List.of(asNational, asInternational)) {
      if (candidate.filter(PhoneNumbers::possible).isPresent()) {
        return new Valid(format(candidate.get()));
      }
    }
    return new Invalid(country.isPresent()
        ? "'" + shown(text) + "' is not a valid phone number in " + country.get() + " or with a country code"
        : "'" + shown(text) + "' is not an international number; write it with + and the country code,"
            + " or set the organization's default country");
  }

  /** The digits without {@code +}, as Infobip wants them. */
  public static String withoutPlus(String e164) {
    return e164.startsWith("+") ? e164.substring(1) : e164;
  }

  /** Read with the country code in front: {@code +}, {@code 00} or bare digits. */
  private static Optional<PhoneNumber> international(String text) {
    // Keep the text's own layout for "+44 (0)20 ...", where libphonenumber drops the "(0)".
    return parse(text.startsWith("+") ? text : internationalDigits(text), "ZZ");
  }

  /** {@code +} and the digits: separators dropped, {@code 00} or nothing in front read as {@code +}. */
  private static String internationalDigits(String text) {
    String digits = SEPARATORS.matcher(text).replaceAll("");
    if (digits.startsWith("00")) {
      return "+" + digits.substring(2);
    }
    return digits.startsWith("+") ? digits : "+" + digits;
  }

  private static Optional<PhoneNumber> parse(String text, String country) {
    try {
      return Optional.of(UTIL.parse(text, country));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  private static boolean possible(PhoneNumber number) {
    return UTIL.isPossibleNumberWithReason(number) == ValidationResult.IS_POSSIBLE;
  }

  private static String format(PhoneNumber number) {
    return UTIL.format(number, PhoneNumberFormat.E164);
  }

  private static String shown(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
