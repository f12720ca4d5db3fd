package io.layercake.http.api;

import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** A conversation the caller may see, or 404 (the same answer whether it does not exist or belongs to someone else). */
public final class VisibleConversations extends AllDirectives {
  private final ConversationListing listing;
  private final ApiAccess access;

  public VisibleConversations(ConversationListing listing, ApiAccess access) {
    this.listing = listing;
    this.access = access;
  }

  public Route of(Caller caller, String sessionId, Function<ConversationSummary, Route> inner) {
    return onSuccess(listing.conversation(sessionId), found -> found.isEmpty()
        ? ApiAccess.notFound("conversation " + sessionId)
        : access.visible(caller, found.get().orgId(), "conversation " + sessionId, () -> inner.apply(found.get())));
  }
}
