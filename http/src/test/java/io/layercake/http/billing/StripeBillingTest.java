package io.layercake.http.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.AdminSettings;
import io.layercake.config.BillingSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import io.layercake.http.testing.StripeCheckoutStub;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Billing end to end on a real node (H2) with Stripe and Infobip stubs on 127.0.0.1: checkout
 * requests as Stripe receives them, signed webhook fixtures applied once and in any order, and an
 * SMS number from offer to cancellation.
 */
class StripeBillingTest {
  private static final String TOKEN = "operator-token-for-tests";
  private static final String WEBHOOK_SECRET = "whsec_test_secret";
  private static final String INFOBIP_HOOK = "/webhooks/infobip/ib-webhook-token-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger IDS = new AtomicInteger();

  private static StubProvider stripe;
  private static StubProvider infobip;
  private static DatabaseSettings database;
  private static LayercakeNode node;
  private static HttpTestClient operator;
  private static HttpTestClient outside;

  @BeforeAll
  static void start(@TempDir Path dir) {
    stripe = StubProvider.start(request -> {
      int id = IDS.incrementAndGet();
      if (request.path().startsWith("/v1/customers")) {
        return StubProvider.Response.json(200, "{\"id\":\"cus_" + id + "\",\"object\":\"customer\"}");
      }
      if (request.path().startsWith("/v1/checkout/sessions")) {
        return StubProvider.Response.json(200, "{\"id\":\"cs_test_" + id + "\",\"object\":\"checkout.session\","
            + "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_" + id + "\"}");
      }
      String subscription = request.path().substring(request.path().lastIndexOf('/') + 1);
      return StubProvider.Response.json(200, "{\"id\":\"" + subscription + "\",\"object\":\"subscription\",\"status\":\"canceled\"}");
    });
    infobip = StubProvider.start(request -> {
      if (request.path().startsWith("/numbers/1/numbers/available")) {
        return StubProvider.Response.json(200, "{\"numbers\":[{\"numberKey\":\"NK-555\",\"number\":\"447700900555\",\"country\":\"GB\","
            + "\"type\":\"VIRTUAL_LONG_NUMBER\",\"capabilities\":[\"SMS\"],\"shared\":false,"
            + "\"price\":{\"pricePerMonth\":2.00,\"setupPrice\":5.00,\"initialMonthPrice\":2.00,\"currency\":\"EUR\"}}],\"numberCount\":1}");
      }
      if (request.path().startsWith("/numbers/1/numbers")) {
        return StubProvider.Response.json(request.method().equals("DELETE") ? 200 : 200,
            "{\"numberKey\":\"NK-555\",\"number\":\"447700900555\",\"country\":\"GB\"}");
      }
      if (request.path().startsWith("/provisioning")) {
        return StubProvider.Response.json(201, request.body());
      }
      return StubProvider.Response.json(200, "{\"bulkId\":\"b\",\"messages\":[{\"messageId\":\"ib-" + IDS.incrementAndGet()
          + "\",\"status\":{\"groupId\":1,\"groupName\":\"PENDING\",\"id\":26,\"name\":\"PENDING_ACCEPTED\"}}]}");
    });
    database = DatabaseSettings.h2File(dir, 4);
    LayercakeSettings defaults = TestNodes.settings(dir, database, 100);
    ChannelSettings channels = defaults.channels();
    node = LayercakeNode.start(defaults
        .withAdmin(new AdminSettings(Secret.of(TOKEN)))
        .withChannels(new ChannelSettings(channels.whatsapp(),
            new ChannelSettings.Infobip(infobip.baseUrl(), Secret.of("ib-key"), "layercake-test", "Layercake",
                Secret.of("ib-webhook-token-0123456789")),
            channels.webchat(), Duration.ofSeconds(5)))
        .withBilling(new BillingSettings(stripe.baseUrl(), Secret.of("sk_test_123"), Secret.of(WEBHOOK_SECRET),
            Duration.ofMinutes(5), "https://app.example/done", "https://app.example/cancelled", 35)));
    operator = HttpTestClient.to(node.address()).withBearer(TOKEN);
    outside = HttpTestClient.to(node.address());
    for (String org : List.of("acme", "tiered", "numbers", "broke", "double")) {
      operator.post("/admin/organizations", "{\"id\":\"" + org + "\",\"name\":\"" + org + " Ltd\",\"tier\":\"pro\"}");
    }
  }

