package io.layercake.http.demo;

import io.layercake.config.DemoSettings;
import io.layercake.persistence.access.JdbcApiKeys;
import io.layercake.persistence.cluster.JdbcClusterClaims;
import io.layercake.persistence.journal.JournalInspector;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.knowledge.KnowledgeLibrary;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.SignIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the demo a newcomer meets on the first start: an agency with credits and its client, a
 * plumbing business whose agent runs on the local model with a small knowledge base and webchat;
 * the agency's owner and the plumber as people who sign in (their first links are printed once),
 * and an API key for scripts. It runs only when the journal holds no organization at all, so a restart,
 * or a database with real tenants, is left alone.
 */
public final class DemoSeed {
  public static final String ORG_ID = "demo";
  public static final String AGENCY_ID = "demo-agency";
  public static final String OWNER_EMAIL = "owner@demo.layercake.local";
  public static final String CLIENT_EMAIL = "plumber@demo.layercake.local";
  public static final String AGENT_ID = "demo-plumber";
  static final String KNOWLEDGE_TAG = "demo";
  private static final String SEEDED_BY = "demo-seed";
  private static final String DOCUMENT = "/demo/pipe-pros-services.md";
  private static final Logger log = LoggerFactory.getLogger(DemoSeed.class);

  /** What the seed made: an API key for scripts and the people's first sign-in links, shown once. */
  public record Seeded(String orgId, String agentId, String apiKey, List<FirstSignIn> signIns) {}

  /** A person the seed created and the link that signs them in (valid for the link lifetime). */
  public record FirstSignIn(String who, String email, String link) {}

  private final DemoSettings settings;
  private final JournalInspector journal;
  private final Organizations organizations;
  private final AgentDirectory agents;
  private final KnowledgeLibrary library;
  private final JdbcApiKeys apiKeys;
  private final JdbcClusterClaims claims;
  private final People people;
  private final SignIn signIn;
  private final String node;
  private final Executor executor;

  /** {@code node} names this node in the claim, so an operator can tell which node seeded. */
  public DemoSeed(DemoSettings settings, JournalInspector journal, Organizations organizations, AgentDirectory agents,
      KnowledgeLibrary library, JdbcApiKeys apiKeys, JdbcClusterClaims claims, People people, SignIn signIn, String node,
      Executor executor) {
    this.people = people;
    this.signIn = signIn;
    this.claims = claims;
    this.node = node;
    this.settings = settings;
    this.journal = journal;
    this.organizations = organizations;
    this.agents = agents;
    this.library = library;
    this.apiKeys = apiKeys;
    this.executor = executor;
  }

