package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmark does through the node's operator API ({@code /admin}, the admin token): the
 * organizations, agents and WhatsApp numbers the load needs, and the ledger audit afterwards.
 */
final class NodeAdmin {
  static final String TOKEN = "bench-operator-token-0123456789";
  static final String WEBCHAT_AGENT = "bench-webchat";
  /** A webchat agent on the stub's hosted model, whose replies stream. */
  static final String STREAMING_AGENT = "bench-webchat-streaming";
  private static final String SOLO_ORG = "bench-solo";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final int orgs;

  NodeAdmin(String nodeBaseUrl, int orgs) {
    this.base = nodeBaseUrl;
    this.orgs = orgs;
  }

  /**
   * Organizations with credits for every message, each with an agent on the stub model bound to its
   * own WhatsApp number: {@code orgs} for the closed loop, one more ({@value #SOLO_ORG}) for the bursts
   * on a single organization, and a webchat agent on the local model (default double-texting policy).
   */
  void setUp() throws Exception {
    for (int i = 0; i <= orgs; i++) {
      String org = i == orgs ? SOLO_ORG : "bench-" + i;
      expect(send("POST", "/admin/organizations",
          "{\"id\":\"" + org + "\",\"name\":\"Bench " + i + "\",\"tier\":\"pro\"}"), 201, 409);
      expect(send("POST", "/admin/organizations/" + org + "/purchases",
          "{\"idempotencyKey\":\"bench-credits\",\"credits\":100000000}"), 200);
      expect(send("POST", "/admin/agents", "{\"agentId\":\"" + agentId(i) + "\",\"orgId\":\"" + org + "\","
          + "\"name\":\"Bench\",\"doubleTexting\":\"queue\","
          + "\"model\":{\"provider\":\"openai\",\"model\":\"stub\",\"temperature\":0.0}}"), 201, 409);
      expect(send("POST", "/admin/agents/" + agentId(i) + "/channels",
          "{\"channel\":\"whatsapp\",\"address\":\"" + phoneNumberId(i) + "\"}"), 201, 409);
      expect(send("PUT", "/admin/organizations/" + org + "/channels/whatsapp",
          "{\"accessToken\":\"bench-whatsapp-token\"}"), 200, 204);
    }
    expect(send("POST", "/admin/agents", "{\"agentId\":\"" + WEBCHAT_AGENT + "\",\"orgId\":\"bench-0\","
        + "\"name\":\"Bench webchat\",\"model\":{\"provider\":\"local\",\"model\":\"local\",\"temperature\":0.0}}"),
        201, 409);
    expect(send("POST", "/admin/agents", "{\"agentId\":\"" + STREAMING_AGENT + "\",\"orgId\":\"bench-0\","
        + "\"name\":\"Bench streaming\",\"model\":{\"provider\":\"openai\",\"model\":\"stub\",\"temperature\":0.0}}"),
        201, 409);
  }

  /** The WhatsApp numbers of the closed loop's organizations. */
  List<String> phoneNumberIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < orgs; i++) {
      ids.add(phoneNumberId(i));
    }
    return ids;
  }

  /** The WhatsApp number of the organization the bursts go to. */
  String soloPhoneNumberId() {
    return phoneNumberId(orgs);
  }

  /** An API key of the bursts' organization that may start replays and read them. */
  String replayKey() throws Exception {
    HttpResponse<String> response = send("POST", "/admin/organizations/" + SOLO_ORG + "/api-keys",
        "{\"name\":\"bench replays\",\"scopes\":[\"agents:read\",\"agents:write\",\"conversations:read\"]}");
    expect(response, 201);
    return JSON.readTree(response.body()).path("key").asText();
  }

  /** The agent the bursts on a single organization talk to. */
  String soloAgent() {
    return agentId(orgs);
  }

  /** Credits the benchmark's organizations still hold for turns and conversations' leases. */
  long reserved() throws Exception {
    long reserved = 0;
    for (int i = 0; i <= orgs; i++) {
      String org = i == orgs ? SOLO_ORG : "bench-" + i;
      HttpResponse<String> response = client.send(request("/admin/organizations/" + org + "/balance").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      expect(response, 200);
      reserved += JSON.readTree(response.body()).path("reserved").asLong();
    }
    return reserved;
  }

  /** Whether the node's ledger audit over all organizations is clean. */
  boolean auditClean() throws Exception {
    HttpResponse<String> response = client.send(request("/admin/audit/ledger").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    expect(response, 200);
    return JSON.readTree(response.body()).path("clean").asBoolean(false);
  }

  private static String agentId(int org) {
    return "bench-agent-" + org;
  }

  private static String phoneNumberId(int org) {
    return "10987654321" + org;
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return client.send(request(path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TOKEN);
  }

  /** Fails with the request, the status and the body unless the status is one of {@code statuses}. */
  static void expect(HttpResponse<String> response, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " -> "
        + response.statusCode() + " " + response.body());
  }
}
