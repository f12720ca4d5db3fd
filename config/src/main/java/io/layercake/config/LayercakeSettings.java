package io.layercake.config;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * Every setting of a Layercake node, typed, validated and immutable.
 *
 * @param pekko the resolved configuration the settings were read from; the actor system starts from it
 */
public record LayercakeSettings(
    Path dataDir,
    HttpSettings http,
    DatabaseSettings database,
    ClusterSettings cluster,
    EntitySettings entities,
    CreditSettings credits,
    AgentSettings agents,
    SessionSettings sessions,
    ChannelSettings channels,
    BillingSettings billing,
    WebhookSettings webhooks,
    LlmSettings llm,
    AdminSettings admin,
    DemoSettings demo,
    PeopleSettings people,
    PortalSettings portal,
    SecretsSettings secrets,
    ProjectionSettings projections,
    Catalog catalog,
    Config pekko) {

  /**
   * Every typed setting, secrets masked; not {@code pekko}, which holds the resolved configuration
   * and with it the database password, the admin token and the secrets key in clear.
   */
  @Override
  public String toString() {
    return "LayercakeSettings[dataDir=" + dataDir + ", http=" + http + ", database=" + database + ", cluster=" + cluster
        + ", entities=" + entities + ", credits=" + credits + ", agents=" + agents + ", sessions=" + sessions
        + ", channels=" + channels + ", billing=" + billing + ", webhooks=" + webhooks + ", llm=" + llm + ", admin=" + admin
        + ", demo=" + demo + ", people=" + people + ", portal=" + portal + ", secrets=" + secrets + ", projections=" + projections + "]";
  }

  /** The same settings with another database: tests and tools point a node at their own. */
  public LayercakeSettings withDatabase(DatabaseSettings otherDatabase) {
    return new LayercakeSettings(dataDir, http, otherDatabase, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withHttp(HttpSettings otherHttp) {
    return new LayercakeSettings(dataDir, otherHttp, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withCluster(ClusterSettings otherCluster) {
    return new LayercakeSettings(dataDir, http, database, otherCluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withEntities(EntitySettings otherEntities) {
    return new LayercakeSettings(dataDir, http, database, cluster, otherEntities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withCredits(CreditSettings otherCredits) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, otherCredits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withAgents(AgentSettings otherAgents) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, otherAgents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withSessions(SessionSettings otherSessions) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, otherSessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withChannels(ChannelSettings otherChannels) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, otherChannels, billing, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withBilling(BillingSettings otherBilling) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, otherBilling, webhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withWebhooks(WebhookSettings otherWebhooks) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, otherWebhooks, llm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withLlm(LlmSettings otherLlm) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, otherLlm, admin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withAdmin(AdminSettings otherAdmin) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, otherAdmin, demo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withDemo(DemoSettings otherDemo) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, otherDemo, people, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withSecrets(SecretsSettings otherSecrets) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, otherSecrets, projections, catalog, pekko);
  }

  public LayercakeSettings withProjections(ProjectionSettings otherProjections) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, portal, secrets, otherProjections, catalog, pekko);
  }

  public LayercakeSettings withPeople(PeopleSettings otherPeople) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, otherPeople, portal, secrets, projections, catalog, pekko);
  }

  public LayercakeSettings withPortal(PortalSettings otherPortal) {
    return new LayercakeSettings(dataDir, http, database, cluster, entities, credits, agents, sessions, channels, billing, webhooks, llm, admin, demo, people, otherPortal, secrets, projections, catalog, pekko);
  }
}
