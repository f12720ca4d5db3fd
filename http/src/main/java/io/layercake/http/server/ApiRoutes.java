package io.layercake.http.server;

import io.layercake.http.admin.AdminAuthentication;
import io.layercake.http.admin.AgentAdminRoutes;
import io.layercake.http.admin.AgentImportRoutes;
import io.layercake.http.admin.ApiKeyAdminRoutes;
import io.layercake.http.admin.EmailAdminRoutes;
import io.layercake.http.admin.NotificationAdminRoutes;
import io.layercake.http.app.AppPages;
import io.layercake.http.portal.PortalPages;
import io.layercake.http.bookings.BookingApiRoutes;
import io.layercake.http.invoices.InvoiceApiRoutes;
import io.layercake.http.people.AuthRoutes;
import io.layercake.http.admin.OperatorRoutes;
import io.layercake.http.admin.BillingAdminRoutes;
import io.layercake.http.api.ApiV1Routes;
import io.layercake.http.admin.ChannelAdminRoutes;
import io.layercake.http.billing.StripeWebhookRoutes;
import io.layercake.http.admin.ConversationAdminRoutes;
import io.layercake.http.webchat.WebchatRoutes;
import io.layercake.http.webhooks.InfobipWebhookRoutes;
import io.layercake.http.webhooks.WhatsAppWebhookRoutes;
import io.layercake.http.admin.DocumentAdminRoutes;
import io.layercake.http.admin.LedgerAdminRoutes;
import io.layercake.http.admin.OrganizationAdminRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.health.HealthRoutes;
import io.layercake.http.web.WebPages;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node, behind one error handling. */
public final class ApiRoutes extends AllDirectives {
  private final ErrorHandling errorHandling;
  private final HealthRoutes health;
  private final AdminAuthentication adminAuthentication;
  private final OrganizationAdminRoutes organizationAdmin;
  private final LedgerAdminRoutes ledgerAdmin;
  private final AgentAdminRoutes agentAdmin;
  private final DocumentAdminRoutes documentAdmin;
  private final AgentImportRoutes agentImports;
  private final ConversationAdminRoutes conversationAdmin;
  private final ChannelAdminRoutes channelAdmin;
  private final WhatsAppWebhookRoutes whatsappWebhook;
  private final InfobipWebhookRoutes infobipWebhook;
  private final WebchatRoutes webchat;
  private final StripeWebhookRoutes stripeWebhook;
  private final BillingAdminRoutes billingAdmin;
  private final ApiKeyAdminRoutes apiKeyAdmin;
  private final OperatorRoutes operatorRoutes;
  private final ApiV1Routes api;
  private final MetricsRoutes metrics;
  private final AuthRoutes auth;
  private final EmailAdminRoutes emailAdmin;
  private final NotificationAdminRoutes notificationAdmin;
  private final AppPages appPages;
  private final PortalPages portalPages;
  private final BookingApiRoutes bookings;
  private final InvoiceApiRoutes invoices;
  private final io.layercake.http.outreach.SequenceApiRoutes sequences;
  private final io.layercake.http.webhooks.InstagramWebhookRoutes instagramWebhook;
  private final RequestLog requestLog = new RequestLog();
  private final DurableWrites durableWrites;
  private final WebPages webPages = new WebPages();

