package io.layercake.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Sends through the fair gate: a broadcast waits behind itself, and a send given up is never made late. */
class FairChannelPortTest {
  private final List<String> made = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<SendOutcome>> pending = new CopyOnWriteArrayList<>();
  private final ChannelPort provider = message -> {
    made.add(message.orgId() + ":" + message.outboundId());
    CompletableFuture<SendOutcome> outcome = new CompletableFuture<>();
    pending.add(outcome);
    return outcome;
  };

  @Test
  void aBroadcastWaitsBehindItselfAndAnotherOrganizationsReplyGoesFirst() {
    FairChannelPort port = new FairChannelPort(provider, 4, Duration.ofMinutes(1), orgId -> orgId, Runnable::run);
    for (int i = 0; i < 10; i++) {
      port.send(message("agency", "b" + i));
    }
    assertThat(made).hasSize(3); // one of four places stays for a newcomer
    port.send(message("plumber", "r0"));
    port.send(message("plumber", "r1"));
    assertThat(made).hasSize(4).last().isEqualTo("plumber:r0");
    pending.get(0).complete(new SendOutcome.Accepted("p-0"));
    assertThat(made).last().as("the plumber before the broadcast").isEqualTo("plumber:r1");
    pending.get(1).complete(new SendOutcome.Accepted("p-1"));
    assertThat(made).last().isEqualTo("agency:b3");
  }

  @Test
  void aSendThatWaitedTooLongIsNotMadeAndIsToBeTriedAgain() {
    FairChannelPort port = new FairChannelPort(provider, 1, Duration.ZERO, orgId -> orgId, Runnable::run);
    port.send(message("agency", "b0"));
    CompletableFuture<SendOutcome> late = port.send(message("plumber", "r0")).toCompletableFuture();
    pending.get(0).complete(new SendOutcome.Accepted("p-0"));
    assertThat(late).isCompletedWithValueMatching(outcome -> outcome instanceof SendOutcome.Retryable);
    assertThat(made).containsExactly("agency:b0");
  }

  private static OutboundMessage message(String orgId, String outboundId) {
    return new OutboundMessage("s-" + outboundId, orgId, "agent", "whatsapp", "+31600000000", outboundId, "hi", null, null);
  }
}