  @AfterAll
  static void stop() {
    try {
      // the conversations' read model may still be catching up with the last SMS turns' charges
      TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(15), () -> {
            JsonNode audit = operator.get("/admin/audit/ledger").json();
            assertThat(audit.path("clean").asBoolean()).as(audit.toString()).isTrue();
            return null;
          });
    } finally {
      node.stop().toCompletableFuture().join();
      stripe.close();
      infobip.close();
    }
  }

  @Test
  void aCreditPackCheckoutCarriesItsPriceAndMetadataAndItsWebhookAddsTheCreditsOnce() {
    Response checkout = operator.post("/admin/organizations/acme/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-500\"}");
    operator.post("/admin/organizations/acme/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-100\"}");

    assertThat(checkout.status()).as(checkout.body()).isEqualTo(200);
    assertThat(checkout.json().path("url").asText()).startsWith("https://checkout.stripe.com/");
    assertThat(stripe.requestsTo("/v1/customers")).hasSize(1);
    String form = form(stripe.requestsTo("/v1/checkout/sessions").get(0));
    assertThat(form).contains("mode=payment", "line_items[0][price_data][unit_amount]=7900", "line_items[0][price_data][currency]=eur",
        "metadata[organizationId]=acme", "metadata[kind]=credit_pack", "metadata[credits]=500", "client_reference_id=acme",
        "customer=cus_");

    String event = event("evt_pack_1", "checkout.session.completed", """
        {"id":"cs_pack_1","object":"checkout.session","mode":"payment","status":"complete","payment_status":"paid",
         "customer":"cus_1","client_reference_id":"acme","metadata":{"organizationId":"acme","kind":"credit_pack","pack":"pack-500","credits":"500"}}
        """);
    Response first = signed(event);
    Response again = signed(event);

    assertThat(first.json().path("status").asText()).isEqualTo("applied");
    assertThat(again.json().path("status").asText()).isEqualTo("duplicate");
    assertThat(balance("acme").path("buckets").path("purchased").asLong()).isEqualTo(500);
  }

  @Test
  void aTierSubscriptionGrantsEachPeriodOnceAndEndsOnFreeWhateverTheOrder() {
    Response checkout = operator.post("/admin/organizations/tiered/billing/checkout", "{\"kind\":\"tier\",\"tier\":\"agency\"}");
    assertThat(checkout.status()).as(checkout.body()).isEqualTo(200);
    String form = form(stripe.requestsTo("/v1/checkout/sessions").stream()
        .filter(request -> form(request).contains("metadata[organizationId]=tiered")).findFirst().orElseThrow());
    assertThat(form).contains("mode=subscription", "line_items[0][price_data][unit_amount]=29900",
        "line_items[0][price_data][recurring][interval]=month", "subscription_data[metadata][tier]=agency");

    Instant now = Instant.now();
    signed(event("evt_tier_1", "checkout.session.completed", """
        {"id":"cs_tier_1","object":"checkout.session","mode":"subscription","payment_status":"paid","subscription":"sub_tier",
         "metadata":{"organizationId":"tiered","kind":"tier","tier":"agency"}}
        """, now));
    assertThat(summary("tiered").path("tier").asText()).isEqualTo("agency");
    assertThat(balance("tiered").path("buckets").path("monthly").asLong()).isEqualTo(2000);

    long nextMonth = YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    String renewal = event("evt_tier_2", "invoice.paid", """
        {"id":"in_1","object":"invoice","billing_reason":"subscription_cycle","status":"paid","customer":"cus_9",
         "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_tier","metadata":{"organizationId":"tiered"}}},
         "lines":{"data":[{"period":{"start":%d,"end":%d}}]}}
        """.formatted(nextMonth, nextMonth + 2_592_000), now.plusSeconds(1));
    assertThat(signed(renewal).status()).isEqualTo(200);
    assertThat(signed(event("evt_tier_2b", "invoice.paid", """
        {"id":"in_1","object":"invoice","billing_reason":"subscription_cycle","subscription":"sub_tier",
         "lines":{"data":[{"period":{"start":%d}}]}}
        """.formatted(nextMonth), now.plusSeconds(2))).status()).as("the pre-2025 shape of the same renewal").isEqualTo(200);
    assertThat(balance("tiered").path("monthlyPeriod").asText()).isEqualTo(YearMonth.now(ZoneOffset.UTC).plusMonths(1).toString());
    assertThat(balance("tiered").path("totals").path("granted").asLong()).isEqualTo(4000);

    signed(event("evt_tier_3", "customer.subscription.deleted", """
        {"id":"sub_tier","object":"subscription","status":"canceled","metadata":{"organizationId":"tiered","kind":"tier","tier":"agency"},
         "items":{"data":[{"current_period_end":%d}]}}
        """.formatted(nextMonth), now.plusSeconds(10)));
    signed(event("evt_tier_4", "customer.subscription.updated", """
        {"id":"sub_tier","object":"subscription","status":"active","metadata":{"organizationId":"tiered","kind":"tier","tier":"agency"},
         "current_period_end":%d}
        """.formatted(nextMonth), now.plusSeconds(5)));

    assertThat(summary("tiered").path("tier").asText()).as("the late update of a deleted subscription changes nothing").isEqualTo("free");
  }

  @Test
  void aRenewalOfASubscriptionThatEndedOrNeverWentLiveGrantsNothingAndSaysWhy() {
    operator.post("/admin/organizations", "{\"id\":\"lapsed\",\"name\":\"Lapsed\",\"tier\":\"free\"}");
    operator.post("/admin/organizations", "{\"id\":\"unborn\",\"name\":\"Unborn\",\"tier\":\"free\"}");
    Instant now = Instant.now();
    signed(event("evt_lapsed_1", "customer.subscription.created", """
        {"id":"sub_lapsed","object":"subscription","status":"active","metadata":{"organizationId":"lapsed","kind":"tier","tier":"agency"}}
        """, now));
    signed(event("evt_lapsed_2", "customer.subscription.deleted", """
        {"id":"sub_lapsed","object":"subscription","status":"canceled","metadata":{"organizationId":"lapsed","kind":"tier","tier":"agency"}}
        """, now.plusSeconds(1)));
    signed(event("evt_unborn_1", "customer.subscription.created", """
        {"id":"sub_unborn","object":"subscription","status":"incomplete","metadata":{"organizationId":"unborn","kind":"tier","tier":"pro"}}
        """, now));
    long nextMonth = YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    Response dead = signed(event("evt_lapsed_3", "invoice.paid", """
        {"id":"in_lapsed","object":"invoice","billing_reason":"subscription_cycle","status":"paid",
         "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_lapsed","metadata":{"organizationId":"lapsed"}}},
         "lines":{"data":[{"period":{"start":%d,"end":%d}}]}}
        """.formatted(nextMonth, nextMonth + 2_592_000), now.plusSeconds(2)));
    Response neverLive = signed(event("evt_unborn_2", "invoice.paid", """
        {"id":"in_unborn","object":"invoice","billing_reason":"subscription_cycle","status":"paid","subscription":"sub_unborn",
         "lines":{"data":[{"period":{"start":%d}}]}}
        """.formatted(nextMonth), now.plusSeconds(2)));

    assertThat(dead.json().path("status").asText()).as(dead.body()).isEqualTo("ignored");
    assertThat(dead.json().path("reason").asText()).contains("sub_lapsed", "canceled");
    assertThat(neverLive.json().path("status").asText()).as(neverLive.body()).isEqualTo("ignored");
    assertThat(neverLive.json().path("reason").asText()).contains("sub_unborn", "incomplete");
    for (String org : List.of("lapsed", "unborn")) {
      assertThat(summary(org).path("tier").asText()).isEqualTo("free");
      assertThat(balance(org).path("totals").path("granted").asLong()).as(org).isZero();
    }
    assertThat(Sql.strings(database, "SELECT reason FROM stripe_events WHERE event_id = ? AND outcome = 'ignored'", "evt_lapsed_3"))
        .singleElement().asString().contains("canceled");
  }

  @Test
  void aCheckoutLayercakeDidNotCreateIsListedWithWhyAndAnOperatorAppliesItOnce() {
    operator.post("/admin/organizations", "{\"id\":\"walkin\",\"name\":\"Walk-in\",\"tier\":\"free\"}");
    String paymentLink = event("evt_link_1", "checkout.session.completed", """
        {"id":"cs_link_1","object":"checkout.session","mode":"payment","status":"complete","payment_status":"paid",
         "amount_total":7900,"currency":"eur","payment_link":"plink_1",
         "customer_details":{"email":"owner@walkin.example","address":{"line1":"1 High Street"}},
         "metadata":{"type":"credit_pack","credits":"500"}}
        """);
    Response first = signed(paymentLink);
    Response redelivered = signed(paymentLink);
    signed(event("evt_link_refund", "charge.refunded", "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":7900}"));

    assertThat(first.json().path("status").asText()).isEqualTo("ignored");
    assertThat(first.json().path("reason").asText()).contains("not created by Layercake");
    assertThat(redelivered.json().path("status").asText()).isEqualTo("duplicate");
    assertThat(balance("walkin").path("buckets").path("purchased").asLong()).isZero();
    JsonNode listed = ignoredEvent("evt_link_1");
    assertThat(listed.path("type").asText()).isEqualTo("checkout.session.completed");
    assertThat(listed.path("reason").asText()).contains("no kind");
    assertThat(listed.path("summary").path("amount_total").asLong()).isEqualTo(7900);
    assertThat(listed.path("summary").path("customer_email").asText()).isEqualTo("owner@walkin.example");
    assertThat(listed.path("summary").path("metadata").path("type").asText()).isEqualTo("credit_pack");
    assertThat(listed.path("summary").toString()).doesNotContain("High Street");
    assertThat(listed.path("appliedTo").isNull()).isTrue();
    assertThat(ignoredEvent("evt_link_refund").path("reason").asText()).contains("charge.refunded", "not used");

    String apply = "{\"organizationId\":\"walkin\",\"credits\":500,\"appliedBy\":\"ops@layercake.example\"}";
    List<java.util.concurrent.CompletableFuture<Response>> atOnce = List.of(
        java.util.concurrent.CompletableFuture.supplyAsync(() -> operator.post("/admin/billing/events/evt_link_1/apply", apply)),
        java.util.concurrent.CompletableFuture.supplyAsync(() -> operator.post("/admin/billing/events/evt_link_1/apply", apply)));
    atOnce.forEach(response -> assertThat(response.join().status()).as(response.join().body()).isEqualTo(200));
    Response again = operator.post("/admin/billing/events/evt_link_1/apply", apply);
    Response elsewhere = operator.post("/admin/billing/events/evt_link_1/apply",
        "{\"organizationId\":\"acme\",\"credits\":500,\"appliedBy\":\"someone else\"}");

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("appliedTo").path("status").asText()).isEqualTo("applied");
    assertThat(balance("walkin").path("buckets").path("purchased").asLong()).as("applied three times, granted once").isEqualTo(500);
    assertThat(elsewhere.status()).isEqualTo(409);
    assertThat(elsewhere.json().path("error").path("message").asText()).contains("walkin", "ops@layercake.example");
    JsonNode audited = ignoredEvent("evt_link_1").path("appliedTo");
    assertThat(audited.path("orgId").asText()).isEqualTo("walkin");
    assertThat(audited.path("credits").asLong()).isEqualTo(500);
    assertThat(audited.path("by").asText()).isEqualTo("ops@layercake.example");
    assertThat(Instant.parse(audited.path("at").asText())).isBefore(Instant.now().plusSeconds(1));

    Response notACheckout = operator.post("/admin/billing/events/evt_link_refund/apply", apply);
    Response unknown = operator.post("/admin/billing/events/evt_nobody/apply", apply);
    Response fractional = operator.post("/admin/billing/events/evt_link_refund/apply",
        "{\"organizationId\":\"walkin\",\"credits\":1.5,\"appliedBy\":\"ops\"}");
    Response anonymous = operator.post("/admin/billing/events/evt_link_refund/apply", "{\"organizationId\":\"walkin\",\"credits\":5}");
    assertThat(notACheckout.status()).isEqualTo(409);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(fractional.status()).isEqualTo(400);
    assertThat(fractional.errorCode()).isEqualTo("invalid_amount");
    assertThat(anonymous.status()).isEqualTo(400);
    assertThat(operator.get("/admin/billing/events?status=lost").status()).isEqualTo(400);
    assertThat(outside.get("/admin/billing/events?status=ignored").status()).isEqualTo(401);
  }

  @Test
  void forgedOrStaleSignaturesAreRefusedAndChangeNothing() {
    String event = event("evt_forged", "checkout.session.completed", """
        {"id":"cs_forged","object":"checkout.session","payment_status":"paid",
         "metadata":{"organizationId":"broke","kind":"credit_pack","credits":"10000"}}
        """);
    long stale = Instant.now().minusSeconds(3_600).getEpochSecond();

    Response unsigned = outside.post("/webhooks/stripe", event.getBytes(StandardCharsets.UTF_8), Map.of());
    Response forged = outside.post("/webhooks/stripe", event.getBytes(StandardCharsets.UTF_8),
        Map.of("Stripe-Signature", StripeCheckoutStub.signature(event, "whsec_other", Instant.now().getEpochSecond())));
    Response old = outside.post("/webhooks/stripe", event.getBytes(StandardCharsets.UTF_8),
        Map.of("Stripe-Signature", StripeCheckoutStub.signature(event, WEBHOOK_SECRET, stale)));

    assertThat(List.of(unsigned.status(), forged.status(), old.status())).containsOnly(400);
    assertThat(forged.errorCode()).isEqualTo("invalid_signature");
    assertThat(balance("broke").path("buckets").path("purchased").asLong()).isZero();
  }

  @Test
  void stripeErrorsAndBadRequestsAreClearApiErrors() {
    operator.post("/admin/organizations/broke/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-100\"}");
    stripe.thenRespond(400, "{\"error\":{\"message\":\"Your account cannot currently make live charges.\",\"type\":\"invalid_request_error\"}}");

    Response refused = operator.post("/admin/organizations/broke/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-100\"}");

    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.errorCode()).isEqualTo("stripe_error");
    assertThat(refused.json().path("error").path("message").asText()).contains("cannot currently make live charges");
    assertThat(operator.post("/admin/organizations/broke/billing/checkout", "{\"kind\":\"tier\",\"tier\":\"enterprise\"}").status())
        .isEqualTo(400);
    assertThat(operator.post("/admin/organizations/broke/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-3\"}").status())
        .isEqualTo(400);
    assertThat(operator.post("/admin/organizations/nobody/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-100\"}").status())
        .isEqualTo(400);
  }

  @Test
  void anOrganizationsKeyWithBillingWriteStartsItsOwnCheckout() {
    String billingKey = operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"billing\",\"scopes\":[\"billing:write\"]}")
        .json().path("key").asText();
    String readKey = operator.post("/admin/organizations/acme/api-keys", "{\"name\":\"read\",\"scopes\":[\"credits:read\"]}")
        .json().path("key").asText();

    Response checkout = HttpTestClient.to(node.address()).withBearer(billingKey)
        .post("/api/v1/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-2000\"}");
    Response forbidden = HttpTestClient.to(node.address()).withBearer(readKey)
        .post("/api/v1/billing/checkout", "{\"kind\":\"credit_pack\",\"pack\":\"pack-2000\"}");

    assertThat(checkout.status()).as(checkout.body()).isEqualTo(200);
    assertThat(checkout.json().path("url").asText()).startsWith("https://checkout.stripe.com/");
    assertThat(stripe.requestsTo("/v1/checkout/sessions").stream().map(StripeBillingTest::form))
        .anyMatch(form -> form.contains("metadata[organizationId]=acme") && form.contains("metadata[pack]=pack-2000"));
    assertThat(forbidden.status()).isEqualTo(403);
  }

  @Test
  void aSecondTierSubscriptionIsRefused() {
    signed(event("evt_double_1", "customer.subscription.created", """
        {"id":"sub_double","object":"subscription","status":"active","metadata":{"organizationId":"double","kind":"tier","tier":"pro"}}
        """));

    Response second = operator.post("/admin/organizations/double/billing/checkout", "{\"kind\":\"tier\",\"tier\":\"agency\"}");

    assertThat(second.status()).isEqualTo(400);
    assertThat(second.json().path("error").path("message").asText()).contains("already subscribes");
  }

  @Test
  void aFailedPaymentNotifiesTheOrganization() {
    signed(event("evt_fail_sub", "customer.subscription.created", """
        {"id":"sub_failing","object":"subscription","status":"active","metadata":{"organizationId":"broke","kind":"tier","tier":"pro"}}
        """));
    signed(event("evt_fail_1", "invoice.payment_failed", """
        {"id":"in_failed","object":"invoice","billing_reason":"subscription_cycle","status":"open","amount_due":2900,"currency":"eur",
         "attempt_count":1,"subscription":"sub_failing"}
        """));

    assertThat(Sql.strings(database, "SELECT payload FROM notifications WHERE org_id = ? AND kind = 'billing.payment_failed'", "broke"))
        .singleElement().asString().contains("in_failed").contains("2900");
  }

  @Test
  void anSmsNumberGoesFromOfferToCheckoutToSenderToCancellation() {
    operator.post("/admin/organizations/numbers/purchases", "{\"idempotencyKey\":\"cs_numbers\",\"credits\":50}");
    operator.post("/admin/agents", """
        {"agentId": "numbers-sms", "orgId": "numbers", "name": "Numbers", "doubleTexting": "queue",
         "faq": [{"question": "When are you open?", "answer": "Always."}, {"question": "Who are you?", "answer": "A bot."}]}
        """);
    operator.post("/admin/agents/numbers-sms/channels", "{\"channel\":\"sms\",\"address\":\"+447700900100\"}");

    JsonNode offer = operator.get("/admin/sms-number-offers?country=gb").json().path("offers").path(0);
    assertThat(offer.path("monthlyPriceCents").asLong()).as("EUR 2.00 plus 35 %").isEqualTo(270);
    Response checkout = operator.post("/admin/organizations/numbers/billing/checkout",
        "{\"kind\":\"sms_number\",\"country\":\"GB\",\"numberKey\":\"NK-555\"}");
    assertThat(checkout.status()).as(checkout.body()).isEqualTo(200);
    String form = form(stripe.requestsTo("/v1/checkout/sessions").stream()
        .filter(request -> form(request).contains("metadata[organizationId]=numbers")).findFirst().orElseThrow());
    assertThat(form).contains("mode=subscription", "line_items[0][price_data][unit_amount]=270",
        "line_items[0][price_data][recurring][interval]=month", "line_items[1][price_data][unit_amount]=500",
        "metadata[kind]=sms_number", "metadata[numberKey]=NK-555");
    assertThat(form).doesNotContain("line_items[1][price_data][recurring]");
    String orderId = form.replaceAll("(?s).*metadata\\[orderId]=(num_[0-9a-f]+).*", "$1");

    String completed = event("evt_num_1", "checkout.session.completed", """
        {"id":"cs_num","object":"checkout.session","mode":"subscription","payment_status":"paid","subscription":"sub_num",
         "metadata":{"organizationId":"numbers","kind":"sms_number","orderId":"%s","numberKey":"NK-555"}}
        """.formatted(orderId));
    List<java.util.concurrent.CompletableFuture<Response>> deliveries = List.of(
        java.util.concurrent.CompletableFuture.supplyAsync(() -> signed(completed)),
        java.util.concurrent.CompletableFuture.supplyAsync(() -> signed(completed)));
    deliveries.forEach(delivery -> assertThat(delivery.join().status()).isEqualTo(200));
    assertThat(infobip.requestsTo("/numbers/1/numbers").stream().filter(request -> request.method().equals("POST")))
        .as("the same event delivered twice at once buys one number").hasSize(1);
    JsonNode purchase = infobip.requestsTo("/numbers/1/numbers").stream().filter(request -> request.method().equals("POST"))
        .findFirst().orElseThrow().json();
    assertThat(purchase.path("numberKey").asText()).isEqualTo("NK-555");
    assertThat(purchase.path("entityId").asText()).isEqualTo("org-numbers");
    assertThat(operator.get("/admin/organizations/numbers/billing").json().path("smsNumbers").path(0).path("status").asText())
        .isEqualTo("active");

    outside.post(INFOBIP_HOOK + "/sms", inbound("in-1", "31677777771", "447700900555", "org-numbers"));
    assertThat(awaitSms("31677777771").path("from").asText()).as("the number bought, which the customer wrote to")
        .isEqualTo("447700900555");

    signed(event("evt_num_2", "customer.subscription.deleted", """
        {"id":"sub_num","object":"subscription","status":"canceled",
         "metadata":{"organizationId":"numbers","kind":"sms_number","orderId":"%s","numberKey":"NK-555"}}
        """.formatted(orderId)));
    assertThat(infobip.requestsTo("/numbers/1/numbers/NK-555")).extracting(StubProvider.Request::method).containsExactly("DELETE");
    assertThat(operator.get("/admin/organizations/numbers/billing").json().path("smsNumbers").path(0).path("status").asText())
        .isEqualTo("cancelled");
    assertThat(summary("numbers").path("tier").asText()).as("a number's subscription never touches the tier").isEqualTo("pro");

    outside.post(INFOBIP_HOOK + "/sms", inbound("in-2", "31677777772", "447700900100"));
    assertThat(awaitSms("31677777772").path("from").asText()).as("the agent's own number again").isEqualTo("447700900100");

    Response disconnected = operator.send("DELETE", "/admin/organizations/numbers/channels/sms", "");
    Response again = operator.send("DELETE", "/admin/organizations/numbers/channels/sms", "");
    assertThat(disconnected.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(operator.get("/admin/organizations/numbers/channels").json().path("sms").path("entityId").isNull()).isTrue();
  }

  // ---- helpers ----

  private static Response signed(String event) {
    return outside.post("/webhooks/stripe", event.getBytes(StandardCharsets.UTF_8),
        Map.of("Stripe-Signature", StripeCheckoutStub.signature(event, WEBHOOK_SECRET, Instant.now().getEpochSecond())));
  }

  private static String event(String id, String type, String object) {
    return event(id, type, object, Instant.now());
  }

  private static String event(String id, String type, String object, Instant created) {
    return """
        {"id":"%s","object":"event","api_version":"2025-03-31.basil","created":%d,"livemode":false,"pending_webhooks":1,
         "request":{"id":null,"idempotency_key":null},"type":"%s","data":{"object":%s}}
        """.formatted(id, created.getEpochSecond(), type, object.strip());
  }

  private static String form(StubProvider.Request request) {
    return URLDecoder.decode(request.body(), StandardCharsets.UTF_8);
  }

  private static JsonNode balance(String orgId) {
    return operator.get("/admin/organizations/" + orgId + "/balance").json();
  }

  private static JsonNode ignoredEvent(String eventId) {
    Response listed = operator.get("/admin/billing/events?status=ignored");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    for (JsonNode event : listed.json().path("events")) {
      if (event.path("eventId").asText().equals(eventId)) {
        return event;
      }
    }
    throw new AssertionError(eventId + " is not listed as ignored: " + listed.body());
  }

  private static JsonNode summary(String orgId) {
    return operator.get("/admin/organizations/" + orgId).json();
  }

  private static String inbound(String messageId, String from, String to) {
    return inbound(messageId, from, to, "");
  }

  /** An inbound SMS; {@code entityId} as Infobip adds it for a number associated with an entity (empty: none). */
  private static String inbound(String messageId, String from, String to, String entityId) {
    return """
        {"results":[{"messageId":"%s","from":"%s","to":"%s","text":"When are you open?","cleanText":"When are you open?",
          "keyword":"","receivedAt":"2026-11-26T09:28:39.220+0000","smsCount":1%s}],"messageCount":1,"pendingMessageCount":0}
        """.formatted(messageId, from, to, entityId.isEmpty() ? "" : ",\"entityId\":\"" + entityId + "\"");
  }

  private static JsonNode awaitSms(String to) {
    JsonNode[] found = new JsonNode[1];
    TestProbe<Object> probe = TestProbe.create(node.system());
    probe.awaitAssert(TIMEOUT, () -> {
      List<JsonNode> sent = infobip.requestsTo("/sms/2/text/advanced").stream().map(request -> request.json().path("messages").path(0))
          .filter(message -> to.equals(message.path("destinations").path(0).path("to").asText())).toList();
      assertThat(sent).hasSize(1);
      found[0] = sent.get(0);
      return null;
    });
    return found[0];
  }
}
