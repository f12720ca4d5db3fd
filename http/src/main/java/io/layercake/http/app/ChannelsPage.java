package io.layercake.http.app;

import io.layercake.config.Catalog;
import io.layercake.http.api.Caller;
import io.layercake.http.billing.BillingService;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentListing;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Reads the channels page and the SMS number wizard (country, then Infobip's offers at our price,
 * then the chosen number, then Stripe Checkout). Changes go through the REST API.
 */
public final class ChannelsPage {
  private final ChannelDirectory channels;
  private final WhatsAppTemplates templates;
  private final BillingRecords billing;
  private final BillingService billingService;
  private final AgentListing listing;
  private final AgentDirectory agents;
  private final Organizations organizations;
  private final Catalog catalog;
  private final Supplier<String> baseUrl;
  private final ChannelsView.Signup signup;
  private final Executor executor;

  public ChannelsPage(ChannelDirectory channels, WhatsAppTemplates templates, BillingRecords billing, BillingService billingService,
      AgentListing listing, AgentDirectory agents, Organizations organizations, Catalog catalog, Supplier<String> baseUrl,
      io.layercake.config.ChannelSettings.WhatsApp whatsApp, Executor executor) {
    this.signup = whatsApp.embeddedSignup()
        ? new ChannelsView.Signup(whatsApp.appId(), whatsApp.signupConfigId(), whatsApp.apiVersion()) : null;
    this.channels = channels;
    this.templates = templates;
    this.billing = billing;
    this.billingService = billingService;
    this.listing = listing;
    this.agents = agents;
    this.organizations = organizations;
    this.catalog = catalog;
    this.baseUrl = baseUrl;
    this.executor = executor;
  }

  public CompletionStage<ChannelsView> view(Caller caller) {
    String orgId = caller.orgId();
    CompletableFuture<List<Binding>> bindings = channels.bindings(orgId).toCompletableFuture();
    CompletableFuture<ChannelAccount> whatsapp = channels.account(orgId, "whatsapp").toCompletableFuture();
    CompletableFuture<ChannelAccount> sms = channels.account(orgId, "sms").toCompletableFuture();
    CompletableFuture<List<BillingRecords.SmsNumber>> numbers = billing.numbers(orgId).toCompletableFuture();
    CompletableFuture<Boolean> platformSms = mayHavePlatformNumbers(orgId).toCompletableFuture();
    CompletableFuture<List<ChannelsView.Webchat>> webchats = webchats(orgId).toCompletableFuture();
    CompletableFuture<List<WhatsAppTemplate>> synced = templates.of(orgId).toCompletableFuture();
    CompletableFuture<ChannelAccount> instagram = channels.account(orgId, "instagram").toCompletableFuture();
    return CompletableFuture.allOf(bindings, whatsapp, sms, numbers, platformSms, webchats, synced, instagram).thenApplyAsync(done -> new ChannelsView(
        !whatsapp.join().accessToken().isEmpty(),
        whatsapp.join().entityId() == null ? "" : whatsapp.join().entityId(),
        synced.join().stream().map(template -> new ChannelsView.Template(template.name() + "|" + template.language(), template.name(),
            template.language(), template.category().toLowerCase(Locale.ROOT), template.status().toLowerCase(Locale.ROOT), template.body(),
            template.parameters().size(), template.approved())).toList(),
        caller.scopes().contains(Scopes.CONVERSATIONS_WRITE),
        bound(bindings.join(), "whatsapp"),
        sms.join().senderId() == null ? "" : sms.join().senderId(),
        bound(bindings.join(), "sms"),
        numbers.join().stream().map(number -> new ChannelsView.Number(number.number(), number.country(),
            price(number.monthlyPriceCents(), number.currency()) + " a month", number.status().name().toLowerCase(Locale.ROOT))).toList(),
        platformSms.join() && caller.scopes().contains(Scopes.BILLING_WRITE),
        caller.scopes().contains(Scopes.AGENTS_WRITE),
        webchats.join(),
        signup,
        !instagram.join().accessToken().isEmpty(),
        instagram.join().entityId() == null ? "" : instagram.join().entityId(),
        bound(bindings.join(), "instagram")), executor);
  }

  /** The wizard's step: no country yet, the offers of a country, or the offer chosen there. */
  public CompletionStage<ChannelsView.NumberWizard> wizard(Optional<String> country, Optional<String> numberKey) {
    Optional<String> code = country.map(value -> value.strip().toUpperCase(Locale.ROOT)).filter(value -> value.matches("[A-Z]{2}"));
    if (code.isEmpty()) {
      return CompletableFuture.completedFuture(new ChannelsView.NumberWizard("", List.of(), null,
          country.isPresent() ? "Choose a country by its two-letter code, such as GB or NL." : null));
    }
    return billingService.offers(code.get()).handle((offers, failure) -> {
      if (failure != null) {
        return new ChannelsView.NumberWizard(code.get(), List.of(), null,
            "Infobip did not answer with numbers for " + code.get() + " just now; try again in a minute.");
      }
      List<ChannelsView.Offer> shown = offers.stream().map(offer -> new ChannelsView.Offer(offer.numberKey(), offer.number(),
          offer.country(), price(offer.monthlyPriceCents(), offer.currency()) + " a month", price(offer.setupPriceCents(),
          offer.currency()))).toList();
      ChannelsView.Offer chosen = numberKey.flatMap(key -> shown.stream().filter(offer -> offer.numberKey().equals(key)).findFirst())
          .orElse(null);
      return new ChannelsView.NumberWizard(code.get(), shown, chosen,
          shown.isEmpty() ? "No SMS numbers are on offer in " + code.get() + " right now." : null);
    });
  }

  private CompletionStage<Boolean> mayHavePlatformNumbers(String orgId) {
    return organizations.summary(orgId).thenApply(reply -> reply instanceof OrgEntity.Accepted accepted
        && accepted.summary().parentOrgId() == null
        && catalog.tier(accepted.summary().tier()).map(tier -> tier.platformSms()).orElse(false));
  }

  private CompletionStage<List<ChannelsView.Webchat>> webchats(String orgId) {
    return listing.list(orgId, false).thenComposeAsync(found -> {
      List<CompletableFuture<Optional<ChannelsView.Webchat>>> each = found.stream()
          .map(summary -> agents.get(summary.agentId()).thenApply(reply -> reply instanceof AgentEntity.Agent agent
              ? Optional.of(new ChannelsView.Webchat(agent.agentId(), agent.config().name(), agent.config().webchat().enabled(),
                  String.join("\n", agent.config().webchat().allowedOrigins()), snippet(agent.agentId())))
              : Optional.<ChannelsView.Webchat>empty()).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
          .thenApply(done -> each.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }, executor);
  }

  private String snippet(String agentId) {
    return "<script src=\"" + baseUrl.get() + "/widget.js\" data-agent-id=\"" + agentId + "\" async></script>";
  }

  private static List<ChannelsView.Bound> bound(List<Binding> bindings, String channel) {
    return bindings.stream().filter(binding -> binding.channel().equals(channel))
        .map(binding -> new ChannelsView.Bound(binding.address(), binding.agentId())).toList();
  }

  private static String price(long cents, String currency) {
    return BigDecimal.valueOf(cents, 2).toPlainString() + " " + (currency == null ? "" : currency.toUpperCase(Locale.ROOT));
  }
}
