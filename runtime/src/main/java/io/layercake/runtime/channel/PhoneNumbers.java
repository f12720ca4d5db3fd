package io.layercake.runtime.channel;

import java.util.Optional;
import java.util.regex.Pattern;

/** Phone numbers as we keep them: E.164, a {@code +} and 8 to 15 digits. */
public final class PhoneNumbers {
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");

  private PhoneNumbers() {}

  /** {@code 31612345678}, {@code +31 6 1234-5678} or {@code 0031612345678} → {@code +31612345678}; empty when not a number. */
  public static Optional<String> e164(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String digits = SEPARATORS.matcher(raw.strip()).replaceAll("");
    if (digits.startsWith("00")) {
      digits = "+" + digits.substring(2);
    } else if (!digits.startsWith("+")) {
      digits = "+" + digits;
    }
    return E164.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
  }

  /** The digits without {@code +}, as Infobip wants them. */
  public static String withoutPlus(String e164) {
    return e164.startsWith("+") ? e164.substring(1) : e164;
  }
}
