package io.layercake.http.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.Priority;
import io.layercake.runtime.people.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a notification email and the daily digest say, and where their links point. */
class EmailNotificationSenderTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
  private static final NotificationDeliveries.Recipient ANNA =
      new NotificationDeliveries.Recipient("u_1", "anna@acme.test", "Anna", Optional.empty(), List.of());

  private final List<Outbox.Email> sent = new CopyOnWriteArrayList<>();
  private final EmailNotificationSender sender =
      new EmailNotificationSender((emailId, email) -> sent.add(email), () -> "https://app.example", Runnable::run);

  @Test
  void oneNotificationIsOneEmailWithItsLink() {
    String receipt = sender.send(new NotificationDeliveries.Due(Channel.EMAIL, ANNA, List.of(notification("A conversation waits",
        "The customer asked for a person.", "/app/inbox/s-1")), 1)).toCompletableFuture().join();
    assertThat(receipt).isEqualTo("email to anna@acme.test");
    assertThat(sent).singleElement().satisfies(email -> {
      assertThat(email.to()).isEqualTo("anna@acme.test");
      assertThat(email.subject()).isEqualTo("A conversation waits");
      assertThat(email.body()).contains("Hello Anna", "The customer asked for a person.", "https://app.example/app/inbox/s-1",
          "https://app.example/app/notifications");
    });
  }

  @Test
  void theDigestListsEveryLowOneInOneEmail() {
    sender.send(new NotificationDeliveries.Due(Channel.DIGEST, ANNA, List.of(
        notification("An SMS number is yours", "+4915100001 is ready.", "/app/channels"),
        notification("An SMS number was cancelled", "+4915100002 no longer sends.", null)), 1)).toCompletableFuture().join();
    assertThat(sent).singleElement().satisfies(email -> {
      assertThat(email.subject()).isEqualTo("Your daily digest: 2 notifications");
      assertThat(email.body()).contains("- An SMS number is yours: +4915100001 is ready.", "https://app.example/app/channels",
          "- An SMS number was cancelled: +4915100002 no longer sends.");
    });
  }

  private static Notification notification(String title, String body, String link) {
    return new Notification("ntf_" + title.hashCode(), "u_1", "acme", "number.bought", Priority.LOW, title, body, link, Map.of(), 1, AT,
        AT, null, List.of());
  }
}
