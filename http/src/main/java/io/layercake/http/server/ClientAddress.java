package io.layercake.http.server;

import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * The address a request came from, for rate limits that must not be dodged: the connection's
 * peer, unless that peer is a proxy on our own network (loopback or private), in which case the
 * last address it appended to {@code X-Forwarded-For}. A client on the internet cannot choose it.
 */
public final class ClientAddress {
  private ClientAddress() {}

  public static String of(HttpRequest request) {
    Optional<InetAddress> peer = request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
    if (peer.isEmpty()) {
      return "unknown";
    }
    InetAddress address = peer.get();
    if (address.isLoopbackAddress() || address.isSiteLocalAddress()) {
      Optional<String> forwarded = request.getHeader("X-Forwarded-For").map(header -> header.value());
      if (forwarded.isPresent() && !forwarded.get().isBlank()) {
        String[] hops = forwarded.get().split(",");
        return hops[hops.length - 1].strip();
      }
    }
    return address.getHostAddress();
  }
}
