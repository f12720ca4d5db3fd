package io.layercake.runtime.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every type reads as a notification; a take-over is not one; bursts sum up; platform messages carry their own priority. */
class NotificationCatalogTest {
  @Test
  void everyTypeDescribesItsEventsWithATitleAndALink() {
    for (NotificationCatalog.Type type : NotificationCatalog.TYPES) {
      Notice notice = NotificationCatalog.describe(type.type(), Map.of("by", "team", "sessionId", "s-1", "title", "Hi"), "Plumber")
          .orElseThrow();
      assertThat(notice.title()).as(type.type()).isNotBlank();
      assertThat(notice.priority()).isEqualTo(type.type().equals(NotificationCatalog.PLATFORM_MESSAGE) ? Priority.NORMAL : type.priority());
      assertThat(NotificationCatalog.summary(type.type(), 3, notice.title())).as(type.type()).doesNotContain("%d");
    }
  }

  @Test
  void aPersonTakingAConversationOverIsNobodysNotification() {
    assertThat(NotificationCatalog.describe("conversation.handed_off", Map.of("by", "Sara (user:u_1)"), "Plumber")).isEmpty();
    assertThat(NotificationCatalog.describe("conversation.started", Map.of(), "Plumber")).as("not a notification type").isEmpty();
  }

  @Test
  void aBurstSumsUpAndKeepsTheOrganization() {
    assertThat(NotificationCatalog.summary("conversation.handed_off", 12, "A conversation waits for a person · Plumber"))
        .isEqualTo("12 conversations wait for a person · Plumber");
    assertThat(NotificationCatalog.summary("lead.captured", 1, "New lead · Plumber")).isEqualTo("New lead · Plumber");
  }

  @Test
  void aPlatformMessageCarriesItsOwnPriorityTitleAndLink() {
    Notice notice = NotificationCatalog.describe(NotificationCatalog.PLATFORM_MESSAGE,
        Map.of("title", "Maintenance tonight", "body", "22:00 UTC", "priority", "critical", "link", "/app"), null).orElseThrow();
    assertThat(notice.priority()).isEqualTo(Priority.CRITICAL);
    assertThat(notice.title()).isEqualTo("Maintenance tonight");
    assertThat(notice.link()).isEqualTo("/app");
    assertThat(notice.scope()).isEmpty();
  }
}
