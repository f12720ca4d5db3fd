package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.http.testing.StubProvider;
import io.layercake.runtime.notify.WebhookSender.RefusedTarget;
import io.layercake.runtime.notify.Webhooks;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries are checked again when they are sent and go to the address that was checked: a host that resolved
 * to a public address when it was registered and now resolves to a private one (DNS rebinding) is never contacted.
 */
class HttpWebhookSenderTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String HOST = "hooks.agency.example";

  private StubProvider receiver;
  private final List<String> lookups = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() {
    receiver = StubProvider.start(request -> StubProvider.Response.json(200, "{}"));
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aHostThatNowResolvesToAPrivateAddressIsRefusedAndNeverContacted() {
    // the first answer (registration) is public, every later one points into our own network
    WebhookTargets targets = new WebhookTargets(false, true, host -> {
      lookups.add(host);
      return new InetAddress[] {InetAddress.getByName(lookups.size() == 1 ? "93.184.215.14" : "127.0.0.1")};
    });
    String url = "http://" + HOST + ":" + port() + "/in";
    assertThat(targets.check(url).address().getAddress().getHostAddress()).as("registration")
        .isEqualTo("93.184.215.14");

    assertThatThrownBy(() -> sender(targets).post(delivery(url)).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RefusedTarget.class)
        .hasMessageContaining("a loopback address (127.0.0.1)");
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void theRequestGoesToTheCheckedAddressUnderItsOwnHostName() {
    // HOST resolves only through this resolver: the connection can reach the receiver only at the address it checked
    WebhookTargets targets = new WebhookTargets(true, true, host -> {
      lookups.add(host);
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    });
    String url = "http://" + HOST + ":" + port() + "/in?tenant=a";

    int status = sender(targets).post(delivery(url)).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();

    assertThat(status).isEqualTo(200);
    assertThat(lookups).as("resolved once, and the connection used that answer").containsExactly(HOST);
    StubProvider.Request request = receiver.requests().get(0);
    assertThat(request.path()).isEqualTo("/in?tenant=a");
    assertThat(request.headers().get("Host")).isEqualTo(HOST + ":" + port());
    long timestamp = Long.parseLong(request.headers().get("Layercake-Signature").split(",")[0].substring(2));
    assertThat(request.headers().get("Layercake-Signature"))
        .isEqualTo(HttpWebhookSender.signature("whsec", timestamp, request.body()));
    assertThat(request.json().path("id").asLong()).isEqualTo(11);
  }

  @Test
  void aPlainHttpUrlIsRefusedByDefault() {
    WebhookTargets strict = new WebhookTargets(false, false, WebhookTargets.DNS);

    assertThatThrownBy(() -> sender(strict).post(delivery(receiver.baseUrl() + "/in")).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RefusedTarget.class);
    assertThat(receiver.requests()).isEmpty();
  }

  private HttpWebhookSender sender(WebhookTargets targets) {
    return new HttpWebhookSender(testKit.system(), targets, testKit.system().executionContext(), Duration.ofSeconds(5),
        Clock.systemUTC());
  }

  private int port() {
    return URI.create(receiver.baseUrl()).getPort();
  }

  private static Webhooks.DueDelivery delivery(String url) {
    Webhooks.FeedEvent event =
        new Webhooks.FeedEvent(11, "org-a", "s-1", "message.received", 1, "{\"text\":\"hi\"}", Instant.now());
    return new Webhooks.DueDelivery(event, "sub-1", url, "whsec", 0, Instant.now());
  }
}
