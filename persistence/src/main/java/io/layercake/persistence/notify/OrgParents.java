package io.layercake.persistence.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whose subscriptions also receive an organization's webhook events: its parent, as the organization
 * directory records it.
 *
 * <p>The directory is a projection of its own, so a brand-new client organization's first events can
 * reach a feed projection before the directory has the client's row. Recording them then would leave
 * the agency's subscriptions out of those events for good. So while the directory lacks the row,
 * {@link #parentOf} throws {@link DirectoryBehind}: the projection's group rolls back and is tried
 * again ({@link #RECOVERY}). An organization the directory still lacks after
 * {@code patience} is recorded without a parent, with a warning, so that an organization that was
 * never opened cannot hold a projection up for ever.
 *
 * <p>A parent never changes once written, so one instance per projection remembers them for all
 * its handlers (which run concurrently, one per tag slice).
 */
public final class OrgParents {
  /** Far beyond the directory's usual lag (one poll of the journal, about a second). */
  public static final Duration PATIENCE = Duration.ofMinutes(2);
  /**
   * For the projections that ask: a failed group (the directory behind, or the database briefly
   * away) is tried again in place every second, with one warning, before the projection restarts
   * with backoff.
   */
  public static final HandlerRecoveryStrategy RECOVERY = HandlerRecoveryStrategy.retryAndFail(10, Duration.ofSeconds(1));
  private static final int REMEMBERED = 10_000;
  private static final Logger log = LoggerFactory.getLogger(OrgParents.class);

  private final Clock clock;
  private final Duration patience;
  private final Map<String, WebhookFeed.Parent> known = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, WebhookFeed.Parent> eldest) {
      return size() > REMEMBERED;
    }
  });
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

  public OrgParents(Clock clock, Duration patience) {
    this.clock = clock;
    this.patience = patience;
  }

  /** The organization's parent, or null when it has none. */
  public String parentOf(Connection connection, String orgId) throws SQLException {
    WebhookFeed.Parent remembered = known.get(orgId);
    if (remembered != null) {
      return remembered.parentOrgId();
    }
    Optional<WebhookFeed.Parent> found = WebhookFeed.parentOf(connection, orgId);
    if (found.isPresent()) {
      known.put(orgId, found.get());
      missingSince.remove(orgId);
      return found.get().parentOrgId();
    }
    Instant now = clock.instant();
    Instant since = missingSince.computeIfAbsent(orgId, id -> {
      log.info("Organization {} is not in the directory yet; its webhook events wait for it (at most {})", orgId, patience);
      return now;
    });
    if (now.isBefore(since.plus(patience))) {
      throw new DirectoryBehind(orgId);
    }
    log.warn("Organization {} is still not in the directory after {}; its webhook events go to its own subscriptions only",
        orgId, patience);
    known.put(orgId, new WebhookFeed.Parent(null));
    missingSince.remove(orgId);
    return null;
  }

  /** The directory has no row for an organization yet; the batch that needs it is tried again later. */
  public static final class DirectoryBehind extends IllegalStateException {
    DirectoryBehind(String orgId) {
      super("organization " + orgId + " is not in the directory yet");
    }
  }
}
