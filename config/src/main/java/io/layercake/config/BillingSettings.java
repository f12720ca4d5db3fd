package io.layercake.config;

import java.time.Duration;

/**
 * Stripe: the API base (a local stub in tests), the secret key, the webhook endpoint's signing
 * secret and how old a signed timestamp may be; where Checkout sends the payer back; and the markup
 * on Infobip's monthly price of an SMS number.
 */
public record BillingSettings(
    String stripeApiBase,
    Secret stripeSecretKey,
    Secret stripeWebhookSecret,
    Duration webhookTolerance,
    String successUrl,
    String cancelUrl,
    int smsNumberMarkupPercent) {}
