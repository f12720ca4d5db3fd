package io.layercake.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.config.DatabaseSettings;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.Organizations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's organization endpoints on a real node (H2): authentication, validation, idempotent grants. */
class OrganizationAdminRoutesTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static LayercakeNode node;
  private static HttpTestClient anonymous;
  private static HttpTestClient operator;

  @BeforeAll
  static void start(@TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, DatabaseSettings.h2File(dir, 4), 100)
        .withAdmin(new AdminSettings(Secret.of(TOKEN)));
    node = LayercakeNode.start(settings);
    anonymous = HttpTestClient.to(node.address());
    operator = anonymous.withBearer(TOKEN);
  }

  @AfterAll
  static void stop() {
    node.stop().toCompletableFuture().join();
  }

  @Test
  void refusesRequestsWithoutTheOperatorToken() {
    Response missing = anonymous.get("/admin/organizations/acme");
    Response wrong = anonymous.withBearer("not-the-operator-token").get("/admin/organizations/acme");

    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.errorCode()).isEqualTo("unauthorized");
    assertThat(wrong.status()).isEqualTo(401);
  }

  @Test
  void createsReadsAndGrantsOncePerPeriod() {
    Response created = operator.post("/admin/organizations", "{\"id\":\"salon\",\"name\":\"Salon Ada\",\"tier\":\"agency\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("tier").asText()).isEqualTo("agency");

    String grant = "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":2000}";
    assertThat(operator.post("/admin/organizations/salon/grants", grant).status()).isEqualTo(200);
    Response duplicate = operator.post("/admin/organizations/salon/grants", grant);

    assertThat(duplicate.status()).isEqualTo(200);
    assertThat(duplicate.json().path("buckets").path("monthly").asLong()).isEqualTo(2000);
    assertThat(operator.get("/admin/organizations/salon/balance").json().path("available").asLong()).isEqualTo(2000);
  }

  @Test
  void generatesAnIdWhenNoneIsGiven() {
    Response created = operator.post("/admin/organizations", "{\"name\":\"Yoga Studio\",\"tier\":\"free\"}");

    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(id).startsWith("org_");
    assertThat(operator.get("/admin/organizations/" + id).status()).isEqualTo(200);
  }

  @Test
  void createsASubOrganizationOnlyUnderAnExistingParent() {
    operator.post("/admin/organizations", "{\"id\":\"agency-1\",\"name\":\"Agency\",\"tier\":\"agency\"}");

    Response child = operator.post("/admin/organizations",
        "{\"id\":\"plumber-1\",\"name\":\"Plumber\",\"tier\":\"free\",\"parentOrgId\":\"agency-1\"}");
    Response orphan = operator.post("/admin/organizations",
        "{\"id\":\"plumber-2\",\"name\":\"Plumber\",\"tier\":\"free\",\"parentOrgId\":\"no-such-agency\"}");

    assertThat(child.status()).isEqualTo(201);
    assertThat(child.json().path("parentOrgId").asText()).isEqualTo("agency-1");
    assertThat(orphan.status()).isEqualTo(400);
    assertThat(orphan.json().path("error").path("message").asText()).contains("no-such-agency");
    assertThat(operator.get("/admin/organizations/plumber-2").status()).isEqualTo(404);
  }

  @Test
  void addsPurchasedCreditsOncePerKeyAndChangesTheTier() {
    operator.post("/admin/organizations", "{\"id\":\"studio\",\"name\":\"Studio\",\"tier\":\"free\"}");

    operator.post("/admin/organizations/studio/purchases", "{\"idempotencyKey\":\"cs_1\",\"credits\":500}");
    Response duplicate = operator.post("/admin/organizations/studio/purchases", "{\"idempotencyKey\":\"cs_1\",\"credits\":500}");
    Response tier = operator.post("/admin/organizations/studio/tier", "{\"tier\":\"pro\",\"idempotencyKey\":\"evt_1\"}");

    assertThat(duplicate.json().path("buckets").path("purchased").asLong()).isEqualTo(500);
    assertThat(tier.json().path("tier").asText()).isEqualTo("pro");
  }

  @Test
  void aSubOrganizationShowsTheBalanceOfItsParentsPool() {
    operator.post("/admin/organizations", "{\"id\":\"pool\",\"name\":\"Agency\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations", "{\"id\":\"pool-child\",\"name\":\"Client\",\"tier\":\"free\",\"parentOrgId\":\"pool\"}");
    operator.post("/admin/organizations/pool/grants", "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":2000}");

    Response balance = operator.get("/admin/organizations/pool-child/balance");
    Response grantToChild = operator.post("/admin/organizations/pool-child/grants", "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":5}");
    Response grandchild = operator.post("/admin/organizations", "{\"id\":\"grandchild\",\"name\":\"G\",\"tier\":\"free\",\"parentOrgId\":\"pool-child\"}");

    assertThat(balance.json().path("poolOrgId").asText()).isEqualTo("pool");
    assertThat(balance.json().path("available").asLong()).isEqualTo(2000);
    assertThat(grantToChild.status()).isEqualTo(400);
    assertThat(grandchild.status()).isEqualTo(400);
  }

  @Test
  void aPoolWithNothingToSpendIsExhaustedInTheOperatorsAndTheApisView() {
    operator.post("/admin/organizations", "{\"id\":\"empty\",\"name\":\"Empty\",\"tier\":\"free\"}");
    operator.post("/admin/organizations", "{\"id\":\"empty-child\",\"name\":\"C\",\"tier\":\"free\",\"parentOrgId\":\"empty\"}");
    operator.post("/admin/organizations", "{\"id\":\"boundless\",\"name\":\"B\",\"tier\":\"enterprise\"}");
    String key = operator.post("/admin/organizations/empty/api-keys", "{\"name\":\"dash\",\"scopes\":[\"credits:read\"]}")
        .json().path("key").asText();

    assertThat(operator.get("/admin/organizations/empty/balance").json().path("exhausted").asBoolean()).isTrue();
    assertThat(operator.get("/admin/organizations/empty-child/balance").json().path("exhausted").asBoolean()).isTrue();
    assertThat(anonymous.withBearer(key).get("/api/v1/credits").json().path("exhausted").asBoolean()).isTrue();
    assertThat(operator.get("/admin/organizations/boundless/balance").json().path("exhausted").asBoolean())
        .as("an unlimited tier is never exhausted").isFalse();

    operator.post("/admin/organizations/empty/purchases", "{\"idempotencyKey\":\"cs_empty\",\"credits\":5}");
    assertThat(anonymous.withBearer(key).get("/api/v1/credits").json().path("exhausted").asBoolean()).isFalse();
  }

  @Test
  void reportsUsagePerAgentAndAnAuditOfTheLedger() {
    operator.post("/admin/organizations", "{\"id\":\"usage-pool\",\"name\":\"Agency\",\"tier\":\"agency\"}");
    operator.post("/admin/organizations", "{\"id\":\"usage-client\",\"name\":\"Client\",\"tier\":\"free\",\"parentOrgId\":\"usage-pool\"}");
    operator.post("/admin/organizations/usage-pool/grants", "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":100}");
    Organizations organizations = new Organizations(node.system(), Duration.ofSeconds(5));
    organizations.reserve("usage-client", "turn-1", 3, "session-1", "agent-7").toCompletableFuture().join();
    organizations.commit("usage-client", "turn-1", 3, List.of(new CostLine("llm_reply", 1), new CostLine("tool:book", 2)))
        .toCompletableFuture().join();

    ActorTestKit.create(node.system()).createTestProbe().awaitAssert(Duration.ofSeconds(15), () -> {
      Response usage = operator.get("/admin/organizations/usage-pool/usage");
      assertThat(usage.json().path("totalCredits").asLong()).isEqualTo(3);
      assertThat(usage.json().path("byAgent").get(0).path("agentId").asText()).isEqualTo("agent-7");
      assertThat(usage.json().path("byAgent").get(0).path("subOrgId").asText()).isEqualTo("usage-client");
      assertThat(usage.json().path("topSessions").get(0).path("sessionId").asText()).isEqualTo("session-1");
      return null;
    });
    Response audit = operator.get("/admin/audit/ledger");
    assertThat(audit.json().path("violations").size()).as(audit.body()).isZero();
    // reserved and committed here directly (on the agency's pool), for a conversation that never existed: the cross-check says so
    assertThat(audit.json().path("clean").asBoolean()).as(audit.body()).isFalse();
    assertThat(audit.json().path("chargeDifferences").toString())
        .contains("{\"sessionId\":\"session-1\",\"orgId\":\"usage-pool\",\"recorded\":0,\"charged\":3}");
    assertThat(operator.get("/admin/organizations/usage-pool/usage?from=yesterday").status()).isEqualTo(400);
    assertThat(operator.get("/admin/organizations/usage-pool/usage?to=+300000000-01-01T00:00:00Z").status()).isEqualTo(400);
    assertThat(operator.post("/admin/organizations/usage-pool/purchases",
        "{\"idempotencyKey\":\"" + "k".repeat(200) + "\",\"credits\":5}").status()).isEqualTo(400);
    assertThat(operator.post("/admin/organizations/usage-pool/grants",
        "{\"periodKey\":\"2026-2\",\"bucket\":\"monthly\",\"amount\":5}").status()).isEqualTo(400);
  }

  @Test
  void amountsAreWholeJsonNumbersAndAnythingElseIsRefusedWithoutBeingStored() {
    operator.post("/admin/organizations", "{\"id\":\"exact\",\"name\":\"Exact\",\"tier\":\"pro\"}");

    for (String amount : List.of("1.5", "\"100\"", "1e2", "2.0", "true", "99999999999999999999", "{}", "[100]", "null")) {
      Response purchase = operator.post("/admin/organizations/exact/purchases",
          "{\"idempotencyKey\":\"cs_" + amount.hashCode() + "\",\"credits\":" + amount + "}");
      Response grant = operator.post("/admin/organizations/exact/grants",
          "{\"periodKey\":\"2026-11\",\"bucket\":\"monthly\",\"amount\":" + amount + "}");

      for (Response refused : List.of(purchase, grant)) {
        assertThat(refused.status()).as(amount + ": " + refused.body()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("invalid_amount");
        assertThat(refused.json().path("error").path("message").asText()).contains("whole number");
      }
    }
    Response zeroPurchase = operator.post("/admin/organizations/exact/purchases", "{\"idempotencyKey\":\"cs_0\",\"credits\":0}");
    assertThat(zeroPurchase.status()).isEqualTo(400);
    assertThat(zeroPurchase.errorCode()).isEqualTo("invalid_amount");
    JsonNode balance = operator.get("/admin/organizations/exact/balance").json();
    assertThat(balance.path("totals").path("granted").asLong()).isZero();
    assertThat(balance.path("totals").path("purchased").asLong()).isZero();

    assertThat(operator.post("/admin/organizations/exact/purchases", "{\"idempotencyKey\":\"cs_ok\",\"credits\":100}").status())
        .isEqualTo(200);
    assertThat(operator.get("/admin/organizations/exact/balance").json().path("buckets").path("purchased").asLong()).isEqualTo(100);
  }

  @Test
  void answersConflictsAndBadInputWithJsonErrorsAndChangesNothing() {
    operator.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Acme\",\"tier\":\"pro\"}");

    Response conflict = operator.post("/admin/organizations", "{\"id\":\"acme\",\"name\":\"Other\",\"tier\":\"pro\"}");
    Response unknownTier = operator.post("/admin/organizations", "{\"id\":\"x\",\"name\":\"X\",\"tier\":\"platinum\"}");
    Response badId = operator.post("/admin/organizations", "{\"id\":\"a/b\",\"name\":\"X\",\"tier\":\"pro\"}");
    Response malformed = operator.post("/admin/organizations/acme/grants", "{\"periodKey\":");
    Response negative = operator.post("/admin/organizations/acme/grants", "{\"periodKey\":\"p\",\"bucket\":\"daily\",\"amount\":-5}");
    Response badBucket = operator.post("/admin/organizations/acme/grants", "{\"periodKey\":\"p\",\"bucket\":\"weekly\",\"amount\":5}");
    Response unknownOrg = operator.post("/admin/organizations/nobody/grants", "{\"periodKey\":\"p\",\"bucket\":\"daily\",\"amount\":5}");

    assertThat(conflict.status()).isEqualTo(409);
    assertThat(unknownTier.status()).isEqualTo(400);
    assertThat(unknownTier.json().path("error").path("message").asText()).contains("enterprise");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(negative.status()).isEqualTo(400);
    assertThat(badBucket.status()).isEqualTo(400);
    assertThat(unknownOrg.status()).isEqualTo(404);
    assertThat(unknownOrg.errorCode()).isEqualTo("organization_not_found");
    assertThat(operator.get("/admin/organizations/acme").json().path("name").asText()).isEqualTo("Acme");
    assertThat(operator.get("/admin/organizations/acme/balance").json().path("buckets").path("daily").asLong()).isZero();
  }
}
