package io.layercake.http.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inbox's filters: what is asked is kept for links, anything unknown is ignored. */
class InboxFiltersTest {

  @Test
  void knownFiltersAreKeptAndCarriedInLinks() {
    InboxView.Filters filters = InboxPage.filters(Map.of("q", " boiler & tap ", "status", "handed_off", "channel", "sms",
        "assignee", "me"));

    assertThat(filters).isEqualTo(new InboxView.Filters("boiler & tap", "handed_off", "sms", "me"));
    assertThat(filters.on("/app/inbox/s-1")).isEqualTo("/app/inbox/s-1?q=boiler+%26+tap&status=handed_off&channel=sms&assignee=me");
    assertThat(filters.on("/app/inbox?cursor=abc")).startsWith("/app/inbox?cursor=abc&q=boiler");
  }

  @Test
  void nothingOrUnknownValuesMeanAny() {
    assertThat(InboxPage.filters(Map.of())).isEqualTo(new InboxView.Filters("", "", "", ""));
    assertThat(InboxPage.filters(Map.of("status", "sleeping", "channel", "fax", "assignee", "u_someone", "q", "x".repeat(300))))
        .isEqualTo(new InboxView.Filters("x".repeat(200), "", "", ""));
    assertThat(InboxPage.filters(Map.of()).on("/app/inbox")).isEqualTo("/app/inbox");
  }
}
