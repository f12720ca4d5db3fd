package io.layercake.persistence.feed;

import static io.layercake.persistence.jdbc.Statements.query;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.notifications.NotificationSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Milestones in an organization's feed: its conversations reaching 100, 1,000, 10,000, 100,000.
 * Counted at most every {@link #EVERY} (a count over every conversation is not for every second),
 * each milestone once per organization.
 */
public final class FeedMilestones implements NotificationSource {
  static final Duration EVERY = Duration.ofMinutes(1);
  private static final List<Long> MILESTONES = List.of(100L, 1_000L, 10_000L, 100_000L);

  private final ApplicationDatabase database;
  private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.EPOCH);

  public FeedMilestones(ApplicationDatabase database) {
    this.database = database;
  }

  private record Count(String orgId, long conversations) {}

  @Override
  public CompletionStage<Integer> writeDue(Instant now) {
    Instant last = lastRun.get();
    if (now.isBefore(last.plus(EVERY)) || !lastRun.compareAndSet(last, now)) {
      return CompletableFuture.completedFuture(0);
    }
    return database.write(connection -> {
      int written = 0;
      for (Count count : query(connection, "SELECT org_id, COUNT(*) FROM conversations GROUP BY org_id HAVING COUNT(*) >= ?",
          rows -> new Count(rows.getString(1), rows.getLong(2)), MILESTONES.get(0))) {
        for (long milestone : MILESTONES) {
          String figure = String.format(Locale.ROOT, "%,d", milestone);
          if (count.conversations() >= milestone && FeedItems.activity(connection, count.orgId(), "milestone:conversations:" + milestone,
              figure + " conversations", "The agent has now talked with customers in " + figure + " conversations.", now)) {
            written++;
          }
        }
      }
      return written;
    });
  }
}
