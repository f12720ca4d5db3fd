package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.credits.OrgEntity.Command;
import io.layercake.runtime.credits.OrgEntity.CurrentBalance;
import io.layercake.runtime.credits.OrgEntity.Reply;
import io.layercake.runtime.credits.OrgEntity.Reserve;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy organization writes the money commands that queued behind a write together: one journal
 * write per group, each command decided against what its predecessors left, each answered once.
 */
class OrgEntityGroupCommitTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final AtomicInteger ORGS = new AtomicInteger();

  private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private final TestProbe<Reply> replies = testKit.createTestProbe();

  @AfterEach
  void resetJournal() {
    journal.resetPolicy();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void reservationsQueuedBehindAWriteAreDecidedInOrderAndWrittenTogether() throws InterruptedException {
    String orgId = "busy-" + ORGS.incrementAndGet();
    ActorRef<Command> org = openWith100Credits(orgId);
    List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstWriteStarted = new CountDownLatch(1);
    CountDownLatch firstWriteMayFinish = new CountDownLatch(1);
    journal.withPolicy((persistenceId, operation) -> {
      if (persistenceId.endsWith(orgId) && operation instanceof WriteEvents write) {
        writes.add(write.getBatch().size());
        if (writes.size() == 1) {
          firstWriteStarted.countDown();
          awaitQuietly(firstWriteMayFinish);
        }
      }
      return ProcessingSuccess$.MODULE$;
    });

    org.tell(reserve("first", 1));
    assertThat(firstWriteStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 40; i++) {
      org.tell(reserve("r" + i, 3));
    }
    org.tell(reserve("r1", 3)); // a caller's retry of a reservation still in the same group
    TestProbe<Reply> balance = testKit.createTestProbe();
    org.tell(new OrgEntity.GetBalance(balance.ref()));
    firstWriteMayFinish.countDown();

    List<Reply> answers = replies.receiveSeveralMessages(42, WAIT);
    long reserved = answers.stream().filter(OrgEntity.Reserved.class::isInstance).count();
    long held = answers.stream().filter(OrgEntity.CreditsHeld.class::isInstance).count();
    // 99 credits after "first": 33 holds of 3, then 7 told to ask again (the 100 credits are held, not
    // spent: settled, they may come back); the retry of r1 gets r1's answer again.
    assertThat(reserved).isEqualTo(1 + 33 + 1);
    assertThat(held).isEqualTo(7);
    assertThat(answers).filteredOn(OrgEntity.Reserved.class::isInstance)
        .extracting(reply -> ((OrgEntity.Reserved) reply).reservationId())
        .containsOnlyOnce("first").containsOnlyOnce("r33").doesNotContain("r34")
        .filteredOn("r1"::equals).hasSize(2);
    OrgEntity.Balance after = ((CurrentBalance) balance.receiveMessage(WAIT)).balance();
    assertThat(after.available()).isZero();
    assertThat(after.reserved()).isEqualTo(100);
    assertThat(after.openReservations()).isEqualTo(34);
    // 41 commands that change the ledger behind one write: far fewer writes than commands.
    assertThat(writes).as("journal writes (events in each)").hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void settlementsJoinTheGroupAndARetriedCommitIsAnsweredAlike() throws InterruptedException {
    String orgId = "settling-" + ORGS.incrementAndGet();
    ActorRef<Command> org = openWith100Credits(orgId);
    for (int i = 1; i <= 5; i++) {
      org.tell(reserve("s" + i, 10));
    }
    assertThat(replies.receiveSeveralMessages(5, WAIT)).allMatch(OrgEntity.Reserved.class::isInstance);
    CountDownLatch firstWriteStarted = new CountDownLatch(1);
    CountDownLatch firstWriteMayFinish = new CountDownLatch(1);
    AtomicInteger writes = new AtomicInteger();
    journal.withPolicy((persistenceId, operation) -> {
      if (persistenceId.endsWith(orgId) && operation instanceof WriteEvents && writes.incrementAndGet() == 1) {
        firstWriteStarted.countDown();
        awaitQuietly(firstWriteMayFinish);
      }
      return ProcessingSuccess$.MODULE$;
    });

    org.tell(commit("s1", 4));
    assertThat(firstWriteStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    org.tell(commit("s2", 4));
    org.tell(commit("s2", 4));
    org.tell(new OrgEntity.Release("s3", null, replies.ref()));
    org.tell(reserve("s6", 60));
    firstWriteMayFinish.countDown();

    List<Reply> answers = replies.receiveSeveralMessages(5, WAIT);
    assertThat(answers).containsExactly(
        new OrgEntity.Committed("s1", 4, 0),
        new OrgEntity.Committed("s2", 4, 0),
        new OrgEntity.Committed("s2", 4, 0),
        new OrgEntity.Released("s3", Settlement.Outcome.RELEASED),
        // 50 held by s1..s5; s1 and s2 gave back 6 each and s3 its 10: 72 left.
        answers.get(4));
    assertThat(answers.get(4)).isInstanceOf(OrgEntity.Reserved.class);
    TestProbe<Reply> balance = testKit.createTestProbe();
    org.tell(new OrgEntity.GetBalance(balance.ref()));
    OrgEntity.Balance after = ((CurrentBalance) balance.receiveMessage(WAIT)).balance();
    assertThat(after.available()).isEqualTo(100 - 8 - 20 - 60);
    assertThat(after.totals().committed()).isEqualTo(8);
    assertThat(writes.get()).isEqualTo(2);
  }

  private ActorRef<Command> openWith100Credits(String orgId) {
    ManualClock clock = new ManualClock(START);
    ActorRef<Command> org = testKit.spawn(OrgEntity.create(orgId, TestSettings.orgDependencies(1000, id -> null, clock)));
    TestProbe<Reply> setup = testKit.createTestProbe();
    org.tell(new OrgEntity.Open("Busy Plumbing", "pro", null, setup.ref()));
    setup.expectMessageClass(OrgEntity.Accepted.class, WAIT);
    org.tell(new OrgEntity.AddPurchased("pack-1", 100, setup.ref()));
    setup.expectMessageClass(CurrentBalance.class, WAIT);
    return org;
  }

  private Reserve reserve(String reservationId, long amount) {
    return new Reserve(reservationId, amount, "session-" + reservationId, "agent-1", null, replies.ref());
  }

  private OrgEntity.Commit commit(String reservationId, long cost) {
    return new OrgEntity.Commit(reservationId, cost, List.of(new CostLine("llm_reply", cost)), null, replies.ref());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the first write finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
