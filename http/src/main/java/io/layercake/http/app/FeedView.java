package io.layercake.http.app;

import java.util.List;

/** The feed page: the organization's items with comments and reactions, and (for an agency or the platform) the broadcast composer. */
public record FeedView(String orgName, List<Item> items, boolean mayBroadcast, boolean platform, List<Sent> sent) {

  public record Item(String itemId, String kind, String title, String body, String author, String when, List<Comment> comments,
      List<Reaction> reactions) {}

  public record Comment(String authorName, String text, String when) {}

  /** {@code mine}: the person reacted this way (the button takes it back). */
  public record Reaction(String name, String label, long count, boolean mine) {}

  public record Sent(String title, String audience, String when, long organizations) {}
}
