package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.runtime.notify.WebhookSender.RefusedTarget;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which subscription URLs may be posted to: https, public addresses only, every address the host resolves to. */
class WebhookTargetsTest {
  /** A resolver with fixed answers, as DNS would give them. */
  private static final WebhookTargets.Resolver DNS = host -> {
    Map<String, String[]> answers = Map.of(
        "hooks.agency.example", new String[] {"93.184.215.14"},
        "internal.agency.example", new String[] {"10.0.0.7"},
        "sneaky.agency.example", new String[] {"93.184.215.14", "127.0.0.1"},
        "metadata.agency.example", new String[] {"169.254.169.254"},
        "v6.agency.example", new String[] {"fd00::5"},
        "mapped.agency.example", new String[] {"::ffff:192.168.0.1"});
    String[] found = answers.get(host);
    if (found == null) {
      return InetAddress.getAllByName(host); // literals only: every name a test uses is listed above
    }
    InetAddress[] addresses = new InetAddress[found.length];
    for (int i = 0; i < found.length; i++) {
      addresses[i] = InetAddress.getByName(found[i]);
    }
    return addresses;
  };

  private final WebhookTargets strict = new WebhookTargets(false, false, DNS);

  @Test
  void aPublicHttpsUrlIsCheckedAtTheAddressItResolvesTo() throws UnknownHostException {
    WebhookTargets.Target target = strict.check("https://hooks.agency.example/in?x=1");

    assertThat(target.host()).isEqualTo("hooks.agency.example");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.https()).isTrue();
    assertThat(target.address().getAddress()).isEqualTo(InetAddress.getByName("93.184.215.14"));
  }

  @Test
  void everyNonPublicTargetIsRefusedWithItsReason() {
    Map<String, String> refused = Map.ofEntries(
        Map.entry("https://127.0.0.1:8080/hooks", "loopback"),
        Map.entry("https://[::1]/hooks", "loopback"),
        Map.entry("https://169.254.169.254/latest/meta-data/", "cloud metadata"),
        Map.entry("https://[fd00:ec2::254]/", "cloud metadata"),
        Map.entry("https://100.100.100.200/", "cloud metadata"),
        Map.entry("https://10.1.2.3/", "private"),
        Map.entry("https://172.20.0.1/", "private"),
        Map.entry("https://192.168.1.1/", "private"),
        Map.entry("https://[fc00::1]/", "private"),
        Map.entry("https://169.254.3.4/", "link-local"),
        Map.entry("https://[fe80::1]/", "link-local"),
        Map.entry("https://224.0.0.251/", "multicast"),
        Map.entry("https://0.0.0.0/", "unspecified"),
        Map.entry("https://100.64.1.1/", "carrier-grade NAT"),
        Map.entry("https://[::ffff:127.0.0.1]/", "loopback"),
        Map.entry("https://internal.agency.example/", "private"),
        Map.entry("https://sneaky.agency.example/", "loopback"),
        Map.entry("https://metadata.agency.example/", "cloud metadata"),
        Map.entry("https://v6.agency.example/", "private"),
        Map.entry("https://mapped.agency.example/", "private"));
    refused.forEach((url, kind) -> assertThatThrownBy(() -> strict.check(url)).as(url)
        .isInstanceOf(RefusedTarget.class).hasMessageContaining("a " + kind + " address"));
  }

  @Test
  void onlyHttpsUnlessPlainHttpIsAllowed() {
    assertThatThrownBy(() -> strict.check("http://hooks.agency.example/in")).isInstanceOf(RefusedTarget.class)
        .hasMessage("url must be an https:// URL");
    assertThatThrownBy(() -> strict.check("ftp://hooks.agency.example/in")).isInstanceOf(RefusedTarget.class);
    assertThatThrownBy(() -> strict.check("https://user:pw@hooks.agency.example/in")).isInstanceOf(RefusedTarget.class);
    assertThat(new WebhookTargets(false, true, DNS).check("http://hooks.agency.example/in").port()).isEqualTo(80);
  }

  @Test
  void privateTargetsPassOnlyWhenAllowed() {
    WebhookTargets development = new WebhookTargets(true, true, DNS);

    assertThat(development.check("http://127.0.0.1:9000/hooks").address().getPort()).isEqualTo(9000);
    assertThat(development.check("https://internal.agency.example/").address().getAddress().getHostAddress())
        .isEqualTo("10.0.0.7");
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    WebhookTargets nothingResolves = new WebhookTargets(false, false, host -> {
      throw new UnknownHostException(host);
    });

    assertThatThrownBy(() -> nothingResolves.check("https://gone.agency.example/")).isInstanceOf(RefusedTarget.class)
        .hasMessageContaining("does not resolve");
  }
}
