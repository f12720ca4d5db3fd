package io.layercake.http.billing;

import com.stripe.param.checkout.SessionCreateParams;
import io.layercake.config.BillingSettings;
import io.layercake.config.Catalog;
import io.layercake.config.CreditPack;
import io.layercake.config.Tier;
import io.layercake.http.providers.InfobipNumbers;
import io.layercake.http.providers.StripeGateway;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.billing.BillingRecords.SmsNumber;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What an organization buys through Stripe Checkout (a tier, a credit pack, an SMS number), the SMS
 * numbers on offer with our price, and disconnecting platform SMS. Every Checkout Session carries the
 * organization, the kind and what was bought in its metadata (and its subscription's), so the
 * webhook can apply it; each organization has one Stripe customer, created on its first checkout.
 */
public final class BillingService {
  private final BillingSettings settings;
  private final Catalog catalog;
  private final StripeGateway stripe;
  private final BillingRecords records;
  private final Organizations organizations;
  private final InfobipNumbers numbers;
  private final ChannelDirectory channels;
  private final Executor executor;

  public BillingService(BillingSettings settings, Catalog catalog, StripeGateway stripe, BillingRecords records,
      Organizations organizations, InfobipNumbers numbers, ChannelDirectory channels, Executor executor) {
    this.settings = settings;
    this.catalog = catalog;
    this.stripe = stripe;
    this.records = records;
    this.organizations = organizations;
    this.numbers = numbers;
    this.channels = channels;
    this.executor = executor;
  }

  /** {@code kind}: tier (with {@code tier}), credit_pack (with {@code pack}), sms_number (with {@code country} and {@code numberKey}). */
  public record CheckoutRequest(String kind, String tier, String pack, String country, String numberKey) {}

  /** An SMS number on offer, at our monthly price. */
  public record NumberOffer(String numberKey, String number, String country, long monthlyPriceCents, long setupPriceCents, String currency) {}

  /** A request billing cannot take, in words the caller can act on. */
  public static final class BillingRefusal extends RuntimeException {
    public BillingRefusal(String message) {
      super(message);
    }
  }

  public CompletionStage<StripeGateway.Checkout> checkout(String orgId, CheckoutRequest request) {
    if (settings.stripeSecretKey().isEmpty()) {
      return CompletableFuture.failedFuture(new BillingRefusal("billing is not configured (no Stripe secret key)"));
    }
    return organizations.summary(orgId).thenComposeAsync(reply -> {
      if (!(reply instanceof OrgEntity.Accepted accepted)) {
        throw new BillingRefusal("organization " + orgId + " does not exist");
      }
      if (accepted.summary().parentOrgId() != null) {
        throw new BillingRefusal("a sub-organization draws on its parent's credits; its parent pays");
      }
      String kind = request.kind() == null ? "" : request.kind();
      return switch (kind) {
        case "tier" -> records.subscriptions(orgId).thenComposeAsync(subscriptions -> {
          if (subscriptions.stream().anyMatch(existing -> existing.kind().equals(BillingRecords.Subscription.TIER)
              && (existing.status().equals("active") || existing.status().equals("trialing")))) {
            throw new BillingRefusal("the organization already subscribes to a tier; change plans on that subscription");
          }
          return session(orgId, accepted.summary().name(), tierSession(orgId, request.tier()));
        }, executor);
        case "credit_pack" -> session(orgId, accepted.summary().name(), packSession(orgId, request.pack()));
        case "sms_number" -> numberSession(orgId, accepted.summary().tier(), request)
            .thenComposeAsync(params -> session(orgId, accepted.summary().name(), params), executor);
        default -> throw new BillingRefusal("kind must be tier, credit_pack or sms_number");
      };
    }, executor);
  }

  public CompletionStage<List<NumberOffer>> offers(String country) {
    return numbers.available(country).thenApplyAsync(offers -> offers.stream()
        .map(offer -> new NumberOffer(offer.numberKey(), offer.number(), offer.country(), withMarkup(offer.monthlyPriceCents()),
            offer.setupPriceCents(), offer.currency()))
        .toList(), executor);
  }

  /**
   * Ends platform SMS for the organization: cancels each number's Stripe subscription and the number
   * at Infobip, and forgets the organization's Infobip entity. Doing it again changes nothing.
   */
  public CompletionStage<List<SmsNumber>> disconnectSms(String orgId) {
    return records.numbers(orgId).thenComposeAsync(owned -> {
      List<CompletableFuture<SmsNumber>> cancelled = new ArrayList<>();
      for (SmsNumber number : owned) {
        if (number.status() != SmsNumber.Status.CANCELLED) {
          CompletionStage<Void> subscription = number.subscriptionId() == null
              ? CompletableFuture.completedFuture(null)
              : stripe.cancelSubscription(number.subscriptionId());
          cancelled.add(subscription
              .thenComposeAsync(done -> number.status() == SmsNumber.Status.ACTIVE
                  ? numbers.cancel(number.numberKey()) : CompletableFuture.completedFuture(null), executor)
              .thenComposeAsync(done -> records.saveNumber(number.with(SmsNumber.Status.CANCELLED, null, null)), executor)
              .toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(cancelled.toArray(CompletableFuture[]::new))
          .thenComposeAsync(done -> channels.account(orgId, SmsSegments.CHANNEL), executor)
          .thenComposeAsync(account -> account.entityId() == null
              ? CompletableFuture.completedFuture(account)
              : channels.saveAccount(new ChannelAccount(orgId, SmsSegments.CHANNEL, account.accessToken(), account.senderId(), null)),
              executor)
          .thenApply(account -> cancelled.stream().map(CompletableFuture::join).toList());
    }, executor);
  }

  private SessionCreateParams.Builder tierSession(String orgId, String tierId) {
    Tier tier = catalog.tier(tierId == null ? "" : tierId).orElseThrow(() -> new BillingRefusal("unknown tier " + tierId));
    if (tier.monthlyPriceCents() == 0) {
      throw new BillingRefusal("the " + tierId + " tier is not sold through checkout (free, or arranged by hand)");
    }
    Map<String, String> metadata = Map.of("organizationId", orgId, "kind", "tier", "tier", tierId);
    return SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
        .putAllMetadata(metadata)
        .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata).build())
        .addLineItem(recurring(tier.monthlyPriceCents(), "Layercake " + capitalized(tierId) + " (monthly)"));
  }

  private SessionCreateParams.Builder packSession(String orgId, String packId) {
    CreditPack pack = catalog.creditPack(packId == null ? "" : packId).orElseThrow(() -> new BillingRefusal(
        "unknown credit pack " + packId + " (known: " + catalog.creditPacksBySize().stream().map(CreditPack::id).toList() + ")"));
    Map<String, String> metadata = Map.of("organizationId", orgId, "kind", "credit_pack", "pack", pack.id(),
        "credits", Long.toString(pack.credits()));
    return SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .putAllMetadata(metadata)
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putAllMetadata(metadata).build())
        .addLineItem(oneTime(pack.priceCents(), pack.credits() + " credits"));
  }

  /** Infobip's price for the chosen number now, plus the markup monthly; the setup fee once, on the first invoice. */
  private CompletionStage<SessionCreateParams.Builder> numberSession(String orgId, String tierId, CheckoutRequest request) {
    if (!catalog.tier(tierId).map(Tier::platformSms).orElse(false)) {
      throw new BillingRefusal("platform SMS is not included in the " + tierId + " tier");
    }
    if (request.country() == null || !request.country().matches("[A-Za-z]{2}") || request.numberKey() == null) {
      throw new BillingRefusal("an SMS number needs its country (two letters) and the numberKey of an offer");
    }
    String country = request.country().toUpperCase(Locale.ROOT);
    return numbers.available(country).thenComposeAsync(offers -> {
      InfobipNumbers.Offer offer = offers.stream().filter(candidate -> candidate.numberKey().equals(request.numberKey()))
          .findFirst().orElseThrow(() -> new BillingRefusal("number " + request.numberKey() + " is not on offer in " + country));
      SmsNumber order = new SmsNumber("num_" + UUID.randomUUID().toString().replace("-", ""), orgId, offer.numberKey(),
          offer.number(), country, withMarkup(offer.monthlyPriceCents()), offer.setupPriceCents(), offer.currency(),
          SmsNumber.Status.PENDING, null);
      return records.saveNumber(order).thenApplyAsync(saved -> {
        Map<String, String> metadata = Map.of("organizationId", orgId, "kind", "sms_number", "orderId", order.orderId(),
            "numberKey", order.numberKey());
        SessionCreateParams.Builder params = SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
            .putAllMetadata(metadata)
            .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata).build())
            .addLineItem(recurring(order.monthlyPriceCents(), "SMS number " + order.number() + " (monthly)"));
        if (order.setupPriceCents() > 0) {
          params.addLineItem(oneTime(order.setupPriceCents(), "SMS number " + order.number() + " setup"));
        }
        return params;
      }, executor);
    }, executor);
  }

  private CompletionStage<StripeGateway.Checkout> session(String orgId, String orgName, SessionCreateParams.Builder params) {
    return customer(orgId, orgName).thenComposeAsync(customer -> stripe.createCheckout(params
        .setCustomer(customer)
        .setClientReferenceId(orgId)
        .setSuccessUrl(settings.successUrl())
        .setCancelUrl(settings.cancelUrl())
        .build()), executor);
  }

  private CompletionStage<String> customer(String orgId, String orgName) {
    return records.customer(orgId).thenComposeAsync(existing -> existing.isPresent()
        ? CompletableFuture.completedFuture(existing.get())
        : stripe.createCustomer(orgId, orgName).thenComposeAsync(created -> records.saveCustomer(orgId, created), executor), executor);
  }

  private SessionCreateParams.LineItem recurring(long cents, String name) {
    return SessionCreateParams.LineItem.builder().setQuantity(1L).setPriceData(
        SessionCreateParams.LineItem.PriceData.builder()
            .setCurrency(currency())
            .setUnitAmount(cents)
            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName(name).build())
            .setRecurring(SessionCreateParams.LineItem.PriceData.Recurring.builder()
                .setInterval(SessionCreateParams.LineItem.PriceData.Recurring.Interval.MONTH).build())
            .build()).build();
  }

  private SessionCreateParams.LineItem oneTime(long cents, String name) {
    return SessionCreateParams.LineItem.builder().setQuantity(1L).setPriceData(
        SessionCreateParams.LineItem.PriceData.builder()
            .setCurrency(currency())
            .setUnitAmount(cents)
            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName(name).build())
            .build()).build();
  }

  private String currency() {
    return catalog.currency().toLowerCase(Locale.ROOT);
  }

  /** Rounded up to the cent, so the markup is never less than promised. */
  long withMarkup(long cents) {
    return (cents * (100 + settings.smsNumberMarkupPercent()) + 99) / 100;
  }

  private static String capitalized(String id) {
    return id.isEmpty() ? id : Character.toUpperCase(id.charAt(0)) + id.substring(1);
  }
}
