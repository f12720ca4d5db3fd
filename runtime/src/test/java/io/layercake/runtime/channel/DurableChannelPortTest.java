package io.layercake.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.durability.Durability;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

class DurableChannelPortTest {
  private final CompletableFuture<Done> durable = new CompletableFuture<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final ChannelPort channels = new ChannelPort() {
    @Override
    public CompletionStage<SendOutcome> send(OutboundMessage message) {
      sent.incrementAndGet();
      return CompletableFuture.completedFuture(new SendOutcome.Accepted("wamid.1"));
    }

    @Override
    public CompletionStage<Optional<String>> refusal(String channel, String orgId, String agentId, String contact,
        Instant lastInboundAt) {
      return CompletableFuture.completedFuture(Optional.of("no sender for " + contact));
    }
  };
  private final DurableChannelPort port = new DurableChannelPort(channels, () -> durable);

  @Test
  void aMessageGoesToItsChannelOnlyOnceItsRecordIsDurable() {
    CompletableFuture<SendOutcome> outcome = port.send(null).toCompletableFuture();
    assertThat(sent.get()).isZero();
    assertThat(outcome).isNotDone();

    durable.complete(Done.getInstance());
    assertThat(sent.get()).isEqualTo(1);
    assertThat(outcome).isCompletedWithValue(new SendOutcome.Accepted("wamid.1"));
  }

  @Test
  void aFailedWriteSendsNothing() {
    CompletableFuture<SendOutcome> outcome = port.send(null).toCompletableFuture();
    durable.completeExceptionally(new IllegalStateException("disk full"));
    assertThat(outcome).isCompletedExceptionally();
    assertThat(sent.get()).isZero();
  }

  @Test
  void whatAChannelRefusesIsAskedWithoutWaiting() {
    assertThat(port.refusal("whatsapp", "org-1", "agent-1", "+15550001", null).toCompletableFuture())
        .isCompletedWithValue(Optional.of("no sender for +15550001"));
  }

  @Test
  void atCommitDurabilitySendsAtOnce() {
    new DurableChannelPort(channels, Durability.AT_COMMIT).send(null);
    assertThat(sent.get()).isEqualTo(1);
  }
}
