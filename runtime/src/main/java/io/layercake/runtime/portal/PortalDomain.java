package io.layercake.runtime.portal;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client's own host name for its portal, proven by a DNS TXT record: the agency publishes
 * {@link #recordValue()} at {@link #recordName()}; once seen, requests for the host are the portal.
 */
public record PortalDomain(String host, String orgId, String token, Instant addedAt, Instant verifiedAt, Instant checkedAt,
    String problem) {
  public static final String RECORD_PREFIX = "_portal-verification.";
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");

  public boolean verified() {
    return verifiedAt != null;
  }

  public String recordName() {
    return RECORD_PREFIX + host;
  }

  public String recordValue() {
    return "portal-verification=" + token;
  }

  /**
   * The host written the one way we store it (lower case, no trailing dot), when it can be a public
   * host name: at least two labels, a letter top-level domain, no IP address, no port, nothing
   * local ({@code localhost}, {@code .local}, {@code .internal}, {@code .localhost}), and not the
   * platform's own host ({@code ownHost}).
   */
  public static Optional<String> normalize(String host, String ownHost) {
    if (host == null) {
      return Optional.empty();
    }
    String candidate = host.strip().toLowerCase(Locale.ROOT);
    if (candidate.endsWith(".")) {
      candidate = candidate.substring(0, candidate.length() - 1);
    }
    if (candidate.isEmpty() || candidate.length() > 253 || NUMERIC.matcher(candidate).matches()) {
      return Optional.empty();
    }
    String[] labels = candidate.split("\\.", -1);
    if (labels.length < 2 || !labels[labels.length - 1].matches("[a-z]{2,63}")) {
      return Optional.empty();
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    String tld = labels[labels.length - 1];
    if (tld.equals("localhost") || tld.equals("local") || tld.equals("internal") || candidate.equalsIgnoreCase(ownHost)) {
      return Optional.empty();
    }
    return Optional.of(candidate);
  }
}
