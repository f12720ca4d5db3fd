package io.layercake.http.outreach;

import io.layercake.http.providers.NonPublicAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A client's review link is where our tracked link sends its customers: it must name a public host.
 * We never fetch it, so a name is not resolved; an address literal or a local name is refused.
 */
final class ReviewLinkCheck {
  private ReviewLinkCheck() {}

  static Optional<String> problem(String link) {
    String host;
    try {
      host = new URI(link).getHost();
    } catch (URISyntaxException e) {
      return Optional.of("review.link is not a web address");
    }
    if (host == null || host.isBlank()) {
      return Optional.of("review.link needs a host name");
    }
    String name = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
    if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local") || name.endsWith(".internal")
        || !name.contains(".") && !name.contains(":")) {
      return Optional.of("review.link must lead to a public web site, not " + host);
    }
    if (name.matches("[0-9.]+") || name.contains(":")) {
      try {
        Optional<String> why = NonPublicAddresses.classify(InetAddress.getByName(name));
        if (why.isPresent()) {
          return Optional.of("review.link must lead to a public web site, not a " + why.get() + " address");
        }
      } catch (UnknownHostException e) {
        return Optional.of("review.link has an unreadable address " + host);
      }
    }
    return Optional.empty();
  }
}