  public ApiRoutes(
      ErrorHandling errorHandling,
      HealthRoutes health,
      AdminAuthentication adminAuthentication,
      OrganizationAdminRoutes organizationAdmin,
      LedgerAdminRoutes ledgerAdmin,
      AgentAdminRoutes agentAdmin,
      DocumentAdminRoutes documentAdmin,
      AgentImportRoutes agentImports,
      ConversationAdminRoutes conversationAdmin,
      ChannelAdminRoutes channelAdmin,
      WhatsAppWebhookRoutes whatsappWebhook,
      io.layercake.http.webhooks.InstagramWebhookRoutes instagramWebhook,
      InfobipWebhookRoutes infobipWebhook,
      WebchatRoutes webchat,
      StripeWebhookRoutes stripeWebhook,
      BillingAdminRoutes billingAdmin,
      ApiKeyAdminRoutes apiKeyAdmin,
      OperatorRoutes operatorRoutes,
      ApiV1Routes api,
      MetricsRoutes metrics,
      AuthRoutes auth,
      EmailAdminRoutes emailAdmin,
      NotificationAdminRoutes notificationAdmin,
      AppPages appPages,
      PortalPages portalPages,
      BookingApiRoutes bookings,
      InvoiceApiRoutes invoices,
      io.layercake.http.outreach.SequenceApiRoutes sequences,
      DurableWrites durableWrites) {
    this.durableWrites = durableWrites;
    this.invoices = invoices;
    this.sequences = sequences;
    this.portalPages = portalPages;
    this.bookings = bookings;
    this.notificationAdmin = notificationAdmin;
    this.appPages = appPages;
    this.auth = auth;
    this.emailAdmin = emailAdmin;
    this.errorHandling = errorHandling;
    this.health = health;
    this.adminAuthentication = adminAuthentication;
    this.organizationAdmin = organizationAdmin;
    this.ledgerAdmin = ledgerAdmin;
    this.agentAdmin = agentAdmin;
    this.documentAdmin = documentAdmin;
    this.agentImports = agentImports;
    this.conversationAdmin = conversationAdmin;
    this.channelAdmin = channelAdmin;
    this.whatsappWebhook = whatsappWebhook;
    this.instagramWebhook = instagramWebhook;
    this.infobipWebhook = infobipWebhook;
    this.webchat = webchat;
    this.stripeWebhook = stripeWebhook;
    this.billingAdmin = billingAdmin;
    this.apiKeyAdmin = apiKeyAdmin;
    this.operatorRoutes = operatorRoutes;
    this.api = api;
    this.metrics = metrics;
  }

  private final RouteLabel labels = new RouteLabel();

  /**
   * The whole tree, built once here: the Java DSL calls a directive's inner supplier for every
   * request that reaches it, so wrappers build their inner route before they wrap it.
   */
  public Route routes() {
    Route admin = admin();
    // Metrics label each group by a fixed template (the API labels each operation): labels never hold an id or a token.
    return requestLog.logged(() -> metrics.measured(() -> errorHandling.wrap(() -> durableWrites.awaited(() -> concat(
        labels.labelled("/health/{check}", health::routes),
        metrics.routes(),
        labels.labelled("(portal domain)/**", portalPages::customDomains),
        labels.labelled("/{page}", webPages::routes),
        labels.labelled("/schemas/agent-config.json", agentImports::publicRoutes),
        labels.labelled("/webhooks/whatsapp", whatsappWebhook::routes),
        labels.labelled("/webhooks/instagram", instagramWebhook::routes),
        labels.labelled("/webhooks/infobip/{token}/{kind}", infobipWebhook::routes),
        labels.labelled("/api/v1/webchat/**", webchat::routes),
        labels.labelled("/webhooks/stripe", stripeWebhook::routes),
        labels.labelled("/auth/**", auth::routes),
        labels.labelled("/app/**", appPages::routes),
        labels.labelled("/portal/**", portalPages::routes),
        labels.labelled("/portal-domains/check", portalPages::domainCheck),
        labels.labelled("/calendar-feeds/{token}.ics", bookings::feed),
        labels.labelled("/invoice-links/{token}", invoices::links),
        labels.labelled("/r/{token}", sequences::links),
        labels.labelled("/.well-known/jwks.json", auth::jwks),
        api.routes(),
        pathPrefix("admin", () -> admin))))));
  }

  private Route admin() {
    return labels.labelled("/admin/**", () -> adminAuthentication.requireOperator(() -> concat(
        ledgerAdmin.routes(), documentAdmin.routes(), agentImports.routes(), conversationAdmin.routes(), channelAdmin.routes(),
        billingAdmin.routes(), apiKeyAdmin.routes(), operatorRoutes.routes(), emailAdmin.routes(), notificationAdmin.routes(),
        organizationAdmin.routes(), agentAdmin.routes())));
  }
}
