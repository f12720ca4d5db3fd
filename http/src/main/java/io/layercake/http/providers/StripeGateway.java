package io.layercake.http.providers;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.layercake.config.BillingSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Stripe's API through stripe-java: customers, Checkout Sessions, subscription cancellation.
 * stripe-java blocks, so every call runs on the given executor (never an actor or route thread);
 * Stripe's refusals come back as {@link StripeFailure} with Stripe's own message.
 */
public final class StripeGateway {
  private final StripeClient client;
  private final Executor executor;

  public StripeGateway(BillingSettings settings, Executor executor) {
    this.client = StripeClient.builder()
        .setApiKey(settings.stripeSecretKey().reveal())
        .setApiBase(settings.stripeApiBase())
        .setMaxNetworkRetries(1)
        .setConnectTimeout(5_000)
        .setReadTimeout(15_000)
        .build();
    this.executor = executor;
  }

  /** A new customer for the organization; the idempotency key makes a retried creation return the same one. */
  public CompletionStage<String> createCustomer(String orgId, String name) {
    return call(() -> client.v1().customers().create(
        CustomerCreateParams.builder().setName(name).putMetadata("organizationId", orgId).build(),
        RequestOptions.builder().setIdempotencyKey("customer-" + orgId).build()).getId());
  }

  public CompletionStage<Checkout> createCheckout(SessionCreateParams params) {
    return call(() -> {
      Session session = client.v1().checkout().sessions().create(params);
      return new Checkout(session.getId(), session.getUrl());
    });
  }

  public CompletionStage<Void> cancelSubscription(String subscriptionId) {
    return call(() -> {
      client.v1().subscriptions().cancel(subscriptionId);
      return null;
    });
  }

  private <T> CompletionStage<T> call(StripeCall<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.run();
      } catch (StripeException e) {
        throw new CompletionException(new StripeFailure(e.getStatusCode() == null ? 502 : e.getStatusCode(),
            e.getStripeError() != null && e.getStripeError().getMessage() != null ? e.getStripeError().getMessage() : e.getMessage()));
      }
    }, executor);
  }

  /** A Checkout Session: where to send the payer. */
  public record Checkout(String sessionId, String url) {}

  /** Stripe refused or could not be reached; {@code status} is Stripe's HTTP status. */
  public static final class StripeFailure extends RuntimeException {
    private final int status;

    StripeFailure(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  @FunctionalInterface
  private interface StripeCall<T> {
    T run() throws StripeException;
  }
}
