package io.layercake.http.app;

import java.util.List;

/**
 * What the channels page shows of one organization: its WhatsApp connection and numbers, its SMS
 * sender and numbers (and whether it may buy one), each agent's webchat with the snippet that
 * puts it on a site, and its Instagram account. {@code signup}: Meta's Embedded Signup as this
 * platform opens it, null when it is not configured here.
 */
public record ChannelsView(
    boolean whatsappConnected,
    String businessAccountId,
    List<Template> templates,
    boolean mayStartConversations,
    List<Bound> whatsappNumbers,
    String smsSender,
    List<Bound> smsBindings,
    List<Number> smsNumbers,
    boolean mayBuyNumbers,
    boolean mayEdit,
    List<Webchat> webchats,
    Signup signup,
    boolean instagramConnected,
    String instagramAccountId,
    List<Bound> instagramAccounts) {

  /** What the page opens Meta's Embedded Signup with. */
  public record Signup(String appId, String configId, String graphVersion) {}

  public record Bound(String address, String agentId) {}

  /** A WhatsApp template as last synced; {@code key} ({@code name|language}) picks it in the start form. */
  public record Template(String key, String name, String language, String category, String status, String body, int parameters,
      boolean approved) {}

  public record Number(String number, String country, String monthlyPrice, String status) {}

  public record Webchat(String agentId, String agentName, boolean enabled, String allowedOrigins, String snippet) {}

  /** The SMS number wizard: the country asked, the offers there at our price, the offer chosen. */
  public record NumberWizard(String country, List<Offer> offers, Offer chosen, String problem) {}

  public record Offer(String numberKey, String number, String country, String monthlyPrice, String setupPrice) {}
}
