package io.layercake.runtime.notifications;

import java.util.Map;

/**
 * What people are told about one event: its type and priority, a title and a line of detail, where
 * to look ({@code link}, a dashboard path), the event's data, and the scope a person's role needs
 * to be told (empty: everyone).
 */
public record Notice(String type, Priority priority, String title, String body, String link, Map<String, Object> metadata,
    String scope) {
  public Notice {
    metadata = Map.copyOf(metadata);
  }
}