  /**
   * Seeds when enabled and no organization exists yet; empty otherwise. Nodes starting together on
   * an empty database all see no organization: the one that claims {@code demo-seed} seeds, the
   * others leave it (a node that dies mid-seed leaves a partial demo; its key was never shown).
   */
  public CompletionStage<Optional<Seeded>> seedIfEmpty() {
    if (!settings.enabled()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return journal.persistenceIds(OrgEntity.TYPE_KEY.name(), null, 1).thenComposeAsync(existing -> {
      if (!existing.isEmpty()) {
        log.debug("Organizations exist: no demo seeded");
        return CompletableFuture.completedFuture(Optional.<Seeded>empty());
      }
      return claims.claim(SEEDED_BY, node).thenComposeAsync(claimed -> {
        if (!claimed) {
          log.info("Another node is seeding the demo");
          return CompletableFuture.completedFuture(Optional.<Seeded>empty());
        }
        return seed().thenApply(Optional::of);
      }, executor);
    }, executor);
  }

  private CompletionStage<Seeded> seed() {
    return organizations.open(AGENCY_ID, "Demo Agency", "agency", null)
        .thenComposeAsync(opened -> expect(opened, "open the demo agency")
            .thenCompose(done -> organizations.addPurchased(AGENCY_ID, SEEDED_BY, settings.credits())), executor)
        .thenComposeAsync(purchased -> expect(purchased, "credit the demo agency")
            .thenCompose(done -> organizations.open(ORG_ID, "Pipe Pros Plumbing (demo)", "free", AGENCY_ID)), executor)
        .thenComposeAsync(opened -> expect(opened, "open the demo client")
            .thenCompose(done -> library.add(ORG_ID, "Services and prices", List.of(KNOWLEDGE_TAG), "text/markdown", document())),
            executor)
        .thenComposeAsync(document -> agents.create(AGENT_ID, agent(), SEEDED_BY), executor)
        .thenComposeAsync(created -> {
          if (!(created instanceof AgentEntity.Agent)) {
            return CompletableFuture.failedFuture(new IllegalStateException("could not create the demo agent: " + created));
          }
          return apiKeys.create(ORG_ID, "demo scripts", Scopes.ALL, SEEDED_BY);
        }, executor)
        .thenComposeAsync(key -> person(OWNER_EMAIL, "Olivia Owner", AGENCY_ID, Role.OWNER, "agency owner")
            .thenCombine(person(CLIENT_EMAIL, "Pat Plumber", ORG_ID, Role.CLIENT_OWNER, "client (the plumber)"), List::of)
            .thenApply(signIns -> {
              log.info("Demo seeded: agency {} with {} credits, its client {} with agent {} on the local model with webchat, "
                  + "users {} and {}", AGENCY_ID, settings.credits(), ORG_ID, AGENT_ID, OWNER_EMAIL, CLIENT_EMAIL);
              return new Seeded(ORG_ID, AGENT_ID, key.key(), signIns);
            }), executor);
  }

  private CompletionStage<FirstSignIn> person(String email, String name, String orgId, Role role, String who) {
    return people.findOrCreate(email, name)
        .thenComposeAsync(user -> people.grant(user.userId(), orgId, role, SEEDED_BY), executor)
        .thenComposeAsync(membership -> signIn.consoleLink(email), executor)
        .thenApply(link -> new FirstSignIn(who, email, link));
  }

  private static CompletionStage<Void> expect(OrgEntity.Reply reply, String what) {
    return reply instanceof OrgEntity.Rejected rejected
        ? CompletableFuture.failedFuture(new IllegalStateException("could not " + what + ": " + rejected.message()))
        : CompletableFuture.completedFuture(null);
  }

  static AgentConfig agent() {
    return new AgentConfig(
        ORG_ID,
        "Pipe Pros assistant",
        "You answer for Pipe Pros Plumbing: friendly, short, and honest about what you do not know.",
        List.of(
            new AgentConfig.FaqEntry("What are your opening hours?",
                "We're open Monday to Friday 8:00-18:00 and Saturday 9:00-14:00. Emergencies: 24/7 on 0800 123 4567."),
            new AgentConfig.FaqEntry("How much does a call-out cost?",
                "A call-out is 60 euros including the first 30 minutes, then 75 euros per hour. Quotes are free."),
            new AgentConfig.FaqEntry("Do you have an emergency service?",
                "Yes: for a burst pipe or a leak call 0800 123 4567 any time, a plumber is with you within 90 minutes."
                    + " Meanwhile turn off the water at the main stop tap."),
            new AgentConfig.FaqEntry("Which areas do you cover?",
                "The city centre and every suburb within 25 km. Further out, ask us for a quote.")),
        List.of("handoff_to_human"),
        AgentConfig.Autonomy.AUTONOMOUS,
        List.of(KNOWLEDGE_TAG),
        AgentConfig.ModelChoice.LOCAL,
        "Sorry, we can't answer right now. Please call 0800 123 4567.",
        "Hi! I'm the Pipe Pros assistant. Ask me about opening hours, prices or emergencies.",
        List.of("en"),
        null,
        AgentConfig.DoubleTexting.COALESCE,
        new AgentConfig.Webchat(true, "#0f766e", "bottom-right", List.of()));
  }

  private static byte[] document() {
    try (InputStream in = DemoSeed.class.getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
