package io.layercake.http.providers;

import io.layercake.config.WebhookSettings;
import io.layercake.runtime.notify.WebhookSender.RefusedTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides which URLs outbound webhooks may be posted to, so a tenant cannot use them to probe our own
 * network: {@code https://} only (unless {@code allowHttp}), and every address the host resolves to must be
 * public (see {@link NonPublicAddresses}; unless {@code allowPrivateTargets}). Checked when a subscription is
 * registered and again before every delivery; the delivery then connects to the address checked here, so a
 * host whose DNS answer changes in between (DNS rebinding) cannot redirect it.
 */
public final class WebhookTargets {
  /** Looks a host name up (blocking); tests substitute their own to simulate DNS answers. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** The system resolver. */
  public static final Resolver DNS = InetAddress::getAllByName;

  /** A URL that may be posted to, and the address it was checked at (the one to connect to). */
  public record Target(URI uri, String host, int port, boolean https, InetSocketAddress address) {}

  private final boolean allowPrivateTargets;
  private final boolean allowHttp;
  private final Resolver resolver;

  public WebhookTargets(boolean allowPrivateTargets, boolean allowHttp, Resolver resolver) {
    this.allowPrivateTargets = allowPrivateTargets;
    this.allowHttp = allowHttp;
    this.resolver = resolver;
  }

  public static WebhookTargets of(WebhookSettings settings, Resolver resolver) {
    return new WebhookTargets(settings.allowPrivateTargets(), settings.allowHttp(), resolver);
  }

  /**
   * The checked target of a URL; blocks on DNS, so call it on a blocking executor.
   *
   * @throws RefusedTarget with a reason a tenant can read when the URL may not be posted to
   */
  public Target check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new RefusedTarget("url is not a valid URL");
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
    boolean https = scheme.equalsIgnoreCase("https");
    if (!https && !(allowHttp && scheme.equalsIgnoreCase("http"))) {
      throw new RefusedTarget(allowHttp ? "url must be an http:// or https:// URL" : "url must be an https:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isBlank() || uri.getRawUserInfo() != null) {
      throw new RefusedTarget("url must name a host (and no user name or password)");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new RefusedTarget("the host " + host + " of url does not resolve");
    }
    if (addresses == null || addresses.length == 0) {
      throw new RefusedTarget("the host " + host + " of url does not resolve");
    }
    if (!allowPrivateTargets) {
      for (InetAddress address : addresses) {
        Optional<String> kind = NonPublicAddresses.classify(address);
        if (kind.isPresent()) {
          throw new RefusedTarget("the host " + host + " of url is (or resolves to) a " + kind.get() + " address ("
              + address.getHostAddress() + "); webhooks are delivered to public addresses only");
        }
      }
    }
    return new Target(uri, host, port, https, new InetSocketAddress(addresses[0], port));
  }
}
