package io.layercake.http.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The live inbox watches an open conversation only when it is one of the viewer's organizations'. */
class InboxLiveScopeTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

  private final ConversationListing listing = (ConversationListing) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {ConversationListing.class}, (proxy, method, arguments) -> {
        if (!method.getName().equals("conversation")) {
          throw new UnsupportedOperationException(method.getName());
        }
        String sessionId = (String) arguments[0];
        return CompletableFuture.completedFuture(sessionId.startsWith("s-")
            ? Optional.of(new ConversationSummary(sessionId, sessionId.equals("s-theirs") ? "other-agency" : "demo", "bot", "webchat",
                "visitor", "active", "agent", AT, AT, 1, 0, false, false))
            : Optional.empty());
      });
  private final InboxPage inbox = new InboxPage(listing, null, null, null, null, null, null, null, null, null, Runnable::run);
  private final Map<String, String> mine = Map.of("demo-agency", "Demo Agency", "demo", "Pipe Pros");

  @Test
  void anotherTenantsConversationIsNotWatched() {
    assertThat(inbox.visible(mine, Optional.of("s-mine")).toCompletableFuture().join()).contains("s-mine");
    assertThat(inbox.visible(mine, Optional.of("s-theirs")).toCompletableFuture().join()).isEmpty();
    assertThat(inbox.visible(mine, Optional.of("unknown")).toCompletableFuture().join()).isEmpty();
    assertThat(inbox.visible(mine, Optional.empty()).toCompletableFuture().join()).isEmpty();
  }
}
