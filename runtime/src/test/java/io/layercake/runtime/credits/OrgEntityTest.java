package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.TestSettings;
import io.layercake.runtime.credits.OrgEntity.Accepted;
import io.layercake.runtime.credits.OrgEntity.Command;
import io.layercake.runtime.credits.OrgEntity.Reason;
import io.layercake.runtime.credits.OrgEntity.Rejected;
import io.layercake.runtime.credits.OrgEntity.Event;
import io.layercake.runtime.credits.OrgEntity.GetSummary;
import io.layercake.runtime.credits.OrgEntity.Grant;
import io.layercake.runtime.credits.OrgEntity.Granted;
import io.layercake.runtime.credits.OrgEntity.Open;
import io.layercake.runtime.credits.OrgEntity.Opened;
import io.layercake.runtime.credits.OrgEntity.State;
import io.layercake.runtime.credits.OrgEntity.Summary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entity's behaviour with the in-memory journal; every command, event, reply and state is serialized. */
class OrgEntityTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeEach
  void startEntity() {
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), OrgEntity.create("acme", TestSettings.entities(100), Clock.fixed(NOW, ZoneOffset.UTC)));
    kit.clear();
  }

  private CommandResultWithReply<Command, Event, State, OrgEntity.Reply> run(
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<OrgEntity.Reply>, Command> command) {
    return kit.runCommand(command::apply);
  }

  private static Balances balancesIn(OrgEntity.Reply reply) {
    assertThat(reply).isInstanceOf(Accepted.class);
    return ((Accepted) reply).summary().balances();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void opensOnceAndRepeatsTheSameAnswerForTheSameDetails() {
    var opened = run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));

    assertThat(opened.event()).isEqualTo(new Opened("acme", "Acme Plumbing", "pro", null, NOW));
    assertThat(opened.reply()).isEqualTo(new Accepted(new Summary("acme", "Acme Plumbing", "pro", null, Balances.EMPTY)));

    var again = run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(opened.reply());

    var conflicting = run(replyTo -> new Open("Other", "free", null, replyTo));
    assertThat(conflicting.hasNoEvents()).isTrue();
    assertThat(conflicting.reply())
        .isEqualTo(new Rejected(Reason.CONFLICT, "organization acme is already open with other details"));
  }

  @Test
  void refusesCommandsBeforeItIsOpen() {
    var grant = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    var summary = run(GetSummary::new);

    assertThat(grant.hasNoEvents()).isTrue();
    assertThat(grant.reply()).isEqualTo(new Rejected(Reason.NOT_FOUND, "organization acme does not exist"));
    assertThat(summary.reply()).isEqualTo(grant.reply());
  }

  @Test
  void grantsOncePerBucketAndPeriod() {
    run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));

    var first = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    var duplicate = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 200, replyTo));
    var purchased = run(replyTo -> new Grant("2026-11", Bucket.PURCHASED, 100, replyTo));

    assertThat(first.event()).isEqualTo(new Granted("acme", "2026-11", Bucket.MONTHLY, 200, NOW));
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(balancesIn(duplicate.reply())).isEqualTo(new Balances(0, 200, 0));
    assertThat(balancesIn(purchased.reply())).isEqualTo(new Balances(0, 200, 100));
  }

  @Test
  void refusesGrantsThatAreNotPositive() {
    run(replyTo -> new Open("Acme Plumbing", "pro", null, replyTo));

    var zero = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 0, replyTo));

    assertThat(zero.hasNoEvents()).isTrue();
    assertThat(zero.reply()).isEqualTo(new Rejected(Reason.INVALID, "amount must be greater than 0"));
  }

  @Test
  void recoversItsStateAfterARestart() {
    run(replyTo -> new Open("Acme Plumbing", "agency", "parent-org", replyTo));
    run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 2000, replyTo));

    var restarted = kit.restart();

    assertThat(restarted.state().balances()).isEqualTo(new Balances(0, 2000, 0));
    assertThat(restarted.state().parentOrgId()).isEqualTo("parent-org");
    var duplicate = run(replyTo -> new Grant("2026-11", Bucket.MONTHLY, 2000, replyTo));
    assertThat(duplicate.hasNoEvents()).isTrue();
  }
}
