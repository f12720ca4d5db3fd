package io.layercake.runtime.contacts;

import java.util.Locale;
import java.util.Optional;

/**
 * How one end customer is recognised across channels: a phone number however it was written
 * (WhatsApp's {@code 31612345678}, SMS's {@code +31612345678}, a lead's {@code +31 6 1234 5678} or
 * {@code 0031…}) is {@code +} and its digits; an email address is lower case; a webchat visitor is
 * only itself until a lead in its conversation names a phone or an email.
 */
public final class ContactKeys {
  private ContactKeys() {}

  public static Optional<String> phone(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String trimmed = raw.strip();
    String digits = trimmed.replaceAll("[^0-9]", "");
    if (trimmed.startsWith("00")) {
      digits = digits.substring(2);
    }
    boolean looksLikePhone = trimmed.matches("\\+?[0-9 ()./-]{6,25}");
    return looksLikePhone && digits.length() >= 6 && digits.length() <= 15 ? Optional.of("+" + digits) : Optional.empty();
  }

  public static Optional<String> email(String raw) {
    if (raw == null || !raw.strip().matches("[^@\\s]{1,64}@[^@\\s]{1,253}\\.[A-Za-z]{2,}")) {
      return Optional.empty();
    }
    return Optional.of(raw.strip().toLowerCase(Locale.ROOT));
  }

  /** The key a conversation's contact starts with: a phone on the phone channels, else the channel's own id. */
  public static String ofConversation(String channel, String contact) {
    if ("whatsapp".equals(channel) || "sms".equals(channel)) {
      return phone(contact).orElse(channel + ":" + contact);
    }
    return email(contact).orElse(channel + ":" + contact);
  }
}
