package io.layercake.config;

import java.time.Duration;

/**
 * Where the channel providers are and how we talk to them.
 *
 * @param sendTimeout how long one outbound call to a provider may take
 * @param defaultCountry the ISO 3166-1 alpha-2 country in which typed national phone numbers
 *     ({@code 020 7946 0958}) are read for organizations without a default country of their own;
 *     empty: none, such numbers need {@code +} and the country code
 */
public record ChannelSettings(
    WhatsApp whatsapp, Infobip infobip, Webchat webchat, Duration sendTimeout, String defaultCountry) {

  /** Settings without a platform default country. */
  public ChannelSettings(WhatsApp whatsapp, Infobip infobip, Webchat webchat, Duration sendTimeout) {
    this(whatsapp, infobip, webchat, sendTimeout, "");
  }

  /**
   * The WhatsApp Cloud API: the Graph API base URL and version, the Meta app's secret (it signs
   * every webhook) and the verify token of the webhook handshake. Empty secrets disable the webhook.
   * {@code appId} and {@code signupConfigId} (the Facebook Login for Business configuration) enable
   * Embedded Signup; empty: organizations connect by pasting a token.
   */
  public record WhatsApp(String graphBaseUrl, String apiVersion, Secret appSecret, Secret verifyToken, String appId,
      String signupConfigId) {

    /** Without Embedded Signup. */
    public WhatsApp(String graphBaseUrl, String apiVersion, Secret appSecret, Secret verifyToken) {
      this(graphBaseUrl, apiVersion, appSecret, verifyToken, "", "");
    }

    /** Embedded Signup needs the app's id, its secret (the code is exchanged with both) and the login configuration. */
    public boolean embeddedSignup() {
      return !appId.isEmpty() && !signupConfigId.isEmpty() && !appSecret.isEmpty();
    }

    /** The same, with Embedded Signup's app id and configuration. */
    public WhatsApp withEmbeddedSignup(String appId, String signupConfigId) {
      return new WhatsApp(graphBaseUrl, apiVersion, appSecret, verifyToken, appId, signupConfigId);
    }
  }

  /**
   * Infobip CPaaS X: the account's API base URL and key, the platform's application id (each
   * organization is an entity under it), the sender used when an organization has none of its own,
   * and the token in the inbound webhook URLs (Infobip does not sign its webhooks).
   */
  public record Infobip(String baseUrl, Secret apiKey, String applicationId, String defaultSender, Secret webhookToken) {}

  /**
   * The webchat API: how long a message waits for its reply before answering "accepted", how long
   * an idle visitor session lives, and the per-visitor message rate of free and paid tiers.
   */
  public record Webchat(Duration replyTimeout, Duration sessionIdleExpiry, int freeMessagesPerMinute, int paidMessagesPerMinute) {}
}
