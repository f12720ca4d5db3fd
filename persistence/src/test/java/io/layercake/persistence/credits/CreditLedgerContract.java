package io.layercake.persistence.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.CreditSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.LedgerNode;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.ConversationChargeCheck;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.CreditReports.AgentUsage;
import io.layercake.runtime.credits.CreditReports.ItemUsage;
import io.layercake.runtime.credits.LedgerAudit;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credit ledger on the real journal and read model: concurrency, sub-organization pools,
 * expiry (in memory, and after a restart through the sweeper), notifications and the audit.
 * Runs once per database ({@link CreditLedgerH2Test}, {@link CreditLedgerPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FreshDatabases.Extension.class)
abstract class CreditLedgerContract {
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration SWEEP = Duration.ofMillis(300);

  private DatabaseSettings database;
  private LayercakeSettings settings;
  private LedgerNode node;
  private Organizations orgs;

  abstract TestDatabases kind();

  @BeforeAll
  void start(FreshDatabases databases, @TempDir Path dir) {
    database = databases.create(kind(), dir);
    settings = TestNodes.settings(dir, database, 20).withCredits(new CreditSettings(TTL, SWEEP, 20));
    node = LedgerNode.start(settings);
    orgs = node.ledger().organizations();
  }

  /** After every scenario the audit is clean, but for the org whose journal a test tampered with on purpose. */
  @AfterAll
  void auditAndStop() {
    try {
      JournalLedgerAudit.Report report = join(node.ledger().audit().run());
      assertThat(report.organizations()).isGreaterThanOrEqualTo(6);
      assertThat(report.violations()).extracting(LedgerAudit.Finding::orgId).containsOnly("audited");
    } finally {
      node.close();
    }
  }

  @Test
  void fiftySessionsReservingAtOnceNeverOverspend() {
    open("busy", "pro", null);
    grant("busy", 100);

    List<OrgEntity.Reply> replies = all(IntStream.range(0, 50)
        .mapToObj(i -> orgs.reserve("busy", "busy-r" + i, 3, "session-" + i, "agent-1").toCompletableFuture())
        .toList());

    List<OrgEntity.Reserved> reserved = replies.stream()
        .filter(OrgEntity.Reserved.class::isInstance).map(OrgEntity.Reserved.class::cast).toList();
    assertThat(reserved).hasSize(33);
    // the other 17 are told the credits are held, not spent: they would ask again (nothing is recorded for them)
    assertThat(replies).filteredOn(OrgEntity.CreditsHeld.class::isInstance).hasSize(17);
    assertThat(balance("busy").reserved()).isEqualTo(99);
    assertThat(balance("busy").available()).isEqualTo(1);

    all(reserved.stream().map(r -> orgs.commit("busy", r.reservationId(), 2, List.of(new CostLine("llm_reply", 2)))
        .toCompletableFuture()).toList());
    OrgEntity.Balance after = balance("busy");
    assertThat(after.buckets()).isEqualTo(new Balances(0, 34, 0));
    assertThat(after.reserved()).isZero();
    assertThat(after.totals().committed()).isEqualTo(66);
  }

  @Test
  void aSubOrganizationSpendsFromItsParentAndIsRecordedOnEveryTransaction() {
    open("agency", "agency", null);
    open("plumber", "free", "agency");
    grant("agency", 2000);

    assertThat(join(orgs.reserve("plumber", "plumber-r1", 5, "session-p", "agent-p"))).isInstanceOf(OrgEntity.Reserved.class);
    assertThat(join(orgs.commit("plumber", "plumber-r1", 3,
        List.of(new CostLine("llm_reply", 1), new CostLine("tool:book_appointment", 2)))))
        .isEqualTo(new OrgEntity.Committed("plumber-r1", 3, 0));

    assertThat(balance("agency").buckets()).isEqualTo(new Balances(0, 1997, 0));
    assertThat(balance("plumber").poolOrgId()).isEqualTo("agency");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofHours(1));
    AgentUsage usage = new AgentUsage("plumber", "agent-p", 3, 1);
    node.eventually(() -> {
      assertThat(join(node.ledger().reports().usageByAgent("agency", from, to))).containsExactly(usage);
      assertThat(join(node.ledger().reports().usageByAgent("plumber", from, to))).containsExactly(usage);
      assertThat(join(node.ledger().reports().usageByItem("agency", from, to))).containsExactlyInAnyOrder(
          new ItemUsage("plumber", "agent-p", "llm_reply", 1), new ItemUsage("plumber", "agent-p", "tool:book_appointment", 2));
    });
    assertThat(Sql.longs(database, "SELECT COUNT(*) FROM credit_transactions WHERE org_id = 'agency' AND sub_org_id = 'plumber'"
        + " AND agent_id = 'agent-p' AND session_id = 'session-p'")).containsExactly(4L);
    assertThat(readModelBalance("agency")).isEqualTo(1997);
  }

  @Test
  void anUnsettledReservationExpiresWhileTheOrganizationIsInMemory() {
    open("forgetful", "pro", null);
    grant("forgetful", 10);

    join(orgs.reserve("forgetful", "forgetful-r1", 4, "session-f", "agent-f"));

    node.eventually(() -> assertThat(balance("forgetful").reserved()).isZero());
    assertThat(balance("forgetful").available()).isEqualTo(10);
    assertThat(join(orgs.release("forgetful", "forgetful-r1")))
        .isEqualTo(new OrgEntity.Released("forgetful-r1", io.layercake.runtime.credits.Settlement.Outcome.EXPIRED));
  }

  @Test
  void lowAndExhaustedCreditsBecomeNotifications() {
    open("thrifty", "pro", null);
    grant("thrifty", 10);

    join(orgs.reserve("thrifty", "thrifty-r1", 9, "s", "a"));
    join(orgs.reserve("thrifty", "thrifty-r2", 1, "s", "a"));

    node.eventually(() -> assertThat(Sql.strings(database,
            "SELECT kind FROM notifications WHERE org_id = 'thrifty' ORDER BY id"))
        .containsExactly("credits.low", "credits.exhausted"));
  }

  @Test
  void theAuditIsCleanAndCatchesATamperedJournal() {
    open("audited", "pro", null);
    grant("audited", 50);
    join(orgs.addPurchased("audited", "cs_audit", 100));
    join(orgs.reserve("audited", "audited-r1", 120, "s", "a"));
    join(orgs.commit("audited", "audited-r1", 110, List.of(new CostLine("llm_reply", 110))));

    JournalLedgerAudit.Report clean = join(node.ledger().audit().run());
    assertThat(clean.violations()).isEmpty();
    assertThat(clean.organizations()).isGreaterThanOrEqualTo(1);

    // Losing the purchase makes the later reservation take credits that were never there.
    assertThat(Sql.update(database,
        "DELETE FROM event_journal WHERE persistence_id = 'Org|audited' AND event_ser_manifest LIKE '%CreditsPurchased'"))
        .isEqualTo(1);
    JournalLedgerAudit.Report tampered = join(node.ledger().audit().run());
    assertThat(tampered.violations()).extracting(finding -> finding.orgId()).containsExactly("audited");
  }

  @Test
  void theAuditComparesWhatEachConversationRecordedWithWhatTheLedgerChargedIt() {
    open("crosschecked", "pro", null);
    grant("crosschecked", 100);
    join(orgs.reserve("crosschecked", "xc-r1", 10, "xc-settled", "a"));
    join(orgs.commit("crosschecked", "xc-r1", 7, List.of(new CostLine("llm_reply", 7))));
    join(orgs.reserve("crosschecked", "xc-r2", 10, "xc-leasing", "a")); // a lease still open: not settled yet
    Sql.update(database, "INSERT INTO conversations (session_id, org_id, agent_id, channel, contact, status, owner, started_at,"
        + " last_message_at, message_count, credits_used, credits_exhausted) VALUES"
        + " ('xc-settled', 'crosschecked', 'a', 'webchat', 'v1', 'active', 'agent', ?, ?, 2, 7, FALSE),"
        + " ('xc-leasing', 'crosschecked', 'a', 'webchat', 'v2', 'active', 'agent', ?, ?, 2, 3, FALSE)",
        java.sql.Timestamp.from(java.time.Instant.now()), java.sql.Timestamp.from(java.time.Instant.now()),
        java.sql.Timestamp.from(java.time.Instant.now()), java.sql.Timestamp.from(java.time.Instant.now()));

    JournalLedgerAudit.Report agreeing = join(node.ledger().audit().run());
    assertThat(agreeing.conversations().differences()).extracting(ConversationChargeCheck.Difference::sessionId)
        .doesNotContain("xc-settled", "xc-leasing");
    assertThat(agreeing.conversations().pending()).isGreaterThanOrEqualTo(1);

    // The turn's charge lost on the conversation's side (recorded as settled without a charge).
    Sql.update(database, "UPDATE conversations SET credits_used = 0 WHERE session_id = 'xc-settled'");
    JournalLedgerAudit.Report differing = join(node.ledger().audit().run());
    assertThat(differing.conversations().differences())
        .filteredOn(difference -> difference.sessionId().startsWith("xc-"))
        .containsExactly(new ConversationChargeCheck.Difference("xc-settled", "crosschecked", 0, 7));
    assertThat(differing.clean()).isFalse();
  }

  @Test
  void aReservationLeftOpenAcrossARestartIsExpiredByTheSweeper(FreshDatabases databases, @TempDir Path otherDir) {
    // Nodes and a database of their own, so that no other node wakes this org. The TTL leaves
    // time to see the reservation in the read model before the first node stops.
    DatabaseSettings ownDatabase = databases.create(kind(), otherDir);
    LayercakeSettings ownSettings = TestNodes.settings(otherDir, ownDatabase, 20)
        .withCredits(new CreditSettings(Duration.ofSeconds(6), SWEEP, 20));
    try (LedgerNode first = LedgerNode.start(ownSettings)) {
      Organizations firstOrgs = first.ledger().organizations();
      join(firstOrgs.open("crashy", "Crashy", "pro", null));
      join(firstOrgs.grant("crashy", "2026-11", Bucket.MONTHLY, 10));
      join(firstOrgs.reserve("crashy", "crashy-r1", 4, "session-c", "agent-c"));
      first.eventually(() -> assertThat(Sql.longs(ownDatabase,
          "SELECT COUNT(*) FROM open_reservations WHERE org_id = 'crashy'")).containsExactly(1L));
    }
    try (LedgerNode second = LedgerNode.start(ownSettings)) {
      second.eventually(() -> assertThat(Sql.longs(ownDatabase,
          "SELECT amount FROM credit_transactions WHERE org_id = 'crashy' AND kind = 'reservation_expired'"))
          .containsExactly(4L));
      assertThat(Sql.longs(ownDatabase, "SELECT COUNT(*) FROM open_reservations WHERE org_id = 'crashy'")).containsExactly(0L);
      OrgEntity.Reply balance = join(second.ledger().organizations().balance("crashy"));
      assertThat(((OrgEntity.CurrentBalance) balance).balance().available()).isEqualTo(10);
    }
  }

  private void open(String orgId, String tier, String parent) {
    assertThat(join(orgs.open(orgId, orgId, tier, parent))).isInstanceOf(OrgEntity.Accepted.class);
  }

  private void grant(String orgId, long amount) {
    assertThat(join(orgs.grant(orgId, "2026-11", Bucket.MONTHLY, amount))).isInstanceOf(OrgEntity.CurrentBalance.class);
  }

  private OrgEntity.Balance balance(String orgId) {
    return ((OrgEntity.CurrentBalance) join(orgs.balance(orgId))).balance();
  }

  private long readModelBalance(String orgId) {
    String kinds = String.join("','", CreditMovement.BALANCE_KINDS);
    return Sql.longs(database, "SELECT COALESCE(SUM(amount), 0) FROM credit_transactions WHERE org_id = ? AND kind IN ('" + kinds + "')",
        orgId).get(0);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static <T> List<T> all(List<CompletableFuture<T>> futures) {
    return futures.stream().map(CompletableFuture::join).toList();
  }
}
