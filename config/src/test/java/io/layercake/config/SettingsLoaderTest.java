package io.layercake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {

  /** Base64 of 32 bytes: a valid secrets key. */
  private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  /** A valid value for every deployment setting, as an operator would put it in the environment. */
  private static final Map<String, String> SAMPLE_ENVIRONMENT =
      Map.ofEntries(
          Map.entry("LAYERCAKE_DATA_DIR", "/var/lib/layercake"),
          Map.entry("LAYERCAKE_HTTP_HOST", "0.0.0.0"),
          Map.entry("LAYERCAKE_HTTP_PORT", "9090"),
          Map.entry("LAYERCAKE_HTTP_MAX_REQUEST_SIZE", "2m"),
          Map.entry("LAYERCAKE_HTTP_SHUTDOWN_DEADLINE", "3s"),
          Map.entry("LAYERCAKE_HTTP_PUBLIC_BASE_URL", "https://layercake.example.com/"),
          Map.entry("LAYERCAKE_HTTP_METRICS_TOKEN", "scrape-token-0123456789"),
          Map.entry("LAYERCAKE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/layercake"),
          Map.entry("LAYERCAKE_DB_USER", "app"),
          Map.entry("LAYERCAKE_DB_PASSWORD", "s3cret"),
          Map.entry("LAYERCAKE_DB_POOL_SIZE", "12"),
          Map.entry("LAYERCAKE_DB_APP_POOL_SIZE", "3"),
          Map.entry("LAYERCAKE_CREDITS_RESERVATION_TTL", "90s"),
          Map.entry("LAYERCAKE_CREDITS_SWEEP_INTERVAL", "10s"),
          Map.entry("LAYERCAKE_CREDITS_LOW_CREDIT_PERCENT", "25"),
          Map.entry("LAYERCAKE_AGENTS_KNOWLEDGE_CHARACTER_CAP", "30000"),
          Map.entry("LAYERCAKE_AGENTS_MAX_DOCUMENT_SIZE", "5m"),
          Map.entry("LAYERCAKE_AGENTS_REFERENCE_CACHE_MAX_ENTRIES", "500"),
          Map.entry("LAYERCAKE_AGENTS_REFERENCE_CACHE_TTL", "30s"),
          Map.entry("LAYERCAKE_AGENTS_REPLAYS_POLL_INTERVAL", "2s"),
          Map.entry("LAYERCAKE_AGENTS_REPLAYS_PARALLEL", "2"),
          Map.entry("LAYERCAKE_AGENTS_REPLAYS_TURNS_PER_REPLAY", "3"),
          Map.entry("LAYERCAKE_AGENTS_REPLAYS_MAX_TURNS", "50"),
          Map.entry("LAYERCAKE_AGENTS_REPLAYS_DEFAULT_BUDGET", "300"),
          Map.entry("LAYERCAKE_LLM_TIMEOUT", "20s"),
          Map.entry("LAYERCAKE_LLM_MAX_CONCURRENT_CALLS", "64"),
          Map.entry("LAYERCAKE_LLM_STREAMING_THREADS", "8"),
          Map.entry("LAYERCAKE_CHANNELS_SEND_TIMEOUT", "10s"),
          Map.entry("LAYERCAKE_CHANNELS_DEFAULT_COUNTRY", "gb"),
          Map.entry("LAYERCAKE_PROJECTIONS_GROUP_SIZE", "250"),
          Map.entry("LAYERCAKE_PROJECTIONS_GROUP_WITHIN", "20ms"),
          Map.entry("LAYERCAKE_WEBHOOKS_POLL_INTERVAL", "2s"),
          Map.entry("LAYERCAKE_WEBHOOKS_RETRY_MIN", "5s"),
          Map.entry("LAYERCAKE_WEBHOOKS_RETRY_MAX", "30m"),
          Map.entry("LAYERCAKE_WEBHOOKS_GIVE_UP_AFTER", "48h"),
          Map.entry("LAYERCAKE_WEBHOOKS_TIMEOUT", "5s"),
          Map.entry("LAYERCAKE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"),
          Map.entry("LAYERCAKE_WEBHOOKS_ALLOW_HTTP", "true"),
          Map.entry("LAYERCAKE_BILLING_STRIPE_API_BASE", "http://127.0.0.1:12111"),
          Map.entry("LAYERCAKE_BILLING_STRIPE_SECRET_KEY", "sk_test_123"),
          Map.entry("LAYERCAKE_BILLING_STRIPE_WEBHOOK_SECRET", "whsec_123"),
          Map.entry("LAYERCAKE_BILLING_STRIPE_WEBHOOK_TOLERANCE", "2m"),
          Map.entry("LAYERCAKE_BILLING_SUCCESS_URL", "https://app.example/billing/done"),
          Map.entry("LAYERCAKE_BILLING_CANCEL_URL", "https://app.example/billing/cancelled"),
          Map.entry("LAYERCAKE_BILLING_SMS_NUMBER_MARKUP_PERCENT", "40"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", "http://127.0.0.1:9001"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_API_VERSION", "v22.0"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_APP_SECRET", "app-secret"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_VERIFY_TOKEN", "verify-me"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_APP_ID", "1234567890"),
          Map.entry("LAYERCAKE_CHANNELS_WHATSAPP_SIGNUP_CONFIG_ID", "987654321"),
          Map.entry("LAYERCAKE_CHANNELS_INFOBIP_BASE_URL", "http://127.0.0.1:9002"),
          Map.entry("LAYERCAKE_CHANNELS_INFOBIP_API_KEY", "ib-key"),
          Map.entry("LAYERCAKE_CHANNELS_INFOBIP_APPLICATION_ID", "layercake-test"),
          Map.entry("LAYERCAKE_CHANNELS_INFOBIP_DEFAULT_SENDER", "Plumbers"),
          Map.entry("LAYERCAKE_CHANNELS_INFOBIP_WEBHOOK_TOKEN", "a-webhook-token-1234"),
          Map.entry("LAYERCAKE_CHANNELS_WEBCHAT_REPLY_TIMEOUT", "5s"),
          Map.entry("LAYERCAKE_CHANNELS_WEBCHAT_SESSION_IDLE_EXPIRY", "12h"),
          Map.entry("LAYERCAKE_CHANNELS_WEBCHAT_FREE_MESSAGES_PER_MINUTE", "20"),
          Map.entry("LAYERCAKE_CHANNELS_WEBCHAT_PAID_MESSAGES_PER_MINUTE", "40"),
          Map.entry("LAYERCAKE_SESSIONS_APPROVAL_EXPIRY", "30m"),
          Map.entry("LAYERCAKE_SESSIONS_HANDOFF_REMINDER", "10m"),
          Map.entry("LAYERCAKE_SESSIONS_CONTEXT_MESSAGES", "20"),
          Map.entry("LAYERCAKE_SESSIONS_SEEN_MESSAGE_IDS", "200"),
          Map.entry("LAYERCAKE_SESSIONS_MAX_TOOL_ROUNDS", "2"),
          Map.entry("LAYERCAKE_SESSIONS_DELIVERY_RETRY_MIN", "1s"),
          Map.entry("LAYERCAKE_SESSIONS_DELIVERY_RETRY_MAX", "1m"),
          Map.entry("LAYERCAKE_SESSIONS_WAKE_INTERVAL", "5s"),
          Map.entry("LAYERCAKE_SESSIONS_WAKE_GRACE", "30s"),
          Map.entry("LAYERCAKE_SESSIONS_CREDIT_WAIT", "45s"),
          Map.entry("LAYERCAKE_SESSIONS_CREDIT_LEASE_TURNS", "5"),
          Map.entry("LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE", "30s"),
          Map.entry("LAYERCAKE_LLM_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"),
          Map.entry("LAYERCAKE_LLM_OPENAI_API_KEY", "sk-test"),
          Map.entry("LAYERCAKE_LLM_ANTHROPIC_BASE_URL", "http://127.0.0.1:9999/v1"),
          Map.entry("LAYERCAKE_LLM_ANTHROPIC_API_KEY", "sk-ant-test"),
          Map.entry("LAYERCAKE_CLUSTER_HOST", "10.0.0.5"),
          Map.entry("LAYERCAKE_CLUSTER_PORT", "25521"),
          Map.entry("LAYERCAKE_CLUSTER_SEED_NODES", "pekko://layercake@10.0.0.5:25521, pekko://layercake@10.0.0.6:25521"),
          Map.entry("LAYERCAKE_CLUSTER_DISCOVERY", "none"),
          Map.entry("LAYERCAKE_CLUSTER_SERVICE_NAME", "layercake-eu"),
          Map.entry("LAYERCAKE_CLUSTER_CONTACT_POINTS", "10.0.0.5:8558"),
          Map.entry("LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS", "3"),
          Map.entry("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", "8559"),
          Map.entry("LAYERCAKE_CLUSTER_SPLIT_BRAIN_STABLE_AFTER", "15s"),
          Map.entry("LAYERCAKE_CLUSTER_DOWN_REMOVAL_MARGIN", "4s"),
          Map.entry("LAYERCAKE_ENTITIES_PASSIVATION_IDLE_TIMEOUT", "30s"),
          Map.entry("LAYERCAKE_ENTITIES_SNAPSHOT_EVERY", "50"),
          Map.entry("LAYERCAKE_ENTITIES_KEEP_SNAPSHOTS", "3"),
          Map.entry("LAYERCAKE_ENTITIES_ASK_TIMEOUT", "12s"),
          Map.entry("LAYERCAKE_ENTITIES_INGEST_WAIT", "15s"),
          Map.entry("LAYERCAKE_ENTITIES_PREBUILD_JSON", "false"),
          Map.entry("LAYERCAKE_DEMO_ENABLED", "false"),
          Map.entry("LAYERCAKE_DEMO_CREDITS", "42"),
          Map.entry("LAYERCAKE_PEOPLE_LINK_LIFETIME", "10m"),
          Map.entry("LAYERCAKE_PEOPLE_SESSION_IDLE", "2d"),
          Map.entry("LAYERCAKE_PEOPLE_SESSION_ABSOLUTE", "14d"),
          Map.entry("LAYERCAKE_PEOPLE_INVITATION_LIFETIME", "3d"),
          Map.entry("LAYERCAKE_PEOPLE_LINKS_PER_ADDRESS_PER_MINUTE", "2"),
          Map.entry("LAYERCAKE_PEOPLE_LINKS_PER_IP_PER_MINUTE", "9"),
          Map.entry("LAYERCAKE_PEOPLE_PORTAL_TOKEN_LIFETIME", "5m"),
          Map.entry("LAYERCAKE_BOOTSTRAP_OWNER_EMAIL", "root@example.com"),
          Map.entry("LAYERCAKE_EMAIL_HOST", "smtp.example.com"),
          Map.entry("LAYERCAKE_EMAIL_PORT", "465"),
          Map.entry("LAYERCAKE_EMAIL_SECURITY", "tls"),
          Map.entry("LAYERCAKE_EMAIL_USER", "mailer"),
          Map.entry("LAYERCAKE_EMAIL_PASSWORD", "mail-password"),
          Map.entry("LAYERCAKE_EMAIL_FROM", "Acme <no-reply@example.com>"),
          Map.entry("LAYERCAKE_EMAIL_MAX_ATTEMPTS", "7"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_POLL_INTERVAL", "2s"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_COLLAPSE_WINDOW", "90s"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_GATHER_DELAY", "0s"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_DIGEST_HOUR_UTC", "6"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_MAX_ATTEMPTS", "4"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_RETRY_MIN", "5s"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_RETRY_MAX", "30m"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_PUSHOVER_API_URL", "https://pushover.example"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_PUSHOVER_APP_TOKEN", "pushover-app-token"),
          Map.entry("LAYERCAKE_NOTIFICATIONS_WEB_PUSH_SUBJECT", "mailto:ops@example.com"),
          Map.entry("LAYERCAKE_PORTAL_DNS_SERVER", "127.0.0.1:5353"),
          Map.entry("LAYERCAKE_PORTAL_HOSTS_REFRESH", "20s"),
          Map.entry("LAYERCAKE_PORTAL_MAX_LOGO_BYTES", "100000"),
          Map.entry("LAYERCAKE_PORTAL_MAX_FAVICON_BYTES", "20000"),
          Map.entry("LAYERCAKE_PORTAL_WHITE_LABEL_TIERS", "enterprise"),
          Map.entry("LAYERCAKE_ADMIN_TOKEN", "an-operator-token-of-some-length"),
          Map.entry("LAYERCAKE_SECRETS_KEY", KEY));

  @Test
  void printedSettingsShowNoSecret() {
    String printed = SettingsLoader.load(SAMPLE_ENVIRONMENT).toString();

    assertThat(printed).contains("jdbc:postgresql://127.0.0.1:5432/layercake")
        .doesNotContain("s3cret", "an-operator-token-of-some-length", KEY, "sk_test_123", "whsec_123");
  }

  @Test
  void defaultsDescribeAnEmbeddedSingleNode() {
    LayercakeSettings settings = SettingsLoader.load(Map.of());

    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.http().host()).isEqualTo("127.0.0.1");
    assertThat(settings.http().maxRequestBytes()).isEqualTo(1024 * 1024);
    assertThat(settings.agents().referenceCache()).isEqualTo(AgentSettings.ReferenceCache.DEFAULT);
    assertThat(settings.agents().replays()).isEqualTo(AgentSettings.Replays.DEFAULT);
    assertThat(settings.database().dialect()).isEqualTo(DatabaseDialect.H2);
    assertThat(settings.database().url())
        .startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("layercake"))
        .contains("DATABASE_TO_UPPER=false");
    assertThat(settings.cluster().formsClusterAlone()).isTrue();
    assertThat(settings.admin().enabled()).isFalse();
    assertThat(settings.demo()).isEqualTo(new DemoSettings(true, 500));
    assertThat(settings.entities().snapshotEvery()).isEqualTo(100);
    assertThat(settings.entities().askTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.sessions().creditWait()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.sessions().creditLeaseTurns()).isEqualTo(20);
    assertThat(settings.sessions().creditLeaseIdle()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.webhooks().allowPrivateTargets()).as("webhooks reach public https targets only").isFalse();
    assertThat(settings.webhooks().allowHttp()).isFalse();
    assertThat(settings.secrets().key().isEmpty()).as("the data directory's key file").isTrue();
    assertThat(settings.channels().defaultCountry()).isEmpty();
    assertThat(settings.http().publicBaseUrl()).isEmpty();
    assertThat(settings.projections()).isEqualTo(new ProjectionSettings(100, Duration.ofMillis(50)));
  }

  @Test
  void catalogHoldsTheTiersPacksAndCostsOfTheDesign() {
    Catalog catalog = SettingsLoader.load(Map.of()).catalog();

    assertThat(catalog.currency()).isEqualTo("EUR");
    assertThat(catalog.tier("free").orElseThrow().monthlyCredits()).isEqualTo(OptionalLong.of(0));
    assertThat(catalog.tier("free").orElseThrow().platformSms()).isFalse();
    assertThat(catalog.tier("pro").orElseThrow())
        .isEqualTo(new Tier("pro", 2900, OptionalLong.of(200), 0, true));
    assertThat(catalog.tier("agency").orElseThrow().monthlyCredits()).isEqualTo(OptionalLong.of(2000));
    assertThat(catalog.tier("enterprise").orElseThrow().unlimited()).isTrue();
    assertThat(catalog.creditPacksBySize())
        .extracting(CreditPack::credits, CreditPack::priceCents)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(100L, 1900L),
            org.assertj.core.groups.Tuple.tuple(500L, 7900L),
            org.assertj.core.groups.Tuple.tuple(2000L, 24900L),
            org.assertj.core.groups.Tuple.tuple(10000L, 99900L));
    assertThat(catalog.costs().aiReply()).isEqualTo(1);
    assertThat(catalog.costs().smsSegment()).isEqualTo(2);
    assertThat(catalog.costs().outreachMessage()).isEqualTo(1);
    assertThat(catalog.costs().toolCall("book_appointment")).isEqualTo(1);
  }

  @Test
  void everyDeploymentSettingHasAnEnvironmentOverride() {
    Set<String> deploymentKeys = new TreeSet<>();
    SettingsLoader.load(Map.of()).pekko().getConfig("layercake").entrySet().stream()
        .map(entry -> "layercake." + entry.getKey())
        .filter(key -> !key.startsWith("layercake.catalog."))
        .forEach(deploymentKeys::add);
    Set<String> overridden = new TreeSet<>();
    deploymentKeys.forEach(key -> overridden.add(SettingsException.environmentVariableFor(key)));

    assertThat(overridden).isEqualTo(new TreeSet<>(SAMPLE_ENVIRONMENT.keySet()));

    LayercakeSettings settings = SettingsLoader.load(SAMPLE_ENVIRONMENT);
    for (String key : deploymentKeys) {
      assertThat(settings.pekko().getValue(key).valueType()).isNotEqualTo(ConfigValueType.NULL);
      assertThat(settings.pekko().getString(key))
          .as(key)
          .isEqualTo(SAMPLE_ENVIRONMENT.get(SettingsException.environmentVariableFor(key)));
    }
  }

  @Test
  void environmentOverridesReachTheTypedSettings() {
    LayercakeSettings settings = SettingsLoader.load(SAMPLE_ENVIRONMENT);

    assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/layercake"));
    assertThat(settings.people()).isEqualTo(new PeopleSettings(Duration.ofMinutes(10), Duration.ofDays(2), Duration.ofDays(14),
        Duration.ofDays(3), 2, 9, Duration.ofMinutes(5), "root@example.com", new EmailSettings("smtp.example.com", 465,
            EmailSettings.Security.TLS, "mailer", Secret.of("mail-password"), "Acme <no-reply@example.com>", 7),
        new NotificationSettings(Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ZERO, 6, 4, Duration.ofSeconds(5),
            Duration.ofMinutes(30), new NotificationSettings.Pushover("https://pushover.example", Secret.of("pushover-app-token")),
            "mailto:ops@example.com")));
    assertThat(settings.toString()).doesNotContain("mail-password").doesNotContain("pushover-app-token");
    assertThat(settings.http()).isEqualTo(new HttpSettings("0.0.0.0", 9090, 2 * 1024 * 1024, Duration.ofSeconds(3),
        "https://layercake.example.com", Secret.of("scrape-token-0123456789")));
    assertThat(settings.database().dialect()).isEqualTo(DatabaseDialect.POSTGRES);
    assertThat(settings.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/layercake");
    assertThat(settings.database().user()).isEqualTo("app");
    assertThat(settings.database().password().reveal()).isEqualTo("s3cret");
    assertThat(settings.database().poolSize()).isEqualTo(12);
    assertThat(settings.database().appPoolSize()).isEqualTo(3);
    assertThat(settings.credits()).isEqualTo(new CreditSettings(Duration.ofSeconds(90), Duration.ofSeconds(10), 25));
    assertThat(settings.cluster()).isEqualTo(new ClusterSettings("10.0.0.5", 25521,
        List.of("pekko://layercake@10.0.0.5:25521", "pekko://layercake@10.0.0.6:25521"), ClusterSettings.Discovery.NONE,
        "layercake-eu", List.of("10.0.0.5:8558"), 3, 8559, Duration.ofSeconds(15), Duration.ofSeconds(4)));
    assertThat(settings.llm().timeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.llm().openai().baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(settings.llm().anthropic().apiKey().reveal()).isEqualTo("sk-ant-test");
    assertThat(settings.agents()).isEqualTo(new AgentSettings(30_000, 5 * 1024 * 1024,
        new AgentSettings.ReferenceCache(500, Duration.ofSeconds(30)), new AgentSettings.Replays(Duration.ofSeconds(2), 2, 3, 50, 300)));
    assertThat(settings.entities()).isEqualTo(new EntitySettings(Duration.ofSeconds(30), 50, 3, Duration.ofSeconds(12), Duration.ofSeconds(15), false));
    assertThat(settings.entities().ingestAttempt()).as("an eighth of the ingest wait, shorter than the ask timeout")
        .isEqualTo(Duration.ofMillis(1_875));
    assertThat(settings.sessions().creditWait()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.sessions().creditLeaseTurns()).isEqualTo(5);
    assertThat(settings.sessions().creditLeaseIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.admin().token().matches("an-operator-token-of-some-length")).isTrue();
    assertThat(settings.demo()).isEqualTo(new DemoSettings(false, 42));
    assertThat(settings.llm().maxConcurrentCalls()).isEqualTo(64);
    assertThat(settings.llm().streamingThreads()).isEqualTo(8);
    assertThat(settings.webhooks()).isEqualTo(new WebhookSettings(Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofMinutes(30), Duration.ofHours(48), Duration.ofSeconds(5), true, true));
    assertThat(settings.channels().defaultCountry()).isEqualTo("GB");
    assertThat(settings.channels().whatsapp().appId()).isEqualTo("1234567890");
    assertThat(settings.channels().whatsapp().signupConfigId()).isEqualTo("987654321");
    assertThat(settings.channels().whatsapp().embeddedSignup()).isTrue();
    assertThat(settings.projections()).isEqualTo(new ProjectionSettings(250, Duration.ofMillis(20)));
  }

  @Test
  void secretsStayOutOfToString() {
    LayercakeSettings settings = SettingsLoader.load(SAMPLE_ENVIRONMENT);

    assertThat(settings.database().toString()).doesNotContain("s3cret");
    assertThat(settings.admin().toString()).doesNotContain("an-operator-token");
    assertThat(settings.secrets().key().reveal()).isEqualTo(KEY);
    assertThat(settings.secrets().toString()).doesNotContain(KEY);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "LAYERCAKE_HTTP_PORT|abc|layercake.http.port (LAYERCAKE_HTTP_PORT): must be an integer, got 'abc'",
        "LAYERCAKE_HTTP_PORT|70000|layercake.http.port (LAYERCAKE_HTTP_PORT): must be between 0 and 65535, got 70000",
        "LAYERCAKE_HTTP_MAX_REQUEST_SIZE|huge|layercake.http.max-request-size (LAYERCAKE_HTTP_MAX_REQUEST_SIZE): must be a size",
        "LAYERCAKE_HTTP_SHUTDOWN_DEADLINE|0s|layercake.http.shutdown-deadline (LAYERCAKE_HTTP_SHUTDOWN_DEADLINE): must be longer than 0",
        "LAYERCAKE_DB_URL|jdbc:mysql://db/x|layercake.db.url (LAYERCAKE_DB_URL): must start with jdbc:h2: or jdbc:postgresql:",
        "LAYERCAKE_DB_POOL_SIZE|0|layercake.db.pool-size (LAYERCAKE_DB_POOL_SIZE): must be between 1 and 200",
        "LAYERCAKE_CLUSTER_SEED_NODES|10.0.0.5:25520|layercake.cluster.seed-nodes (LAYERCAKE_CLUSTER_SEED_NODES): each seed node must look like",
        "LAYERCAKE_CLUSTER_DISCOVERY|consul|layercake.cluster.discovery (LAYERCAKE_CLUSTER_DISCOVERY): must be empty, config, dns or kubernetes-api, got 'consul'",
        "LAYERCAKE_CLUSTER_DISCOVERY|config|layercake.cluster.contact-points (LAYERCAKE_CLUSTER_CONTACT_POINTS): config discovery needs",
        "LAYERCAKE_CLUSTER_SPLIT_BRAIN_STABLE_AFTER|0s|layercake.cluster.split-brain-stable-after (LAYERCAKE_CLUSTER_SPLIT_BRAIN_STABLE_AFTER): must be longer than 0",
        "LAYERCAKE_CLUSTER_DOWN_REMOVAL_MARGIN|0s|layercake.cluster.down-removal-margin (LAYERCAKE_CLUSTER_DOWN_REMOVAL_MARGIN): must be longer than 0",
        "LAYERCAKE_ENTITIES_INGEST_WAIT|25s|layercake.entities.ingest-wait (LAYERCAKE_ENTITIES_INGEST_WAIT): must be at most 18s (an HTTP request times out after 20s), got PT25S",
        "LAYERCAKE_AGENTS_REFERENCE_CACHE_MAX_ENTRIES|0|layercake.agents.reference-cache.max-entries (LAYERCAKE_AGENTS_REFERENCE_CACHE_MAX_ENTRIES): must be between 1",
        "LAYERCAKE_AGENTS_REFERENCE_CACHE_TTL|0s|layercake.agents.reference-cache.ttl (LAYERCAKE_AGENTS_REFERENCE_CACHE_TTL): must be longer than 0",
        "LAYERCAKE_AGENTS_REPLAYS_PARALLEL|0|layercake.agents.replays.parallel (LAYERCAKE_AGENTS_REPLAYS_PARALLEL): must be between 1",
        "LAYERCAKE_ENTITIES_SNAPSHOT_EVERY|-1|layercake.entities.snapshot-every (LAYERCAKE_ENTITIES_SNAPSHOT_EVERY): must be between 1",
        "LAYERCAKE_ENTITIES_ASK_TIMEOUT|0s|layercake.entities.ask-timeout (LAYERCAKE_ENTITIES_ASK_TIMEOUT): must be longer than 0",
        "LAYERCAKE_ADMIN_TOKEN|short|layercake.admin.token (LAYERCAKE_ADMIN_TOKEN): must be empty (disabled) or at least 16 characters",
        "LAYERCAKE_WEBHOOKS_ALLOW_PRIVATE_TARGETS|yes please|layercake.webhooks.allow-private-targets (LAYERCAKE_WEBHOOKS_ALLOW_PRIVATE_TARGETS): must be true or false",
        "LAYERCAKE_SECRETS_KEY|not base64!|layercake.secrets.key (LAYERCAKE_SECRETS_KEY): must be base64 of 32 bytes",
        "LAYERCAKE_SECRETS_KEY|c2hvcnQ=|layercake.secrets.key (LAYERCAKE_SECRETS_KEY): must be base64 of 32 bytes (openssl rand -base64 32), got 5 bytes",
        "LAYERCAKE_DATA_DIR|'  '|layercake.data-dir (LAYERCAKE_DATA_DIR): must not be empty",
        "LAYERCAKE_HTTP_PUBLIC_BASE_URL|layercake.example.com|layercake.http.public-base-url (LAYERCAKE_HTTP_PUBLIC_BASE_URL): must be an http:// or https:// URL",
        "LAYERCAKE_HTTP_METRICS_TOKEN|short|layercake.http.metrics-token (LAYERCAKE_HTTP_METRICS_TOKEN): must be empty (loopback only) or at least 16 characters long",
        "LAYERCAKE_PROJECTIONS_GROUP_SIZE|0|layercake.projections.group-size (LAYERCAKE_PROJECTIONS_GROUP_SIZE): must be between 1 and 10000, got 0",
        "LAYERCAKE_PROJECTIONS_GROUP_WITHIN|0ms|layercake.projections.group-within (LAYERCAKE_PROJECTIONS_GROUP_WITHIN): must be longer than 0",
        "LAYERCAKE_PROJECTIONS_GROUP_WITHIN|1m|layercake.projections.group-within (LAYERCAKE_PROJECTIONS_GROUP_WITHIN): must be at most 10s",
        "LAYERCAKE_SESSIONS_CREDIT_LEASE_TURNS|0|layercake.sessions.credit-lease-turns (LAYERCAKE_SESSIONS_CREDIT_LEASE_TURNS): must be between 1 and 1000, got 0",
        "LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE|3m|layercake.sessions.credit-lease-idle (LAYERCAKE_SESSIONS_CREDIT_LEASE_IDLE): must be at most half of credits.reservation-ttl (PT5M), so a lease goes back before it expires",
        "LAYERCAKE_CHANNELS_DEFAULT_COUNTRY|UK|layercake.channels.default-country (LAYERCAKE_CHANNELS_DEFAULT_COUNTRY): must be empty or an ISO 3166-1 alpha-2",
      })
  void aBrokenSettingFailsWithOneLineNamingTheKey(String variable, String value, String expected) {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of(variable, value)))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("invalid setting " + expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void postgresNeedsAUser() {
    assertThatThrownBy(
            () -> SettingsLoader.load(Map.of("LAYERCAKE_DB_URL", "jdbc:postgresql://127.0.0.1/x", "LAYERCAKE_DB_USER", "")))
        .hasMessage("invalid setting layercake.db.user (LAYERCAKE_DB_USER): must not be empty");
  }

  @Test
  void bootstrapFindsTheNodesThroughADiscoveryMethod() {
    ClusterSettings cluster = SettingsLoader.load(Map.of(
            "LAYERCAKE_DB_URL", "jdbc:postgresql://db/layercake",
            "LAYERCAKE_CLUSTER_DISCOVERY", "kubernetes-api",
            "LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS", "3",
            "LAYERCAKE_SECRETS_KEY", KEY))
        .cluster();

    assertThat(cluster.discovery()).isEqualTo(ClusterSettings.Discovery.KUBERNETES_API);
    assertThat(cluster.discovery().pekkoMethod()).isEqualTo("kubernetes-api");
    assertThat(cluster.bootstraps()).isTrue();
    assertThat(cluster.formsClusterAlone()).isFalse();
    assertThat(cluster.serviceName()).isEqualTo("layercake");
    assertThat(cluster.managementPort()).isEqualTo(8558);
    assertThat(cluster.splitBrainStableAfter()).isEqualTo(Duration.ofSeconds(4));
    assertThat(cluster.downRemovalMargin()).isEqualTo(Duration.ofSeconds(2));
    assertThat(SettingsLoader.load(Map.of("LAYERCAKE_DB_URL", "jdbc:postgresql://db/layercake",
            "LAYERCAKE_CLUSTER_DISCOVERY", "dns", "LAYERCAKE_SECRETS_KEY", KEY))
        .cluster().discovery().pekkoMethod()).isEqualTo("pekko-dns");
  }

  @Test
  void seedNodesAndDiscoveryAreOneOrTheOther() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of(
            "LAYERCAKE_DB_URL", "jdbc:postgresql://db/layercake",
            "LAYERCAKE_CLUSTER_SEED_NODES", "pekko://layercake@10.0.0.5:25520",
            "LAYERCAKE_CLUSTER_DISCOVERY", "dns")))
        .hasMessage("invalid setting layercake.cluster.discovery (LAYERCAKE_CLUSTER_DISCOVERY): set either seed nodes or a discovery method, not both");
  }

  @Test
  void severalNodesCannotShareAnEmbeddedH2File() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("LAYERCAKE_CLUSTER_SEED_NODES", "pekko://layercake@10.0.0.5:25520")))
        .hasMessageStartingWith("invalid setting layercake.db.url (LAYERCAKE_DB_URL): the nodes of a cluster share one database");
    assertThat(SettingsLoader.load(Map.of(
            "LAYERCAKE_CLUSTER_SEED_NODES", "pekko://layercake@10.0.0.5:25520",
            "LAYERCAKE_DB_URL", "jdbc:h2:tcp://10.0.0.9:9092/layercake",
            "LAYERCAKE_SECRETS_KEY", KEY))
        .cluster().seedNodes()).hasSize(1);
  }

  @Test
  void theNodesOfAClusterNeedOneConfiguredSecretsKey() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of(
            "LAYERCAKE_DB_URL", "jdbc:postgresql://db/layercake", "LAYERCAKE_CLUSTER_DISCOVERY", "dns")))
        .hasMessageStartingWith(
            "invalid setting layercake.secrets.key (LAYERCAKE_SECRETS_KEY): the nodes of a cluster share one database");
    assertThat(SettingsLoader.load(Map.of("LAYERCAKE_DB_URL", "jdbc:postgresql://db/layercake",
            "LAYERCAKE_DB_USER", "app")).secrets().key().isEmpty())
        .as("a single node on PostgreSQL may use its key file").isTrue();
  }
}
