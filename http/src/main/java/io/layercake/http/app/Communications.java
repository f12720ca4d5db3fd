package io.layercake.http.app;

/** The pages where people hear from the platform and each other, and the counts every tab hears live. */
public record Communications(NotificationsPage notifications, MessagesPage messages, FeedPage feed, LiveCounts live) {}
