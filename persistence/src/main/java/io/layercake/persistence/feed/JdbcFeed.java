package io.layercake.persistence.feed;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.feed.BroadcastEntity;
import io.layercake.runtime.feed.Feed;
import io.layercake.runtime.people.Tokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/** Feeds, their comments and reactions, and sent broadcasts, in their tables. */
public final class JdbcFeed implements Feed {
  private static final int COMMENTS_PER_ITEM = 50;

  private final ApplicationDatabase database;

  public JdbcFeed(ApplicationDatabase database) {
    this.database = database;
  }

  private record Row(String itemId, String orgId, String kind, String title, String body, String author, Instant createdAt) {}

  @Override
  public CompletionStage<Page> items(String orgId, Optional<Cursor> before, int limit, String userId) {
    return database.read(connection -> {
      List<Object> parameters = new ArrayList<>(List.of(orgId));
      String sql = "SELECT * FROM feed_items WHERE org_id = ?";
      if (before.isPresent()) {
        sql += " AND (created_at < ? OR (created_at = ? AND item_id < ?))";
        parameters.addAll(List.of(before.get().createdAt(), before.get().createdAt(), before.get().itemId()));
      }
      List<Row> rows = query(connection, sql + " ORDER BY created_at DESC, item_id DESC FETCH FIRST " + (limit + 1) + " ROWS ONLY",
          JdbcFeed::row, parameters.toArray());
      Optional<Cursor> next = Optional.empty();
      if (rows.size() > limit) {
        rows = rows.subList(0, limit);
        next = Optional.of(new Cursor(rows.get(limit - 1).createdAt(), rows.get(limit - 1).itemId()));
      }
      List<Item> items = new ArrayList<>();
      for (Row row : rows) {
        items.add(item(connection, row, userId));
      }
      return new Page(items, next);
    });
  }

  @Override
  public CompletionStage<Optional<Item>> item(String itemId, String userId) {
    return database.read(connection -> {
      Optional<Row> row = first(connection, "SELECT * FROM feed_items WHERE item_id = ?", JdbcFeed::row, itemId);
      return row.isEmpty() ? Optional.<Item>empty() : Optional.of(item(connection, row.get(), userId));
    });
  }

  private static Item item(Connection connection, Row row, String userId) throws SQLException {
    List<Comment> comments = query(connection, "SELECT * FROM feed_comments WHERE item_id = ? ORDER BY created_at, comment_id"
        + " FETCH FIRST " + COMMENTS_PER_ITEM + " ROWS ONLY", JdbcFeed::comment, row.itemId());
    Map<String, Long> reactions = new TreeMap<>();
    for (Object[] counted : query(connection, "SELECT reaction, COUNT(*) FROM feed_reactions WHERE item_id = ? GROUP BY reaction",
        rows -> new Object[] {rows.getString(1), rows.getLong(2)}, row.itemId())) {
      reactions.put((String) counted[0], (Long) counted[1]);
    }
    List<String> mine = query(connection, "SELECT reaction FROM feed_reactions WHERE item_id = ? AND user_id = ? ORDER BY reaction",
        rows -> rows.getString(1), row.itemId(), userId);
    return new Item(row.itemId(), row.orgId(), row.kind(), row.title(), row.body(), row.author(), row.createdAt(), comments, reactions,
        mine);
  }

  @Override
  public CompletionStage<Comment> comment(String itemId, String userId, String authorName, String text, Instant at) {
    Comment comment = new Comment(Tokens.id("fc_"), itemId, userId, authorName, text, at);
    return database.write(connection -> {
      String orgId = first(connection, "SELECT org_id FROM feed_items WHERE item_id = ?", rows -> rows.getString(1), itemId).orElseThrow();
      update(connection, "INSERT INTO feed_comments (comment_id, item_id, org_id, user_id, author_name, text, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)", comment.commentId(), itemId, orgId, userId, authorName, text, at);
      return comment;
    });
  }

  @Override
  public CompletionStage<Map<String, Long>> react(String itemId, String userId, String emoji, boolean on, Instant at) {
    return database.write(connection -> {
      String orgId = first(connection, "SELECT org_id FROM feed_items WHERE item_id = ?", rows -> rows.getString(1), itemId).orElseThrow();
      update(connection, "DELETE FROM feed_reactions WHERE item_id = ? AND user_id = ? AND reaction = ?", itemId, userId, emoji);
      if (on) {
        update(connection, "INSERT INTO feed_reactions (item_id, org_id, user_id, reaction, created_at) VALUES (?, ?, ?, ?, ?)", itemId,
            orgId, userId, emoji, at);
      }
      Map<String, Long> counts = new HashMap<>();
      for (Object[] counted : query(connection, "SELECT reaction, COUNT(*) FROM feed_reactions WHERE item_id = ? GROUP BY reaction",
          rows -> new Object[] {rows.getString(1), rows.getLong(2)}, itemId)) {
        counts.put((String) counted[0], (Long) counted[1]);
      }
      return Collections.unmodifiableMap(new TreeMap<>(counts));
    });
  }

  @Override
  public CompletionStage<String> changeMark(String orgId) {
    return database.read(connection -> mark(connection, "feed_items", orgId) + "/" + mark(connection, "feed_comments", orgId) + "/"
        + mark(connection, "feed_reactions", orgId));
  }

  private static String mark(Connection connection, String table, String orgId) throws SQLException {
    return first(connection, "SELECT COUNT(*), MAX(created_at) FROM " + table + " WHERE org_id = ?", rows -> {
      Timestamp latest = rows.getTimestamp(2);
      return rows.getLong(1) + ":" + (latest == null ? 0 : latest.getTime());
    }, orgId).orElse("0:0");
  }

  @Override
  public CompletionStage<List<SentBroadcast>> sentBy(String orgId, int limit) {
    return database.read(connection -> query(connection, "SELECT * FROM broadcasts WHERE sender_org_id = ?"
            + " ORDER BY created_at DESC FETCH FIRST " + limit + " ROWS ONLY",
        rows -> new SentBroadcast(rows.getString("broadcast_id"),
            BroadcastEntity.Audience.valueOf(rows.getString("audience").toUpperCase(Locale.ROOT)), rows.getString("title"),
            rows.getString("priority"), rows.getString("author"), instant(rows, "created_at"), rows.getLong("organizations")), orgId));
  }

  private static Row row(java.sql.ResultSet rows) throws SQLException {
    return new Row(rows.getString("item_id"), rows.getString("org_id"), rows.getString("kind"), rows.getString("title"),
        rows.getString("body"), rows.getString("author"), instant(rows, "created_at"));
  }

  private static Comment comment(java.sql.ResultSet rows) throws SQLException {
    return new Comment(rows.getString("comment_id"), rows.getString("item_id"), rows.getString("user_id"), rows.getString("author_name"),
        rows.getString("text"), instant(rows, "created_at"));
  }
}
