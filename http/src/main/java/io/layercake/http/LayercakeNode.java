package io.layercake.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.layercake.config.HttpSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.http.admin.AdminAuthentication;
import io.layercake.http.admin.AgentAdminRoutes;
import io.layercake.http.admin.AgentImportRoutes;
import io.layercake.http.admin.ChannelAdminRoutes;
import io.layercake.http.admin.ConversationAdminRoutes;
import io.layercake.http.admin.ApiKeyAdminRoutes;
import io.layercake.http.admin.OperatorRoutes;
import io.layercake.persistence.journal.JournalInspector;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.http.admin.BillingAdminRoutes;
import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.AgentApiRoutes;
import io.layercake.http.api.BillingApiRoutes;
import io.layercake.http.api.ApiV1Routes;
import io.layercake.http.api.IdempotentRequests;
import io.layercake.persistence.access.JdbcIdempotencyKeys;
import io.layercake.http.api.contract.ApiReference;
import io.layercake.http.api.contract.OperationRoutes;
import io.layercake.http.api.ConversationApiRoutes;
import io.layercake.http.api.CreditApiRoutes;
import io.layercake.http.api.CreditUsageReport;
import io.layercake.http.api.InboxApiRoutes;
import io.layercake.http.api.Teammates;
import io.layercake.persistence.inbox.JdbcAssignments;
import io.layercake.persistence.inbox.JdbcBookingDecisions;
import io.layercake.persistence.inbox.JdbcCannedReplies;
import io.layercake.persistence.inbox.JdbcConversationNotes;
import io.layercake.persistence.inbox.JdbcReadMarks;
import io.layercake.runtime.inbox.Assignments;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.inbox.ConversationNotes;
import io.layercake.http.api.KeyApiRoutes;
import io.layercake.http.api.OrganizationApiRoutes;
import io.layercake.http.api.WebhookApiRoutes;
import io.layercake.http.providers.HttpWebhookSender;
import io.layercake.persistence.secrets.SecretKeys;
import io.layercake.http.providers.WebhookTargets;
import io.layercake.persistence.notify.JdbcWebhooks;
import io.layercake.runtime.notify.WebhookDeliverer;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import io.layercake.persistence.access.JdbcApiKeys;
import io.layercake.persistence.cluster.JdbcClusterClaims;
import io.layercake.persistence.access.JdbcOrgDirectory;
import io.layercake.http.billing.BillingService;
import io.layercake.http.billing.IgnoredStripeEvents;
import io.layercake.http.billing.StripeEvents;
import io.layercake.http.billing.StripeWebhookRoutes;
import io.layercake.http.providers.InfobipEntities;
import io.layercake.http.providers.InfobipNumbers;
import io.layercake.http.providers.StripeGateway;
import io.layercake.persistence.billing.JdbcBillingRecords;
import io.layercake.http.providers.InfobipSmsSender;
import io.layercake.http.providers.WhatsAppSender;
import io.layercake.http.webchat.WebchatChannel;
import io.layercake.http.webchat.WebchatHub;
import io.layercake.http.webchat.WebchatRoutes;
import io.layercake.http.webhooks.InfobipWebhookRoutes;
import io.layercake.persistence.channels.JdbcWebchatVisitors;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.http.webhooks.WhatsAppWebhookRoutes;
import io.layercake.persistence.channels.JdbcChannelDirectory;
import io.layercake.persistence.channels.JdbcOrganizationCountries;
import io.layercake.persistence.channels.JdbcReplyNumbers;
import io.layercake.persistence.channels.SmsBindingRepair;
import java.net.http.HttpClient;
import io.layercake.persistence.conversations.Conversations;
import io.layercake.persistence.conversations.JdbcSentMessages;
import io.layercake.runtime.channel.ChannelRouter;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.DurableChannelPort;
import io.layercake.runtime.channel.PhoneNumberEntry;
import io.layercake.http.admin.DocumentAdminRoutes;
import io.layercake.http.admin.LedgerAdminRoutes;
import io.layercake.http.admin.OrganizationAdminRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.health.HealthRoutes;
import io.layercake.http.server.ApiRoutes;
import io.layercake.http.server.CatchUp;
import io.layercake.http.server.ListedMessages;
import io.layercake.http.server.MetricsRoutes;
import io.layercake.http.server.ProcessMetrics;
import io.layercake.http.server.ProjectionLagMetrics;
import io.layercake.persistence.jdbc.ProjectionLag;
import io.layercake.runtime.metrics.LiveEntities;
import io.layercake.runtime.metrics.RuntimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.layercake.http.server.HttpServer;
import io.layercake.http.server.DurableWrites;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.credits.CreditLedger;
import io.layercake.http.demo.DemoSeed;
import io.layercake.http.admin.EmailAdminRoutes;
import io.layercake.http.api.ClientOverview;
import io.layercake.http.app.AgentsPage;
import io.layercake.http.app.AppPages;
import io.layercake.http.app.ChannelsPage;
import io.layercake.http.app.InboxChanges;
import io.layercake.http.app.NotificationsPage;
import io.layercake.http.app.Communications;
import io.layercake.http.app.LiveCounts;
import io.layercake.http.server.LiveCount;
import io.layercake.http.app.MessagesPage;
import io.layercake.http.app.FeedPage;
import io.layercake.http.app.InboxPage;
import io.layercake.http.app.BillingPage;
import io.layercake.http.app.TeamPage;
import io.layercake.http.app.WorkPage;
import io.layercake.http.api.PeopleApiRoutes;
import io.layercake.http.people.AuthRoutes;
import io.layercake.http.people.BootstrapOwner;
import io.layercake.http.people.PeopleComponents;
import io.layercake.runtime.bookings.Calendars;
import io.layercake.http.bookings.BookingApiRoutes;
import io.layercake.http.invoices.InvoiceApiRoutes;
import io.layercake.http.portal.PortalComponents;
import io.layercake.http.notifications.HandoffContactApiRoutes;
import io.layercake.http.notifications.NotificationApiRoutes;
import io.layercake.http.notifications.NotificationComponents;
import io.layercake.http.notifications.PushApiRoutes;
import io.layercake.http.messages.DirectMessageApiRoutes;
import io.layercake.persistence.messages.DirectMessageProjection;
import io.layercake.persistence.feed.BroadcastProjection;
import io.layercake.persistence.feed.JdbcFeed;
import io.layercake.http.feed.FeedApiRoutes;
import io.layercake.runtime.feed.Broadcasts;
import io.layercake.persistence.messages.JdbcMessaging;
import io.layercake.persistence.notifications.JdbcHandoffContacts;
import io.layercake.persistence.outreach.JdbcFollowupSequences;
import io.layercake.persistence.outreach.JdbcOutreach;
import io.layercake.persistence.outreach.JdbcOutreachSettings;
import io.layercake.persistence.outreach.JdbcReviewLinks;
import io.layercake.http.outreach.SequenceApiRoutes;
import io.layercake.http.replays.ReplayComponents;
import io.layercake.http.providers.InstagramSender;
import io.layercake.http.webhooks.InstagramWebhookRoutes;
import io.layercake.persistence.outreach.JdbcWhatsAppTemplates;
import io.layercake.http.outreach.OutreachApiRoutes;
import io.layercake.http.outreach.TemplateMessages;
import io.layercake.http.outreach.WhatsAppSignupRoutes;
import io.layercake.http.providers.WhatsAppSignup;
import io.layercake.http.providers.WhatsAppTemplateSource;
import io.layercake.runtime.messages.DirectThreads;
import io.layercake.http.admin.NotificationAdminRoutes;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.H2FileServer;
import io.layercake.persistence.knowledge.JdbcKnowledgeDocuments;
import io.layercake.persistence.agents.AgentListingProjection;
import io.layercake.persistence.agents.JdbcAgentImports;
import io.layercake.persistence.agents.JdbcAgentListing;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AnnouncedAgentImports;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.reference.CachedChannelDirectory;
import io.layercake.runtime.reference.CachedKnowledgeDocuments;
import io.layercake.runtime.reference.ReferenceData;
import io.layercake.runtime.agent.AgentImporter;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.FairModelGate;
import io.layercake.runtime.channel.FairChannelPort;
import io.layercake.runtime.access.Tenants;
import io.layercake.runtime.llm.HostedLanguageModel;
import io.layercake.runtime.llm.PekkoProviderExchange;
import io.layercake.runtime.llm.ProviderExchange;
import io.layercake.runtime.llm.LocalResponder;
import io.layercake.runtime.llm.ProviderRouter;
import io.layercake.runtime.setup.GuidedInterviewer;
import io.layercake.runtime.setup.SetupCredits;
import io.layercake.runtime.setup.SetupEntity;
import io.layercake.runtime.setup.Setups;
import io.layercake.runtime.setup.SetupDirectory;
import io.layercake.persistence.setup.JdbcSetupDirectory;
import io.layercake.http.setup.SetupApiRoutes;
import io.layercake.http.setup.SetupConnection;
import io.layercake.http.setup.SetupTestChat;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.DispatcherSelector;
import io.layercake.runtime.knowledge.KnowledgeLibrary;
import java.time.Clock;
import io.layercake.persistence.journal.JournalReachableCheck;
import io.layercake.persistence.schema.SchemaMigratedCheck;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.runtime.ShardedEntities;
import io.layercake.runtime.cluster.ClusterConfig;
import io.layercake.runtime.cluster.ClusterFormation;
import io.layercake.runtime.limits.RateLimits;
import io.layercake.runtime.health.ClusterMemberUpCheck;
import io.layercake.runtime.health.Readiness;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Layercake node: schema migrated, actor system in its cluster, entities sharded, HTTP bound. */
public final class LayercakeNode {
  private static final Logger log = LoggerFactory.getLogger(LayercakeNode.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  /** How many model timeouts a call may wait for its turn at the fair gate before its conversation gives up on it. */
  private static final int MODEL_QUEUE_TIMEOUTS = 3;
  /** The provider pool's size (runtime's reference.conf): the sends in flight at once on this node. */
  private static final String PROVIDER_POOL_SIZE = "layercake-provider-dispatcher.thread-pool-executor.fixed-pool-size";
  /** A conversation waits 30 s for a send; a send waits its turn at most this less its own timeout, so none is made late. */
  private static final Duration SEND_BUDGET = Duration.ofSeconds(25);
  private static final Duration JOURNAL_CHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration PROVIDER_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RATE_LIMIT_TIMEOUT = Duration.ofSeconds(2);
  // A write that the writer reads back next waits at most this long for a projection (about a second behind).
  private static final Duration READ_MODEL_CATCH_UP = Duration.ofSeconds(5);
  private static final Duration READ_MODEL_POLL = Duration.ofMillis(50);

  private static final Duration DEMO_SEED_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DEMO_SEED_ASK_TIMEOUT = Duration.ofSeconds(20);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final Optional<DemoSeed.Seeded> demo;
  private final Optional<String> bootstrapLink;
  private final PrometheusMeterRegistry meterRegistry;

  private LayercakeNode(ActorSystem<Void> system, ServerBinding binding, Optional<DemoSeed.Seeded> demo,
      Optional<String> bootstrapLink, PrometheusMeterRegistry meterRegistry) {
    this.system = system;
    this.binding = binding;
    this.demo = demo;
    this.bootstrapLink = bootstrapLink;
    this.meterRegistry = meterRegistry;
  }

  /**
   * Starts a node and returns once it listens. Migrations run first, before anything touches the
   * journal. Throws {@link StartupException} with a one-line reason when it cannot start.
   */
  public static LayercakeNode start(LayercakeSettings settings) {
    return start(settings, WhenStopped.KEEP_JVM);
  }

  /** As {@link #start(LayercakeSettings)}; a server process passes {@link WhenStopped#EXIT_JVM}. */
  public static LayercakeNode start(LayercakeSettings settings, WhenStopped whenStopped) {
    ensurePortFree(settings.http());
    SchemaMigrations.SchemaVersion schema = migrate(settings);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM_NAME, pekkoConfig(settings, whenStopped));
    H2FileServer.start(settings.database())
        .ifPresent(fileServer -> system.getWhenTerminated().thenRun(fileServer::close));
    try {
      ClusterFormation.join(system, settings.cluster());
      ShardedEntities.init(system, settings);
      // Subscribed to changes from the start; the caches fill as turns read.
      ReferenceData referenceData = ReferenceData.get(system);
      ApplicationDatabase database = ApplicationDatabase.start(system, settings.database());
      CreditLedger ledger = CreditLedger.start(system, settings, database);
      KnowledgeLibrary library = new KnowledgeLibrary(
          new CachedKnowledgeDocuments(new JdbcKnowledgeDocuments(database, Clock.systemUTC()), referenceData),
          database.blockingExecutor(), Clock.systemUTC());
      AgentDirectory agentDirectory = new AgentDirectory(system, settings.entities().askTimeout());
      AgentListingProjection.init(system, database);
      DirectMessageProjection.init(system, database);
      BroadcastProjection.init(system, database);
      io.layercake.persistence.bookings.CalendarProjection.init(system, database);
      Executor modelExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig("layercake-llm-dispatcher"));
      // One JDK client for the other calls to providers (streamed answers, channels, billing): its own work runs on
      // the dispatcher, so it starts no threads; calls on a conversation's path block a model- or provider-pool thread.
      HttpClient providerClient = HttpClient.newBuilder().connectTimeout(PROVIDER_CONNECT_TIMEOUT)
          .executor(system.executionContext()).build();
      JdbcOrgDirectory orgDirectory = new JdbcOrgDirectory(database);
      // an agency and its clients share one fair share of the model and provider pools
      Tenants tenants = new Tenants(orgDirectory, system.executionContext());
      // the model pool's places shared fairly between organizations: one client's burst waits behind itself
      // whole answers hold a pooled connection, not a thread, while the model thinks; streamed ones a model-pool thread
      ProviderExchange modelExchange = new PekkoProviderExchange(system, settings.llm().maxConcurrentCalls(),
          PROVIDER_CONNECT_TIMEOUT, settings.llm().timeout().plus(PROVIDER_CONNECT_TIMEOUT));
      FairModelGate hostedModels = new FairModelGate(
          new HostedLanguageModel(settings.llm(), modelExchange, modelExecutor, providerClient, system.scheduler()),
          settings.llm().maxConcurrentCalls(), settings.llm().timeout().multipliedBy(MODEL_QUEUE_TIMEOUTS),
          request -> tenants.of(request.agent().orgId()), modelExecutor);
      AgentResponder responder = new AgentResponder(
          agentDirectory, library.documents(),
          new PromptAssembler(SystemKnowledge.bundled(), settings.agents().knowledgeCharacterCap()),
          new ProviderRouter(new LocalResponder(), hostedModels),
          settings.llm().timeout(), settings.llm().timeout().multipliedBy(MODEL_QUEUE_TIMEOUTS), system.executionContext());
      JdbcChannelDirectory storedChannels =
          new JdbcChannelDirectory(database, SecretKeys.box(settings.secrets(), settings.dataDir()), Clock.systemUTC());
      storedChannels.encryptPlainTokens().toCompletableFuture().join();
      ChannelDirectory channels = new CachedChannelDirectory(storedChannels, referenceData);
      SmsBindingRepair.run(database).whenCompleteAsync((rewritten, failure) -> {
        if (failure != null) {
          log.warn("SMS bindings could not be rewritten into E.164 ({}); they are tried again at the next start",
              failure.getMessage());
        }
        // it writes past the cached directory: a binding read meanwhile is read again
        referenceData.changed(ReferenceData.CHANNELS, null);
      }, system.executionContext());
      JdbcOrganizationCountries countries = new JdbcOrganizationCountries(database, Clock.systemUTC());
      PhoneNumberEntry phoneNumbers =
          new PhoneNumberEntry(countries, settings.channels().defaultCountry(), system.executionContext());
      JdbcReplyNumbers replyNumbers = new JdbcReplyNumbers(database, Clock.systemUTC());
      PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RuntimeMetrics metrics = new RuntimeMetrics(meterRegistry);
      metrics.bulkhead("model", hostedModels::load);
      ProcessMetrics.bind(system, meterRegistry);
      io.micrometer.core.instrument.Gauge.builder("layercake.live.streams", LiveCount::open)
          .description("server-sent event streams open on this node (dashboard tabs, API clients)").register(meterRegistry);
      database.reportTo(meterRegistry);
      ProjectionLagMetrics.start(system, new ProjectionLag(database, Clock.systemUTC()), meterRegistry);
      WebchatHub webchatHub = WebchatHub.start(system);
      Executor providerExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig("layercake-provider-dispatcher"));
      JdbcBillingRecords billingRecords = new JdbcBillingRecords(database, Clock.systemUTC());
      InfobipEntities infobipEntities = new InfobipEntities(settings.channels().infobip(), settings.channels().sendTimeout(), channels,
          providerClient, system.executionContext());
      InfobipNumbers infobipNumbers = new InfobipNumbers(settings.channels().infobip(), settings.channels().sendTimeout(),
          providerClient, system.executionContext());
      Calendars calendars = new Calendars(system, settings.entities().askTimeout());
      // the public base URL, or once bound the node's own address (links in messages and emails lead there)
      AtomicReference<String> baseUrl = new AtomicReference<>(settings.http().publicBaseUrl());
      JdbcOutreachSettings outreachSettings = new JdbcOutreachSettings(database);
      JdbcFollowupSequences followupSequences = new JdbcFollowupSequences(database);
      JdbcReviewLinks reviewLinks = new JdbcReviewLinks(database, baseUrl::get);
      // the provider pool's places shared fairly between organizations, as the model pool's are
      FairChannelPort fairSends = new FairChannelPort(new ChannelRouter(Map.of(
          WebchatChannel.CHANNEL, new WebchatChannel(webchatHub, Clock.systemUTC()),
          // test conversations are delivered like webchat ones: stored, and pushed to whoever waits (the setup's test chat)
          SetupTestChat.CHANNEL, new WebchatChannel(webchatHub, Clock.systemUTC()),
          WhatsAppSender.CHANNEL, new WhatsAppSender(settings.channels().whatsapp(), settings.channels().sendTimeout(), channels,
              providerClient, providerExecutor, Clock.systemUTC()),
          InstagramSender.CHANNEL, new InstagramSender(settings.channels().whatsapp(), settings.channels().sendTimeout(), channels,
              providerClient, providerExecutor, Clock.systemUTC()),
          SmsSegments.CHANNEL, new InfobipSmsSender(settings.channels().infobip(), settings.http().publicBaseUrl(),
              settings.channels().sendTimeout(), channels,
              infobipEntities, ledger.organizations(), settings.catalog(), billingRecords, replyNumbers, providerClient,
              providerExecutor)), metrics), system.settings().config().getInt(PROVIDER_POOL_SIZE),
              sendWait(settings.channels().sendTimeout()), tenants::of, providerExecutor);
      metrics.bulkhead("provider", fairSends::load);
      // a reply reaches its provider only once the conversation's record of it is durable
      ChannelPort sends = new DurableChannelPort(fairSends, database.durability());
      ShardedEntities.initSessions(system, settings, responder, sends,
          metrics, calendars, new JdbcOutreach(outreachSettings, followupSequences, reviewLinks));
      Conversations conversations = Conversations.start(system, settings, database);
      JournalInspector journalInspector = new JournalInspector(system, database);
      ReplayComponents replays = ReplayComponents.start(system, settings, database, journalInspector, conversations.listing(), responder);
      BillingService billingService = new BillingService(settings.billing(), settings.catalog(),
          new StripeGateway(settings.billing(), providerExecutor), billingRecords, ledger.organizations(), infobipNumbers,
          channels, system.executionContext());
      BillingAdminRoutes billingAdmin = new BillingAdminRoutes(billingService, billingRecords,
          new IgnoredStripeEvents(billingRecords, ledger.organizations(), Clock.systemUTC(), system.executionContext()));
      DocumentAdminRoutes documentAdmin = new DocumentAdminRoutes(library, ledger.organizations(), settings.agents().maxDocumentBytes(),
          settings.agents().knowledgeCharacterCap());
      ChannelAdminRoutes channelAdmin = new ChannelAdminRoutes(channels, agentDirectory, countries, phoneNumbers);
      JdbcWebhooks webhooks = new JdbcWebhooks(database, Clock.systemUTC());
      WebhookTargets webhookTargets = WebhookTargets.of(settings.webhooks(), WebhookTargets.DNS);
      ClusterSingleton.get(system).init(SingletonActor.of(
          Behaviors.supervise(WebhookDeliverer.create(webhooks,
                  new HttpWebhookSender(system, webhookTargets, providerExecutor, settings.webhooks().timeout(),
                      Clock.systemUTC()),
                  settings.webhooks(),
                  Clock.systemUTC(), metrics))
              .onFailure(SupervisorStrategy.restart()),
          "webhook-deliverer").withStopMessage(WebhookDeliverer.STOP));
      system.systemActorOf(LiveEntities.create(List.of(OrgEntity.TYPE_KEY, AgentEntity.TYPE_KEY, SessionEntity.TYPE_KEY), metrics,
          Duration.ofSeconds(5)), "live-entities", org.apache.pekko.actor.typed.Props.empty());
      JdbcApiKeys apiKeys = new JdbcApiKeys(database, Clock.systemUTC());
      RateLimits rateLimits = RateLimits.start(system, RATE_LIMIT_TIMEOUT, Clock.systemUTC());
      // links in emails: the public base URL, else (known once the node listens) its own address
      PeopleComponents people = PeopleComponents.start(system, settings, database,
          SecretKeys.box(settings.secrets(), settings.dataDir()), rateLimits, orgDirectory, baseUrl::get, providerExecutor);
      NotificationComponents notifications = NotificationComponents.start(system, settings, database,
          SecretKeys.box(settings.secrets(), settings.dataDir()), people.mailer(), providerClient, webhookTargets, baseUrl::get,
          providerExecutor);
      JdbcHandoffContacts handoffContacts = new JdbcHandoffContacts(database);
      JdbcWhatsAppTemplates whatsAppTemplates = new JdbcWhatsAppTemplates(database);
      JdbcMessaging messaging = new JdbcMessaging(database);
      JdbcFeed feed = new JdbcFeed(database);
      DirectThreads directThreads = new DirectThreads(system, settings.entities().askTimeout());
      ErrorHandling errorHandling = new ErrorHandling(settings.http().maxRequestBytes());
      OperationRoutes operations = new OperationRoutes(errorHandling);
      ApiAccess apiAccess = new ApiAccess(apiKeys, people.authentication(), orgDirectory, operations,
          new IdempotentRequests(new JdbcIdempotencyKeys(database, Clock.systemUTC()),
              settings.http().maxRequestBytes(), settings.agents().maxDocumentBytes(), system.executionContext()),
          system.executionContext());
      ClientOverview clientOverview = new ClientOverview(orgDirectory, conversations.listing(), ledger.reports(), reviewLinks,
          Clock.systemUTC(),
          system.executionContext());
      CreditUsageReport creditUsage = new CreditUsageReport(ledger.reports(), system.executionContext());
      CatchUp readModels = new CatchUp(READ_MODEL_CATCH_UP, READ_MODEL_POLL, system.executionContext());
      ListedMessages listedMessages = new ListedMessages(conversations.sessions(), conversations.listing(), readModels,
          system.executionContext());
      AgentImporter agentImporter = new AgentImporter(agentDirectory,
          new AnnouncedAgentImports(new JdbcAgentImports(database, Clock.systemUTC()), referenceData),
          phoneNumbers,
          Clock.systemUTC(), system.executionContext());
      AgentImportRoutes agentImports = new AgentImportRoutes(agentImporter, ledger.organizations(), settings.agents().maxDocumentBytes());
      ShardedEntities.initSetups(system, new SetupEntity.Dependencies(
          new ProviderRouter(new GuidedInterviewer(), hostedModels),
          SetupCredits.of(ledger.organizations()), SystemKnowledge.bundled(), settings.catalog().costs().aiReply(),
          settings.llm().timeout(), settings.entities(), Clock.systemUTC()));
      SetupDirectory setupDirectory = new JdbcSetupDirectory(database);
      Setups setups = new Setups(system, settings.entities().askTimeout(), settings.llm().timeout().multipliedBy(4));
      Assignments assignments = new JdbcAssignments(database, Clock.systemUTC());
      ConversationNotes notes = new JdbcConversationNotes(database, Clock.systemUTC());
      CannedReplies cannedReplies = new JdbcCannedReplies(database, Clock.systemUTC());
      Teammates teammates = new Teammates(people.people(), orgDirectory, system.executionContext());
      InboxPage inboxPage = new InboxPage(conversations.listing(), conversations.sessions(), orgDirectory, assignments, notes,
          new JdbcReadMarks(database, Clock.systemUTC()), cannedReplies, teammates, journalInspector::timeline, whatsAppTemplates,
          system.executionContext());
      io.layercake.persistence.bookings.JdbcAppointments appointments = new io.layercake.persistence.bookings.JdbcAppointments(database);
      PortalComponents portal = PortalComponents.start(system, settings.portal(), database, people, orgDirectory, inboxPage,
          ledger.reports(), calendars, appointments, library.documents(), handoffContacts, notifications.notifications(),
          new InboxChanges(conversations.listing()), baseUrl::get, providerExecutor);
      BookingApiRoutes bookingApi = new BookingApiRoutes(apiAccess, calendars, appointments, conversations.sessions(), baseUrl::get,
          portal::displayName,
          Clock.systemUTC(), system.executionContext());
      InvoiceApiRoutes invoiceApi = new InvoiceApiRoutes(apiAccess, new io.layercake.persistence.invoices.JdbcInvoices(database),
          conversations.sessions(), portal::displayName, baseUrl::get, Clock.systemUTC(), database.blockingExecutor());
      io.layercake.persistence.contacts.JdbcContacts contacts = new io.layercake.persistence.contacts.JdbcContacts(database);
      SequenceApiRoutes sequenceApi = new SequenceApiRoutes(apiAccess, agentDirectory, followupSequences, conversations.listing(),
          conversations.sessions(), reviewLinks, Clock.systemUTC());
      ApiV1Routes api = new ApiV1Routes(apiAccess, new ApiReference(operations, BuildInfo.version()), List.of(
          new ConversationApiRoutes(apiAccess, conversations.sessions(), conversations.listing(),
              journalInspector::timeline, listedMessages, new TemplateMessages(whatsAppTemplates), system.executionContext())::routes,
          new InboxApiRoutes(apiAccess, conversations.listing(), assignments, notes, cannedReplies, teammates,
              new JdbcBookingDecisions(database, Clock.systemUTC()), orgDirectory, system.executionContext())::routes,
          new OrganizationApiRoutes(apiAccess, ledger.organizations(), orgDirectory, clientOverview, system.executionContext(),
              Clock.systemUTC(), readModels)::routes,
          new CreditApiRoutes(apiAccess, ledger.organizations(), ledger.reports(), creditUsage, Clock.systemUTC())::routes,
          new KeyApiRoutes(apiAccess, apiKeys)::routes,
          new WebhookApiRoutes(apiAccess, webhooks, webhookTargets, providerExecutor)::routes,
          new AgentApiRoutes(apiAccess, agentDirectory, new JdbcAgentListing(database), documentAdmin, channelAdmin,
              agentImports)::routes,
          new BillingApiRoutes(apiAccess, billingAdmin)::routes,
          new SetupApiRoutes(apiAccess, setups, new SetupConnection(setups, agentImporter, library.documents(), Clock.systemUTC(),
              system.executionContext()),
              new SetupTestChat(agentImporter, library.documents(), conversations.sessions(), webchatHub,
                  settings.channels().webchat().replyTimeout(), system.executionContext()), setupDirectory)::routes,
          new PeopleApiRoutes(apiAccess, people.people(), people.invitations(), people.sessions(), people.signIn(), portal.places(),
              people.tokens(),
              orgDirectory, ledger.organizations(), settings.people().sessionIdle(), Clock.systemUTC(), system.executionContext())::routes,
          new NotificationApiRoutes(apiAccess, notifications.notifications(), notifications.pushSubscriptions(),
              notifications.settings().pushover().enabled(), notifications.settings().digestHourUtc(), Clock.systemUTC(),
              system.executionContext())::routes,
          new HandoffContactApiRoutes(apiAccess, handoffContacts, people.people(), Clock.systemUTC(), system.executionContext())::routes,
          new WhatsAppSignupRoutes(apiAccess, settings.channels().whatsapp(), new WhatsAppSignup(settings.channels().whatsapp(),
              settings.channels().sendTimeout(), providerClient, providerExecutor), channels, agentDirectory,
              system.executionContext())::routes,
          new OutreachApiRoutes(apiAccess, whatsAppTemplates, new WhatsAppTemplateSource(settings.channels().whatsapp(),
              settings.channels().sendTimeout(), providerClient, providerExecutor, Clock.systemUTC()), outreachSettings, channels,
              conversations.sessions(),
              Clock.systemUTC(), system.executionContext())::routes,
          sequenceApi::routes,
          replays.api(apiAccess, agentDirectory)::routes,
          new DirectMessageApiRoutes(apiAccess, directThreads, messaging,
              Clock.systemUTC(), system.executionContext())::routes,
          new FeedApiRoutes(apiAccess, feed, new Broadcasts(system, settings.entities().askTimeout()), orgDirectory,
              Clock.systemUTC())::routes,
          new PushApiRoutes(apiAccess, notifications.pushSubscriptions(), notifications.applicationServerKey(), webhookTargets,
              Clock.systemUTC(), providerExecutor)::routes,
          portal.api(apiAccess)::routes,
          bookingApi::routes,
          invoiceApi::routes,
          new io.layercake.http.contacts.ContactApiRoutes(apiAccess, contacts, Clock.systemUTC())::routes));
      Readiness readiness = new Readiness(
          List.of(
              new SchemaMigratedCheck(schema),
              new JournalReachableCheck(system, JOURNAL_CHECK_TIMEOUT),
              new ClusterMemberUpCheck(system)),
          system.executionContext());
      ApiRoutes routes = new ApiRoutes(
          errorHandling,
          new HealthRoutes(readiness),
          new AdminAuthentication(settings.admin()),
          new OrganizationAdminRoutes(ledger.organizations(), settings.catalog()),
          new LedgerAdminRoutes(ledger.reports(), ledger.audit()),
          new AgentAdminRoutes(agentDirectory, ledger.organizations(), responder, new JdbcAgentListing(database)),
          documentAdmin,
          agentImports,
          new ConversationAdminRoutes(conversations.sessions(), conversations.listing(), agentDirectory),
          channelAdmin,
          new WhatsAppWebhookRoutes(settings.channels().whatsapp(), channels, conversations.sessions(), whatsAppTemplates,
              Clock.systemUTC()),
          new InstagramWebhookRoutes(settings.channels().whatsapp(), channels, conversations.sessions(), system.executionContext()),
          new InfobipWebhookRoutes(settings.channels().infobip(), channels, conversations.sessions(), replyNumbers,
              new JdbcSentMessages(database), system.executionContext()),
          new WebchatRoutes(settings.channels().webchat(), agentDirectory, ledger.organizations(), settings.catalog(),
              new JdbcWebchatVisitors(database, Clock.systemUTC()), conversations.sessions(), conversations.listing(), webchatHub,
              rateLimits, listedMessages,
              operations, system.executionContext(), Clock.systemUTC()),
          new StripeWebhookRoutes(settings.billing(), new StripeEvents(settings.catalog(), billingRecords, ledger.organizations(),
              infobipEntities, infobipNumbers, system.executionContext())),
          billingAdmin,
          new ApiKeyAdminRoutes(apiKeys, ledger.organizations()),
          new OperatorRoutes(system, journalInspector, ledger.organizations(), agentDirectory, conversations.sessions(),
              List.of(OrgEntity.TYPE_KEY, AgentEntity.TYPE_KEY, SessionEntity.TYPE_KEY)),
          api,
          new MetricsRoutes(meterRegistry, settings.http().metricsToken()),
          new AuthRoutes(people.signIn(), people.authentication(), people.sessions(), people.tokens(), settings.people()),
          new EmailAdminRoutes(people.outbox()),
          new NotificationAdminRoutes(notifications.platformMessages(), Clock.systemUTC()),
          new AppPages(people.authentication(), people.people(), orgDirectory, clientOverview,
              new TeamPage(people.people(), people.invitations(), apiKeys, webhooks, cannedReplies, Clock.systemUTC(),
                  system.executionContext()),
              new WorkPage(conversations.listing(), orgDirectory, system.executionContext()),
              new BillingPage(ledger.organizations(), ledger.reports(), creditUsage, orgDirectory, settings.catalog(), Clock.systemUTC(),
                  system.executionContext()),
              new AgentsPage(new JdbcAgentListing(database), agentDirectory, library.documents(), settings.agents().knowledgeCharacterCap(),
                  followupSequences, replays.replays(), system.executionContext()),
              inboxPage,
              new InboxChanges(conversations.listing()),
              new ChannelsPage(channels, whatsAppTemplates, billingRecords, billingService, new JdbcAgentListing(database), agentDirectory,
                  ledger.organizations(), settings.catalog(), baseUrl::get, settings.channels().whatsapp(),
                  system.executionContext()),
              setups, setupDirectory,
              new Communications(new NotificationsPage(notifications.notifications(), notifications.pushSubscriptions(),
                  notifications.settings().pushover().enabled(), notifications.applicationServerKey(),
                  notifications.settings().digestHourUtc(), system.executionContext()),
                  new MessagesPage(directThreads, messaging, system.executionContext()),
                  new FeedPage(feed),
                  new LiveCounts(notifications.notifications(), messaging, feed)),
              portal.views(),
              Clock.systemUTC(), system.executionContext()),
          portal.pages(),
          bookingApi,
          invoiceApi,
          sequenceApi,
          new DurableWrites(database.durability()));
      ServerBinding binding = HttpServer.start(system, settings.http(), routes.routes())
          .toCompletableFuture()
          .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      log.info("Listening on http://{}:{}", binding.localAddress().getHostString(), binding.localAddress().getPort());
      if (baseUrl.get().isEmpty()) {
        baseUrl.set("http://" + browsable(settings.http().host()) + ":" + binding.localAddress().getPort());
      }
      logShutdownSteps(system);
      // a cluster that is still placing its first shards can take longer than a request may
      Optional<DemoSeed.Seeded> demo = seedDemo(new DemoSeed(settings.demo(), journalInspector,
          new Organizations(system, DEMO_SEED_ASK_TIMEOUT), new AgentDirectory(system, DEMO_SEED_ASK_TIMEOUT),
          library, apiKeys, new JdbcClusterClaims(database, Clock.systemUTC()), people.people(), people.signIn(),
          org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address().toString(), system.executionContext()));
      Optional<String> bootstrapLink = bootstrapOwner(new BootstrapOwner(new Organizations(system, DEMO_SEED_ASK_TIMEOUT), people.people(),
          people.signIn(), system.executionContext()), settings.people().bootstrapOwnerEmail());
      return new LayercakeNode(system, binding, demo, bootstrapLink, meterRegistry);
    } catch (Exception e) {
      system.terminate();
      if (rootCause(e) instanceof java.net.BindException) {
        throw new StartupException("port " + settings.http().port() + " on " + settings.http().host()
            + " is in use by another process; stop it or set LAYERCAKE_HTTP_PORT", e, true);
      }
      throw new StartupException("could not listen on " + settings.http().host() + ":" + settings.http().port() + ": " + rootMessage(e), e);
    }
  }

  /** A host a browser on this machine can open: a wildcard listen address is reached on loopback. */
  private static String browsable(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1" : host;
  }

  /** The first platform admin's sign-in link, when this start created them. */
  private static Optional<String> bootstrapOwner(BootstrapOwner bootstrap, String email) {
    try {
      return bootstrap.createIfNone(email).toCompletableFuture().get(DEMO_SEED_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.warn("The first platform admin could not be created: {}", rootMessage(e));
      return Optional.empty();
    }
  }

  /** The demo is a convenience: a node whose seeding fails still serves, and says why. */
  private static Optional<DemoSeed.Seeded> seedDemo(DemoSeed seed) {
    try {
      return seed.seedIfEmpty().toCompletableFuture().get(DEMO_SEED_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.warn("The demo could not be seeded: {}", rootMessage(e));
      return Optional.empty();
    }
  }

  private static void logShutdownSteps(ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "log-stopping", () -> {
      log.info("Layercake stopping ({}): no new requests, draining in-flight ones",
          shutdown.getShutdownReason().map(Object::toString).orElse("unknown reason"));
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "log-stopped", () -> {
      log.info("Layercake stopped: requests drained, cluster left");
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  private static SchemaMigrations.SchemaVersion migrate(LayercakeSettings settings) {
    try {
      return SchemaMigrations.migrate(settings.database());
    } catch (RuntimeException e) {
      throw new StartupException("could not migrate the database at " + settings.database().url() + ": " + rootMessage(e), e);
    }
  }

  /** The node's configuration: HTTP limits and JVM exit on top of the database and cluster settings. */
  static Config pekkoConfig(LayercakeSettings settings, WhenStopped whenStopped) {
    long maxBytes = settings.http().maxRequestBytes();
    return ConfigFactory.parseMap(
            Map.of(
                "pekko.http.server.parsing.max-content-length", maxBytes,
                "pekko.http.server.parsing.max-to-strict-bytes", maxBytes,
                "pekko.http.server.remote-address-attribute", "on",
                "pekko.coordinated-shutdown.exit-jvm", whenStopped == WhenStopped.EXIT_JVM ? "on" : "off"),
            "layercake http settings")
        .withFallback(NodeConfig.pekkoConfig(settings));
  }

  public InetSocketAddress address() {
    return binding.localAddress();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The node's metrics, as {@code /metrics} shows them; benchmarks read the percentiles. */
  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** What this node seeded on its first start (the demo's API key, shown once); empty otherwise. */
  public Optional<DemoSeed.Seeded> demo() {
    return demo;
  }

  /** The sign-in link of the first platform admin, when this start created them ({@code LAYERCAKE_BOOTSTRAP_OWNER_EMAIL}). */
  public Optional<String> bootstrapLink() {
    return bootstrapLink;
  }

  /**
   * Runs CoordinatedShutdown: unbind, drain requests, leave the cluster, stop the system. Completes once the
   * system's own termination future has completed: CoordinatedShutdown's future can complete a moment
   * earlier, because both are completed by separate callbacks on the same underlying termination.
   */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .thenCompose(done -> system.getWhenTerminated());
  }

  /**
   * Says at once, in one line, that another process has the port, before the node starts its cluster
   * for nothing (the bind below still decides: another process may take the port in between).
   */
  private static void ensurePortFree(HttpSettings http) {
    if (http.port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(http.host(), http.port()));
    } catch (java.net.BindException e) {
      throw new StartupException("port " + http.port() + " on " + http.host()
          + " is in use by another process; stop it or set LAYERCAKE_HTTP_PORT", e, true);
    } catch (java.io.IOException e) {
      throw new StartupException("could not listen on " + http.host() + ":" + http.port() + ": " + e.getMessage(), e);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = rootCause(failure);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** Whether the JVM ends with the node. */
  public enum WhenStopped {
    /** A server process: a node that is stopped, downed or fails ends the process, so a supervisor restarts it. */
    EXIT_JVM,
    /** Tests and tools that run nodes inside a longer-lived JVM. */
    KEEP_JVM
  }

  /** The node could not start; the message is one line saying why. */
  public static final class StartupException extends RuntimeException {
    private final boolean portInUse;

    StartupException(String message, Throwable cause) {
      this(message, cause, false);
    }

    StartupException(String message, Throwable cause, boolean portInUse) {
      super(message, cause);
      this.portInUse = portInUse;
    }

    /** Another process listens on the configured port. */
    public boolean portInUse() {
      return portInUse;
    }
  }

  /** How long a send may wait its turn: what is left of its conversation's patience after its own timeout (at least 1 s). */
  private static Duration sendWait(Duration sendTimeout) {
    Duration left = SEND_BUDGET.minus(sendTimeout);
    return left.compareTo(Duration.ofSeconds(1)) >= 0 ? left : Duration.ofSeconds(1);
  }
}
