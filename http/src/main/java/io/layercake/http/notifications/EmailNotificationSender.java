package io.layercake.http.notifications;

import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.NotificationSender;
import io.layercake.runtime.people.Mailer;
import io.layercake.runtime.people.Outbox;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Notifications by email, straight through the {@link Mailer} on the mail executor (the notifier
 * keeps the attempts, so the time it was sent is the time shown): one email per notification, or
 * the daily digest of a person's low-priority ones.
 */
public final class EmailNotificationSender implements NotificationSender {
  private final Mailer mailer;
  private final Supplier<String> baseUrl;
  private final Executor mailExecutor;

  public EmailNotificationSender(Mailer mailer, Supplier<String> baseUrl, Executor mailExecutor) {
    this.mailer = mailer;
    this.baseUrl = baseUrl;
    this.mailExecutor = mailExecutor;
  }

  @Override
  public CompletionStage<String> send(NotificationDeliveries.Due due) {
    Outbox.Email email = due.channel() == Channel.DIGEST ? digest(due) : single(due);
    String emailId = due.first().notificationId() + "-" + due.channel().wireName() + "-" + due.attempts();
    return CompletableFuture.supplyAsync(() -> {
      try {
        mailer.send(emailId, email);
        return "email to " + email.to();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
    }, mailExecutor);
  }

  private Outbox.Email single(NotificationDeliveries.Due due) {
    Notification notification = due.first();
    StringBuilder body = new StringBuilder("Hello ").append(due.recipient().name()).append(",\n\n")
        .append(notification.title()).append("\n\n");
    if (!notification.body().isBlank()) {
      body.append(notification.body()).append("\n\n");
    }
    if (notification.link() != null) {
      body.append("Open it: ").append(baseUrl.get()).append(notification.link()).append("\n\n");
    }
    return new Outbox.Email(due.recipient().email(), notification.title(), body.append(footer()).toString());
  }

  private Outbox.Email digest(NotificationDeliveries.Due due) {
    int count = due.notifications().size();
    StringBuilder body = new StringBuilder("Hello ").append(due.recipient().name()).append(",\n\n")
        .append("Here is what happened since yesterday's digest:\n\n");
    for (Notification notification : due.notifications()) {
      body.append("- ").append(notification.title());
      if (!notification.body().isBlank()) {
        body.append(": ").append(notification.body());
      }
      if (notification.link() != null) {
        body.append("\n  ").append(baseUrl.get()).append(notification.link());
      }
      body.append('\n');
    }
    return new Outbox.Email(due.recipient().email(), "Your daily digest: " + count + (count == 1 ? " notification" : " notifications"),
        body.append('\n').append(footer()).toString());
  }

  private String footer() {
    return "Choose what reaches you where: " + baseUrl.get() + "/app/notifications\n";
  }
}
