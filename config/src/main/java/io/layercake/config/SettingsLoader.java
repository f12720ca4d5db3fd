package io.layercake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Loads {@link LayercakeSettings} from system properties, {@code application.conf} and the
 * {@code reference.conf} files, resolving {@code ${?LAYERCAKE_...}} overrides from the environment,
 * and validates them. A bad value fails with a {@link SettingsException} naming the key.
 */
public final class SettingsLoader {
  private static final String ROOT = "layercake";
  private static final Pattern SEED_NODE = Pattern.compile("pekko://[A-Za-z0-9_-]+@[^:/\\s]+:\\d{1,5}");
  private static final Pattern H2_SERVER_URL = Pattern.compile("jdbc:h2:(tcp|ssl)://");
  private static final Pattern CONTACT_POINT = Pattern.compile("[^:/\\s]+:\\d{1,5}");
  private static final List<String> REQUIRED_TIERS = List.of("free", "pro", "agency", "enterprise");
  /** Pekko HTTP's request timeout (20 s) less the time to answer. */
  private static final Duration MAX_INGEST_WAIT = Duration.ofSeconds(18);
  private static final int MIN_ADMIN_TOKEN_LENGTH = 16;

  private SettingsLoader() {}

  /** Settings of this process: its system properties, its classpath and its environment. */
  public static LayercakeSettings load() {
    return fromConfig(resolve(ConfigFactory.empty(), true));
  }

  /** Settings as if the process environment were exactly {@code environment} (for tests and tools). */
  public static LayercakeSettings load(Map<String, String> environment) {
    return fromConfig(resolve(ConfigFactory.parseMap(environment, "environment"), false));
  }

  /** Settings from a configuration another layer has already resolved. */
  public static LayercakeSettings fromConfig(Config resolved) {
    SettingsReader reader = new SettingsReader(resolved);
    Path dataDir = Path.of(reader.nonEmptyString(ROOT + ".data-dir"));
    DatabaseSettings database = database(reader, dataDir);
    ClusterSettings cluster = cluster(reader);
    if (!cluster.formsClusterAlone() && database.dialect() == DatabaseDialect.H2 && !H2_SERVER_URL.matcher(database.url()).lookingAt()) {
      throw new SettingsException(ROOT + ".db.url",
          "the nodes of a cluster share one database: set a jdbc:postgresql: URL (an embedded H2 file belongs to one node)");
    }
    CreditSettings credits = credits(reader);
    SessionSettings sessions = sessions(reader);
    if (sessions.creditLeaseIdle().multipliedBy(2).compareTo(credits.reservationTtl()) > 0) {
      throw new SettingsException(ROOT + ".sessions.credit-lease-idle",
          "must be at most half of credits.reservation-ttl (" + credits.reservationTtl() + "), so a lease goes back before it expires");
    }
    return new LayercakeSettings(
        dataDir,
        http(reader),
        database,
        cluster,
        entities(reader),
        credits,
        agents(reader),
        sessions,
        channels(reader),
        billing(reader),
        webhooks(reader),
        llm(reader),
        admin(reader),
        demo(reader),
        people(reader),
        portal(reader),
        secrets(reader, cluster),
        projections(reader),
        catalog(reader),
        resolved);
  }

