package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.ChannelSettings;
import io.layercake.config.Secret;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.SmsSegments;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The organization's Infobip entity: made once, and found when another flight stored it meanwhile. */
class InfobipEntitiesTest {
  /** Infobip is never asked here: the entity is found stored on the flight's own read. */
  private static final ChannelSettings.Infobip NOWHERE =
      new ChannelSettings.Infobip("http://127.0.0.1:1", Secret.of("k"), "app", "Layercake", Secret.of("t"));

  @Test
  void aFlightThatFindsTheEntityStoredEndsAtOnceAndTheNextCallerStartsAnew() {
    StoredMeanwhile directory = new StoredMeanwhile();
    InfobipEntities entities = new InfobipEntities(NOWHERE, Duration.ofSeconds(1), directory, HttpClient.newHttpClient(),
        Runnable::run);

    // everything completes on the calling thread: the flight ends before ensure returns
    assertThat(entities.ensure("acme").toCompletableFuture()).isCompletedWithValue("org-acme");
    assertThat(entities.ensure("acme").toCompletableFuture()).isCompletedWithValue("org-acme");
    assertThat(directory.reads).hasValue(4);
  }

  /** The first read of each flight finds no entity, the second (inside the flight) finds it stored. */
  private static final class StoredMeanwhile extends FixedChannelDirectory {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public CompletionStage<ChannelAccount> account(String orgId, String channel) {
      boolean stored = reads.incrementAndGet() % 2 == 0;
      return CompletableFuture.completedFuture(new ChannelAccount(orgId, SmsSegments.CHANNEL, Secret.of(""), null,
          stored ? InfobipEntities.entityIdFor(orgId) : null));
    }
  }
}
