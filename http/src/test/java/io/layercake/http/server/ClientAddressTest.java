package io.layercake.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/** Whose address a request is counted under: a client on the internet cannot choose it; our own proxy says whose it is. */
class ClientAddressTest {

  @Test
  void aClientOnTheInternetIsItsConnectionWhateverItsHeadersSay() throws UnknownHostException {
    HttpRequest spoofed = from("203.0.113.7").addHeader(RawHeader.create("X-Forwarded-For", "198.51.100.1"));
    assertThat(ClientAddress.of(spoofed)).isEqualTo("203.0.113.7");
  }

  @Test
  void ourOwnProxyNamesTheClientAsTheLastHopItAppended() throws UnknownHostException {
    HttpRequest viaProxy = from("10.0.0.5").addHeader(RawHeader.create("X-Forwarded-For", "198.51.100.1, 203.0.113.7"));
    assertThat(ClientAddress.of(viaProxy)).as("the hop the proxy saw, not what the client wrote before it").isEqualTo("203.0.113.7");
    assertThat(ClientAddress.of(from("127.0.0.1"))).isEqualTo("127.0.0.1");
    assertThat(ClientAddress.of(HttpRequest.create("/"))).as("no connection known").isEqualTo("unknown");
  }

  private static HttpRequest from(String address) throws UnknownHostException {
    return HttpRequest.create("/").addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(InetAddress.getByName(address)));
  }
}
