package io.layercake.http.app;

import static org.assertj.core.api.Assertions.assertThat;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.layercake.config.SettingsLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The billing page as rendered: the credit wall when nothing is left, with what to buy, and who may buy it. */
class BillingTemplateTest {
  private final CreditWallAdvice advice = new CreditWallAdvice(SettingsLoader.load(Map.of()).catalog());
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  @Test
  void anEmptyPoolShowsTheWallWithTheSmallestPackAndThePlanThatWouldHaveCoveredLastMonth() {
    String page = render(view(0, true, true), Set.of("credits:read", "billing:write"));

    assertThat(page).contains("id=\"credit-wall\"", "Your agents have stopped answering: no credits left",
        "data-body-pack=\"pack-100\"", "Buy 100 credits for 19.00 EUR", "Last month your agents used 150 credits",
        "data-body-tier=\"pro\"");
  }

  @Test
  void aClientSeesTheWallButIsToldItsAgencyPays() {
    String page = render(view(0, false, false), Set.of("credits:read"));

    assertThat(page).contains("id=\"credit-wall\"", "Your agency pays for your credits").doesNotContain("data-body-pack");
  }

  @Test
  void creditsLeftMeanNoWall() {
    assertThat(render(view(40, true, true), Set.of("credits:read", "billing:write"))).doesNotContain("credit-wall");
  }

  private BillingView view(long available, boolean paysHere, boolean mayBuy) {
    return new BillingView(new BillingView.Balance("free", false, 0, 0, available, 0, available, 500, available < 50),
        advice.wall(false, available, 150, "free"), List.of(new BillingView.Day("2026-12-05", 3)), List.of(), List.of(), List.of(),
        null, paysHere, mayBuy, advice.packs(), advice.plans("free"));
  }

  private String render(BillingView billing, Set<String> scopes) {
    PageContext page = new PageContext("Olivia Owner", "owner", "demo-agency", "Demo Agency", false, "csrf", scopes, List.of(),
        Instant.parse("2026-12-05T10:00:00Z"));
    StringOutput output = new StringOutput();
    templates.render("app/billing.jte", Map.of("page", page, "billing", billing, "notice", Optional.empty()), output);
    return output.toString();
  }
}