  private static Config resolve(Config environment, boolean useProcessEnvironment) {
    Config unresolved =
        environment
            .withFallback(ConfigFactory.defaultOverrides())
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.parseResourcesAnySyntax("reference"));
    try {
      return unresolved.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(useProcessEnvironment));
    } catch (ConfigException e) {
      throw new SettingsException("configuration", e.getMessage());
    }
  }

  private static HttpSettings http(SettingsReader reader) {
    String prefix = ROOT + ".http.";
    return new HttpSettings(
        reader.nonEmptyString(prefix + "host"),
        reader.integer(prefix + "port", 0, 65535),
        reader.positiveBytes(prefix + "max-request-size"),
        reader.positiveDuration(prefix + "shutdown-deadline"),
        optionalHttpUrl(reader, prefix + "public-base-url"),
        metricsToken(reader, prefix + "metrics-token"));
  }

  private static Secret metricsToken(SettingsReader reader, String key) {
    String token = reader.string(key).strip();
    if (!token.isEmpty() && token.length() < MIN_ADMIN_TOKEN_LENGTH) {
      throw new SettingsException(key, "must be empty (loopback only) or at least " + MIN_ADMIN_TOKEN_LENGTH + " characters long");
    }
    return Secret.of(token);
  }

  /** Empty, or an http(s) URL without a trailing slash. */
  private static String optionalHttpUrl(SettingsReader reader, String key) {
    return reader.string(key).isBlank() ? "" : httpUrl(reader, key);
  }

  private static DatabaseSettings database(SettingsReader reader, Path dataDir) {
    String prefix = ROOT + ".db.";
    String url = reader.string(prefix + "url").strip();
    int poolSize = reader.integer(prefix + "pool-size", 1, 200);
    int appPoolSize = reader.integer(prefix + "app-pool-size", 1, 200);
    if (url.isEmpty()) {
      return new DatabaseSettings(
          DatabaseDialect.H2, DatabaseSettings.h2FileUrl(dataDir), reader.string(prefix + "user"),
          Secret.of(reader.string(prefix + "password")), poolSize, appPoolSize);
    }
    DatabaseDialect dialect = DatabaseDialect.ofUrl(url);
    if (dialect == null) {
      throw new SettingsException(prefix + "url", "must start with jdbc:h2: or jdbc:postgresql:, got '" + url + "'");
    }
    String user = dialect == DatabaseDialect.POSTGRES ? reader.nonEmptyString(prefix + "user") : reader.string(prefix + "user");
    return new DatabaseSettings(dialect, url, user, Secret.of(reader.string(prefix + "password")), poolSize, appPoolSize);
  }

  private static ClusterSettings cluster(SettingsReader reader) {
    String prefix = ROOT + ".cluster.";
    List<String> seedNodes = commaSeparated(reader, prefix + "seed-nodes", SEED_NODE, "each seed node must look like pekko://layercake@host:port");
    String discoveryName = reader.string(prefix + "discovery").strip();
    ClusterSettings.Discovery discovery = java.util.Arrays.stream(ClusterSettings.Discovery.values())
        .filter(method -> method.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(discoveryName)
            || (method == ClusterSettings.Discovery.NONE && discoveryName.isEmpty()))
        .findFirst()
        .orElseThrow(() -> new SettingsException(prefix + "discovery",
            "must be empty, config, dns or kubernetes-api, got '" + discoveryName + "'"));
    if (discovery != ClusterSettings.Discovery.NONE && !seedNodes.isEmpty()) {
      throw new SettingsException(prefix + "discovery", "set either seed nodes or a discovery method, not both");
    }
    List<String> contactPoints = commaSeparated(reader, prefix + "contact-points", CONTACT_POINT, "each contact point must look like host:port");
    if (discovery == ClusterSettings.Discovery.CONFIG && contactPoints.isEmpty()) {
      throw new SettingsException(prefix + "contact-points", "config discovery needs the nodes' host:management-port list");
    }
    return new ClusterSettings(
        reader.nonEmptyString(prefix + "host"), reader.integer(prefix + "port", 0, 65535), seedNodes,
        discovery, reader.nonEmptyString(prefix + "service-name"), contactPoints,
        reader.integer(prefix + "required-contact-points", 1, 1000),
        reader.integer(prefix + "management-port", 0, 65535),
        reader.positiveDuration(prefix + "split-brain-stable-after"),
        reader.positiveDuration(prefix + "down-removal-margin"));
  }

  private static List<String> commaSeparated(SettingsReader reader, String key, Pattern each, String expected) {
    List<String> values = new ArrayList<>();
    for (String value : reader.string(key).split(",")) {
      String trimmed = value.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!each.matcher(trimmed).matches()) {
        throw new SettingsException(key, expected + ", got '" + trimmed + "'");
      }
      values.add(trimmed);
    }
    return values;
  }

  private static EntitySettings entities(SettingsReader reader) {
    String prefix = ROOT + ".entities.";
    return new EntitySettings(
        reader.positiveDuration(prefix + "passivation-idle-timeout"),
        reader.integer(prefix + "snapshot-every", 1, 1_000_000),
        reader.integer(prefix + "keep-snapshots", 1, 100),
        reader.positiveDuration(prefix + "ask-timeout"),
        ingestWait(reader, prefix + "ingest-wait"),
        reader.bool(prefix + "prebuild-json"));
  }

  /** Pekko HTTP answers a request 503 itself after its request timeout (20 s): the wait must end first. */
  private static Duration ingestWait(SettingsReader reader, String key) {
    Duration wait = reader.positiveDuration(key);
    if (wait.compareTo(MAX_INGEST_WAIT) > 0) {
      throw new SettingsException(key, "must be at most " + MAX_INGEST_WAIT.toSeconds()
          + "s (an HTTP request times out after 20s), got " + wait);
    }
    return wait;
  }

  private static CreditSettings credits(SettingsReader reader) {
    String prefix = ROOT + ".credits.";
    return new CreditSettings(
        reader.positiveDuration(prefix + "reservation-ttl"),
        reader.positiveDuration(prefix + "sweep-interval"),
        reader.integer(prefix + "low-credit-percent", 0, 100));
  }

  private static AgentSettings agents(SettingsReader reader) {
    String prefix = ROOT + ".agents.";
    return new AgentSettings(
        reader.integer(prefix + "knowledge-character-cap", 1_000, 10_000_000),
        reader.positiveBytes(prefix + "max-document-size"),
        referenceCache(reader),
        replays(reader));
  }

  private static AgentSettings.Replays replays(SettingsReader reader) {
    String prefix = ROOT + ".agents.replays.";
    return new AgentSettings.Replays(
        reader.positiveDuration(prefix + "poll-interval"),
        reader.integer(prefix + "parallel", 1, 64),
        reader.integer(prefix + "turns-per-replay", 1, 64),
        reader.integer(prefix + "max-turns", 1, 10_000),
        reader.integer(prefix + "default-budget", 1, 1_000_000));
  }

  /** The reference-data cache settings alone, from an actor system's configuration (built from the node's settings). */
  public static AgentSettings.ReferenceCache referenceCache(Config resolved) {
    return referenceCache(new SettingsReader(resolved));
  }

  private static AgentSettings.ReferenceCache referenceCache(SettingsReader reader) {
    String prefix = ROOT + ".agents.reference-cache.";
    return new AgentSettings.ReferenceCache(
        reader.integer(prefix + "max-entries", 1, 10_000_000),
        reader.positiveDuration(prefix + "ttl"));
  }

  private static SessionSettings sessions(SettingsReader reader) {
    String prefix = ROOT + ".sessions.";
    Duration retryMin = reader.positiveDuration(prefix + "delivery-retry-min");
    Duration retryMax = reader.positiveDuration(prefix + "delivery-retry-max");
    if (retryMax.compareTo(retryMin) < 0) {
      throw new SettingsException(prefix + "delivery-retry-max", "must be at least delivery-retry-min (" + retryMin + ")");
    }
    return new SessionSettings(
        reader.positiveDuration(prefix + "approval-expiry"),
        reader.positiveDuration(prefix + "handoff-reminder"),
        reader.integer(prefix + "context-messages", 1, 500),
        reader.integer(prefix + "seen-message-ids", 10, 100_000),
        reader.integer(prefix + "max-tool-rounds", 0, 10),
        retryMin,
        retryMax,
        reader.positiveDuration(prefix + "wake-interval"),
        reader.positiveDuration(prefix + "wake-grace"),
        reader.positiveDuration(prefix + "credit-wait"),
        reader.integer(prefix + "credit-lease-turns", 1, 1_000),
        reader.positiveDuration(prefix + "credit-lease-idle"));
  }

  private static ChannelSettings channels(SettingsReader reader) {
    String prefix = ROOT + ".channels.";
    ChannelSettings.WhatsApp whatsapp = new ChannelSettings.WhatsApp(
        httpUrl(reader, prefix + "whatsapp.graph-base-url"),
        reader.nonEmptyString(prefix + "whatsapp.api-version"),
        Secret.of(reader.string(prefix + "whatsapp.app-secret").strip()),
        Secret.of(reader.string(prefix + "whatsapp.verify-token").strip()),
        reader.string(prefix + "whatsapp.app-id").strip(),
        reader.string(prefix + "whatsapp.signup-config-id").strip());
    String token = reader.string(prefix + "infobip.webhook-token").strip();
    if (!token.isEmpty() && !token.matches("[A-Za-z0-9_-]{16,128}")) {
      throw new SettingsException(prefix + "infobip.webhook-token", "must be empty (inbound SMS disabled) or 16 to 128 letters, digits, '-' or '_'");
    }
    ChannelSettings.Infobip infobip = new ChannelSettings.Infobip(
        httpUrl(reader, prefix + "infobip.base-url"),
        Secret.of(reader.string(prefix + "infobip.api-key").strip()),
        reader.nonEmptyString(prefix + "infobip.application-id"),
        reader.nonEmptyString(prefix + "infobip.default-sender"),
        Secret.of(token));
    ChannelSettings.Webchat webchat = new ChannelSettings.Webchat(
        reader.positiveDuration(prefix + "webchat.reply-timeout"),
        reader.positiveDuration(prefix + "webchat.session-idle-expiry"),
        reader.integer(prefix + "webchat.free-messages-per-minute", 1, 10_000),
        reader.integer(prefix + "webchat.paid-messages-per-minute", 1, 10_000));
    return new ChannelSettings(whatsapp, infobip, webchat, reader.positiveDuration(prefix + "send-timeout"),
        country(reader, prefix + "default-country"));
  }

  /** Empty, or an ISO 3166-1 alpha-2 country code, upper case. */
  private static String country(SettingsReader reader, String key) {
    String country = reader.string(key).strip().toUpperCase(java.util.Locale.ROOT);
    if (!country.isEmpty() && !java.util.Set.of(java.util.Locale.getISOCountries()).contains(country)) {
      throw new SettingsException(key,
          "must be empty or an ISO 3166-1 alpha-2 country code such as GB or NL, got '" + country + "'");
    }
    return country;
  }

  /**
   * An empty key means the data directory's key file. The nodes of a cluster share one database, so they need one
   * key: a cluster of several nodes must configure it.
   */
  private static SecretsSettings secrets(SettingsReader reader, ClusterSettings cluster) {
    String key = ROOT + ".secrets.key";
    String value = reader.string(key).strip();
    if (value.isEmpty()) {
      if (!cluster.formsClusterAlone()) {
        throw new SettingsException(key, "the nodes of a cluster share one database and so one key: set the same key "
            + "(base64 of 32 random bytes, e.g. openssl rand -base64 32) on every node");
      }
      return SecretsSettings.keyFile();
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key,
          "must be base64 of 32 bytes (openssl rand -base64 32), got something that is not base64");
    }
    if (bytes.length != 32) {
      throw new SettingsException(key,
          "must be base64 of 32 bytes (openssl rand -base64 32), got " + bytes.length + " bytes");
    }
    return new SecretsSettings(Secret.of(value));
  }

  private static WebhookSettings webhooks(SettingsReader reader) {
    String prefix = ROOT + ".webhooks.";
    return new WebhookSettings(
        reader.positiveDuration(prefix + "poll-interval"),
        reader.positiveDuration(prefix + "retry-min"),
        reader.positiveDuration(prefix + "retry-max"),
        reader.positiveDuration(prefix + "give-up-after"),
        reader.positiveDuration(prefix + "timeout"),
        reader.bool(prefix + "allow-private-targets"),
        reader.bool(prefix + "allow-http"));
  }

  private static ProjectionSettings projections(SettingsReader reader) {
    String prefix = ROOT + ".projections.";
    Duration groupWithin = reader.positiveDuration(prefix + "group-within");
    if (groupWithin.compareTo(ProjectionSettings.MAX_GROUP_WITHIN) > 0) {
      throw new SettingsException(prefix + "group-within",
          "must be at most " + ProjectionSettings.MAX_GROUP_WITHIN.toSeconds()
              + "s (read models lag behind by up to this much)");
    }
    int groupSize = reader.integer(prefix + "group-size", 1, ProjectionSettings.MAX_GROUP_SIZE);
    return new ProjectionSettings(groupSize, groupWithin);
  }

  private static BillingSettings billing(SettingsReader reader) {
    String prefix = ROOT + ".billing.";
    return new BillingSettings(
        httpUrl(reader, prefix + "stripe.api-base"),
        Secret.of(reader.string(prefix + "stripe.secret-key").strip()),
        Secret.of(reader.string(prefix + "stripe.webhook-secret").strip()),
        reader.positiveDuration(prefix + "stripe.webhook-tolerance"),
        httpUrl(reader, prefix + "success-url"),
        httpUrl(reader, prefix + "cancel-url"),
        reader.integer(prefix + "sms-number-markup-percent", 0, 1_000));
  }

  private static String httpUrl(SettingsReader reader, String key) {
    String url = reader.nonEmptyString(key).strip();
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new SettingsException(key, "must be an http:// or https:// URL, got '" + url + "'");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static LlmSettings llm(SettingsReader reader) {
    String prefix = ROOT + ".llm.";
    return new LlmSettings(
        reader.positiveDuration(prefix + "timeout"),
        endpoint(reader, prefix + "openai."),
        endpoint(reader, prefix + "anthropic."),
        reader.integer(prefix + "max-concurrent-calls", 1, 16384),
        reader.integer(prefix + "streaming-threads", 1, 4096));
  }

  private static LlmSettings.Endpoint endpoint(SettingsReader reader, String prefix) {
    String baseUrl = reader.nonEmptyString(prefix + "base-url");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new SettingsException(prefix + "base-url", "must be an http:// or https:// URL, got '" + baseUrl + "'");
    }
    return new LlmSettings.Endpoint(baseUrl, Secret.of(reader.string(prefix + "api-key").strip()));
  }

  private static AdminSettings admin(SettingsReader reader) {
    String key = ROOT + ".admin.token";
    String token = reader.string(key).strip();
    if (!token.isEmpty() && token.length() < MIN_ADMIN_TOKEN_LENGTH) {
      throw new SettingsException(key, "must be empty (disabled) or at least " + MIN_ADMIN_TOKEN_LENGTH + " characters long");
    }
    return new AdminSettings(Secret.of(token));
  }

  private static DemoSettings demo(SettingsReader reader) {
    return new DemoSettings(reader.bool(ROOT + ".demo.enabled"), reader.positiveLong(ROOT + ".demo.credits"));
  }

  private static PeopleSettings people(SettingsReader reader) {
    String prefix = ROOT + ".people.";
    String bootstrapKey = ROOT + ".bootstrap.owner-email";
    String bootstrap = reader.string(bootstrapKey).strip().toLowerCase(java.util.Locale.ROOT);
    if (!bootstrap.isEmpty() && !bootstrap.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      throw new SettingsException(bootstrapKey, "must be an email address, got '" + bootstrap + "'");
    }
    return new PeopleSettings(
        reader.positiveDuration(prefix + "link-lifetime"),
        reader.positiveDuration(prefix + "session-idle"),
        reader.positiveDuration(prefix + "session-absolute"),
        reader.positiveDuration(prefix + "invitation-lifetime"),
        reader.integer(prefix + "links-per-address-per-minute", 1, 1000),
        reader.integer(prefix + "links-per-ip-per-minute", 1, 10000),
        reader.positiveDuration(prefix + "portal-token-lifetime"),
        bootstrap,
        email(reader, ROOT + ".email."),
        notifications(reader, ROOT + ".notifications."));
  }

  private static PortalSettings portal(SettingsReader reader) {
    String prefix = ROOT + ".portal.";
    String dnsServer = reader.string(prefix + "dns-server").strip();
    if (!dnsServer.isEmpty() && !dnsServer.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new SettingsException(prefix + "dns-server", "must be a host or host:port, got '" + dnsServer + "'");
    }
    java.util.Set<String> tiers = new java.util.LinkedHashSet<>();
    for (String tier : reader.string(prefix + "white-label-tiers").split(",")) {
      if (!tier.isBlank()) {
        tiers.add(tier.strip());
      }
    }
    return new PortalSettings(dnsServer, reader.positiveDuration(prefix + "hosts-refresh"), reader.positiveBytes(prefix + "max-logo-bytes"),
        reader.positiveBytes(prefix + "max-favicon-bytes"), tiers);
  }

  private static NotificationSettings notifications(SettingsReader reader, String prefix) {
    return new NotificationSettings(
        reader.positiveDuration(prefix + "poll-interval"),
        reader.positiveDuration(prefix + "collapse-window"),
        reader.nonNegativeDuration(prefix + "gather-delay"),
        reader.integer(prefix + "digest-hour-utc", 0, 23),
        reader.integer(prefix + "max-attempts", 1, 100),
        reader.positiveDuration(prefix + "retry-min"),
        reader.positiveDuration(prefix + "retry-max"),
        new NotificationSettings.Pushover(reader.nonEmptyString(prefix + "pushover.api-url").strip(),
            Secret.of(reader.string(prefix + "pushover.app-token").strip())),
        webPushSubject(reader, prefix + "web-push-subject"));
  }

  private static String webPushSubject(SettingsReader reader, String key) {
    String subject = reader.nonEmptyString(key).strip();
    if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
      throw new SettingsException(key, "must be a mailto: or https:// URL, got '" + subject + "'");
    }
    return subject;
  }

  private static EmailSettings email(SettingsReader reader, String prefix) {
    String security = reader.nonEmptyString(prefix + "security").strip().toUpperCase(java.util.Locale.ROOT);
    EmailSettings.Security parsed;
    try {
      parsed = EmailSettings.Security.valueOf(security);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(prefix + "security", "must be none, starttls or tls, got '" + security.toLowerCase(java.util.Locale.ROOT) + "'");
    }
    return new EmailSettings(
        reader.string(prefix + "host").strip(),
        reader.integer(prefix + "port", 1, 65535),
        parsed,
        reader.string(prefix + "user").strip(),
        Secret.of(reader.string(prefix + "password")),
        reader.nonEmptyString(prefix + "from").strip(),
        reader.integer(prefix + "max-attempts", 1, 100));
  }

  private static Catalog catalog(SettingsReader reader) {
    String prefix = ROOT + ".catalog.";
    Map<String, Tier> tiers = new LinkedHashMap<>();
    for (String id : childNames(reader, prefix + "tiers")) {
      String tierKey = prefix + "tiers." + id + ".";
      OptionalLong monthlyCredits =
          reader.isString(tierKey + "monthly-credits", "unlimited")
              ? OptionalLong.empty()
              : OptionalLong.of(reader.nonNegativeLong(tierKey + "monthly-credits"));
      tiers.put(
          id,
          new Tier(
              id,
              reader.nonNegativeLong(tierKey + "monthly-price-cents"),
              monthlyCredits,
              reader.nonNegativeLong(tierKey + "daily-credits"),
              reader.bool(tierKey + "platform-sms")));
    }
    for (String required : REQUIRED_TIERS) {
      if (!tiers.containsKey(required)) {
        throw new SettingsException(prefix + "tiers." + required, "is missing (the tiers " + REQUIRED_TIERS + " are required)");
      }
    }
    Map<String, CreditPack> packs = new LinkedHashMap<>();
    for (String id : childNames(reader, prefix + "credit-packs")) {
      String packKey = prefix + "credit-packs." + id + ".";
      packs.put(id, new CreditPack(id, reader.positiveLong(packKey + "credits"), reader.positiveLong(packKey + "price-cents")));
    }
    Map<String, Long> toolCosts = new LinkedHashMap<>();
    for (String tool : childNames(reader, prefix + "costs.tools")) {
      toolCosts.put(tool, reader.nonNegativeLong(prefix + "costs.tools." + quoted(tool)));
    }
    Costs costs =
        new Costs(
            reader.nonNegativeLong(prefix + "costs.ai-reply"),
            reader.nonNegativeLong(prefix + "costs.tool-call"),
            toolCosts,
            reader.nonNegativeLong(prefix + "costs.sms-segment"),
            reader.nonNegativeLong(prefix + "costs.outreach-message"));
    return new Catalog(reader.nonEmptyString(prefix + "currency"), tiers, packs, costs);
  }

  private static List<String> childNames(SettingsReader reader, String key) {
    Config config = reader.config();
    if (!config.hasPath(key)) {
      throw new SettingsException(key, "is missing");
    }
    try {
      return config.getObject(key).keySet().stream().sorted().toList();
    } catch (ConfigException.WrongType e) {
      throw new SettingsException(key, "must be an object");
    }
  }

  /** Tool names may contain characters that are path separators in HOCON. */
  private static String quoted(String name) {
    return "\"" + name + "\"";
  }
}
