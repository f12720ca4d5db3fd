package io.layercake.runtime.portal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a client's portal looks, as its agency set it: the name people see, two colours, whom to
 * contact, and whether the "powered by" line shows (hidden only where the agency's tier allows).
 * Blank fields fall back: the client's own name, the default colours, no contact.
 */
public record Branding(String name, String primaryColor, String accentColor, String supportEmail, String supportPhone, boolean poweredBy) {
  public static final String DEFAULT_PRIMARY = "#1f4e79";
  public static final String DEFAULT_ACCENT = "#f2a900";
  private static final Pattern COLOR = Pattern.compile("#[0-9a-f]{6}");
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{3,40}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}");

  public Branding {
    name = name == null ? "" : name.strip();
    primaryColor = primaryColor == null || primaryColor.isBlank() ? DEFAULT_PRIMARY : primaryColor.strip().toLowerCase(Locale.ROOT);
    accentColor = accentColor == null || accentColor.isBlank() ? DEFAULT_ACCENT : accentColor.strip().toLowerCase(Locale.ROOT);
    supportEmail = supportEmail == null ? "" : supportEmail.strip();
    supportPhone = supportPhone == null ? "" : supportPhone.strip();
  }

  /** The branding of a client nobody has branded yet. */
  public static Branding of(String clientName) {
    return new Branding(clientName, null, null, null, null, true);
  }

  /** What is wrong with it, if anything, in words for the agency. */
  public Optional<String> problem() {
    if (name.isEmpty() || name.length() > 200) {
      return Optional.of("name must be 1 to 200 characters");
    }
    if (!COLOR.matcher(primaryColor).matches() || !COLOR.matcher(accentColor).matches()) {
      return Optional.of("colours are written #rrggbb");
    }
    if (!supportEmail.isEmpty() && (supportEmail.length() > 320 || !EMAIL.matcher(supportEmail).matches())) {
      return Optional.of("supportEmail must be an email address");
    }
    if (!supportPhone.isEmpty() && !PHONE.matcher(supportPhone).matches()) {
      return Optional.of("supportPhone must be a phone number (digits, spaces, + ( ) . / -)");
    }
    return Optional.empty();
  }

  /** Black or white, whichever reads better on the primary colour (WCAG relative luminance). */
  public String textOnPrimary() {
    return luminance(primaryColor) > 0.179 ? "#111111" : "#ffffff";
  }

  private static double luminance(String color) {
    double[] channels = new double[3];
    for (int i = 0; i < 3; i++) {
      double value = Integer.parseInt(color.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
      channels[i] = value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
}
