package io.layercake.http.app;

import java.util.List;
import java.util.Optional;

/** The messages page: my threads, the open one, and the people I may write to. */
public record MessagesView(List<Thread> threads, Optional<Open> open, List<Contact> contacts) {

  public record Thread(String threadId, String with, String preview, String when, long unread, boolean selected) {}

  /** {@code lastSeq}: what opening the thread marks read; {@code seenUpTo}: how far the other person read (receipts). */
  public record Open(String threadId, String with, String withUserId, List<Message> messages, long lastSeq, long seenUpTo) {}

  public record Message(long seq, boolean fromMe, String text, String when, boolean edited, boolean deleted, boolean seen) {}

  public record Contact(String userId, String label) {}
}
