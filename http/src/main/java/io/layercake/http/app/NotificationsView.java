package io.layercake.http.app;

import java.util.List;

/**
 * The notifications page: the person's notifications (newest first, each with how its channels
 * fared), and their choices: a row per channel, a column for all organizations and one per
 * organization they belong to, each cell {@code default}, {@code on} or {@code off}.
 */
public record NotificationsView(List<Item> items, int unread, String nextCursor, List<Column> columns, List<Row> rows,
    boolean pushoverAvailable, boolean pushoverKeySet, int browsers, String applicationServerKey, int digestHourUtc) {

  public record Item(String notificationId, String title, String body, String link, String priority, String orgId, String when,
      int occurrences, boolean unread, List<String> deliveries) {}

  public record Column(String orgId, String name) {}

  public record Row(String channel, String label, List<Cell> cells) {}

  public record Cell(String orgId, String choice) {}
}
