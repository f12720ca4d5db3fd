package io.layercake.runtime.people;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Email addresses as people type them: trimmed, lower-cased, one {@code @}, a dot in the domain. */
public final class EmailAddresses {
  private static final Pattern SHAPE = Pattern.compile("[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+\\.[^@\\s<>\"(),;:.]+");
  private static final int MAX_LENGTH = 254;

  private EmailAddresses() {}

  /** The normalized address, or empty when it is not one. */
  public static Optional<String> normalize(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String address = typed.strip().toLowerCase(Locale.ROOT);
    return address.length() <= MAX_LENGTH && SHAPE.matcher(address).matches() ? Optional.of(address) : Optional.empty();
  }

  /** A name for a person known only by address: the part before the {@code @}. */
  public static String nameOf(String address) {
    return address.substring(0, address.indexOf('@'));
  }
}
