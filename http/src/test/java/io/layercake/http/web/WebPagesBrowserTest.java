package io.layercake.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.AdminSettings;
import io.layercake.config.BillingSettings;
import io.layercake.config.ChannelSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.DemoSettings;
import io.layercake.config.HttpSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.http.LayercakeNode;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.Pdfs;
import io.layercake.http.testing.StripeCheckoutStub;
import io.layercake.http.testing.StubProvider;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestNodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.layercake.http.demo.DemoSeed;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import io.layercake.http.testing.HttpTestClient.Response;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page, the widget and the dashboard in a real headless Chromium against a real node
 * that seeded the demo on its first start. The tests run in order, as a newcomer would: chat,
 * watch it in the dashboard, take over, hand back; then the rate limit and a server restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPagesBrowserTest {
  private static final String ADMIN_TOKEN = "operator-token-for-browser-tests";
  private static final String STRIPE_WEBHOOK_SECRET = "whsec_browser_tests";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private static LayercakeSettings settings;
  private static LayercakeNode node;
  private static ChromeDriver chrome;
  private static String base;
  private static String demoKey;
  private static StripeCheckoutStub stripe;
  private static StubProvider infobip;
  private static StubProvider hooks;
  /** Meta's Graph API: one template to read, and template sends. */
  private static StubProvider graph;
  /** An OpenAI-compatible model that streams its answer, holding the rest back after the first piece until released. */
  private static com.sun.net.httpserver.HttpServer streamingModel;
  private static final java.util.concurrent.CountDownLatch STREAM_HELD = new java.util.concurrent.CountDownLatch(1);
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/(?:auth|portal/[^/\\s]+/sign-in)/link\\?token=[A-Za-z0-9_-]+");

  @BeforeAll
  static void start() throws IOException {
    LayercakeSettings defaults = TestNodes.settings(dataDir, DatabaseSettings.h2File(dataDir, 4), 100);
    ChannelSettings channels = defaults.channels();
    int port = freePort();
    base = "http://127.0.0.1:" + port;
    stripe = StripeCheckoutStub.start(STRIPE_WEBHOOK_SECRET);
    hooks = StubProvider.start(request -> StubProvider.Response.json(200, "{}"));
    graph = StubProvider.start(request -> request.path().contains("/oauth/access_token")
        ? StubProvider.Response.json(200, "{\"access_token\":\"EAAG-browser-signup\",\"token_type\":\"bearer\"}")
        : request.path().endsWith("/subscribed_apps") || request.path().endsWith("/register")
        ? StubProvider.Response.json(200, "{\"success\":true}")
        : request.method().equals("GET")
        ? StubProvider.Response.json(200, "{\"data\":[{\"name\":\"service_due\",\"components\":[{\"type\":\"BODY\","
            + "\"text\":\"Hello {{1}}, your {{2}} is due.\"}],\"language\":\"en\",\"status\":\"APPROVED\",\"category\":\"UTILITY\","
            + "\"id\":\"2222\"}],\"paging\":{\"cursors\":{\"before\":\"A\",\"after\":\"B\"}}}")
        : StubProvider.Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.BROWSER\"}]}"));
    streamingModel = streamingModel();
    infobip = StubProvider.start(request -> {
      if (request.path().startsWith("/numbers/1/numbers/available")) {
        return StubProvider.Response.json(200, "{\"numbers\":[{\"numberKey\":\"NK-777\",\"number\":\"447700900777\",\"country\":\"GB\","
            + "\"type\":\"VIRTUAL_LONG_NUMBER\",\"capabilities\":[\"SMS\"],\"shared\":false,"
            + "\"price\":{\"pricePerMonth\":2.00,\"setupPrice\":5.00,\"initialMonthPrice\":2.00,\"currency\":\"EUR\"}}],\"numberCount\":1}");
      }
      if (request.path().startsWith("/numbers/1/numbers")) {
        return StubProvider.Response.json(200, "{\"numberKey\":\"NK-777\",\"number\":\"447700900777\",\"country\":\"GB\"}");
      }
      return StubProvider.Response.json(201, request.body());
    });
    settings = defaults
        .withHttp(new HttpSettings("127.0.0.1", port, defaults.http().maxRequestBytes(), Duration.ofSeconds(1)))
        .withBilling(new BillingSettings(stripe.baseUrl(), Secret.of("sk_test_browser"), Secret.of(STRIPE_WEBHOOK_SECRET),
            Duration.ofMinutes(5), base + "/app/billing?checkout=done", base + "/app/billing?checkout=cancelled", 35))
        .withAdmin(new AdminSettings(Secret.of(ADMIN_TOKEN)))
        .withWebhooks(defaults.webhooks().allowingPrivateHttpTargets())
        .withDemo(new DemoSettings(true, 500))
        .withLlm(new io.layercake.config.LlmSettings(Duration.ofSeconds(30), new io.layercake.config.LlmSettings.Endpoint(
            "http://127.0.0.1:" + streamingModel.getAddress().getPort() + "/v1", Secret.of("sk-browser-test")), defaults.llm().anthropic()))
        .withChannels(new ChannelSettings(new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", Secret.of("browser-meta-app-secret"),
                channels.whatsapp().verifyToken()).withEmbeddedSignup("1234567890", "cfg-browser"),
            new ChannelSettings.Infobip(infobip.baseUrl(), Secret.of("ib-key"), "layercake-test", "Layercake",
                Secret.of("ib-webhook-token-0123456789")),
            new ChannelSettings.Webchat(Duration.ofSeconds(8), Duration.ofHours(24), 4, 60), channels.sendTimeout()));
    node = LayercakeNode.start(settings);
    demoKey = node.demo().orElseThrow().apiKey();
    stripe.deliverTo(node.address());
    chrome = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() {
    if (chrome != null) {
      chrome.quit();
    }
    if (node != null) {
      node.stop().toCompletableFuture().join();
    }
    if (stripe != null) {
      stripe.close();
    }
    if (infobip != null) {
      infobip.close();
    }
    if (hooks != null) {
      hooks.close();
    }
    if (graph != null) {
      graph.close();
    }
    STREAM_HELD.countDown();
    if (streamingModel != null) {
      streamingModel.stop(0);
    }
  }

  @Test
  @Order(1)
  void theDemoAgentAnswersInTheWidgetAndTheHistoryComesBackOnReloadAndInASecondTab() {
    chrome.get(base + "/");
    hostileStyles();
    WebElement bubble = await(widget -> widget.findElement(By.cssSelector(".frame[data-ready] .bubble")), "the widget to load");
    bubble.sendKeys(Keys.ENTER);
    assertThat(activeElementInWidget()).as("opened from the keyboard, the message box has the focus").isEqualTo("TEXTAREA");
    widget().findElement(By.cssSelector("textarea")).sendKeys(Keys.ESCAPE);
    assertThat(widget().findElement(By.cssSelector(".panel")).isDisplayed()).as("Escape closes").isFalse();
    assertThat(activeElementInWidget()).as("and gives the focus back to the bubble").isEqualTo("BUTTON");
    bubble.sendKeys(Keys.ENTER);
    send("What are your opening hours?");

    WebElement answer = await(widget -> last(widget, ".message.agent"), "the demo agent's answer");
    assertThat(answer.getText()).contains("Monday to Friday");
    assertThat(answer.getCssValue("font-size")).as("the page's CSS does not reach into the widget").isEqualTo("14px");
    assertThat(widget().findElement(By.cssSelector("footer")).getText()).isEqualTo("Powered by Layercake");
    HeadlessChromium.screenshot(chrome, "widget");

    chrome.navigate().refresh();
    openWidget();
    awaitTexts("after a reload", "What are your opening hours?", "Monday to Friday");

    String firstTab = chrome.getWindowHandle();
    chrome.switchTo().newWindow(WindowType.TAB);
    chrome.get(base + "/");
    openWidget();
    awaitTexts("in a second tab", "What are your opening hours?", "Monday to Friday");
    chrome.close();
    chrome.switchTo().window(firstTab);
  }

  @Test
  @Order(2)
  void theInboxShowsTheWidgetsConversationAndAPersonTakesOverAndHandsBack() {
    String widgetTab = chrome.getWindowHandle();
    chrome.switchTo().newWindow(WindowType.TAB);
    String inboxTab = chrome.getWindowHandle();
    chrome.get(base + "/dashboard");
    assertThat(chrome.getCurrentUrl()).as("the first dashboard's address leads to the sign-in, then the inbox")
        .endsWith("/app/sign-in");
    signInThroughTheEmailedLink(DemoSeed.OWNER_EMAIL, "Olivia Owner", "owner");

    chrome.get(base + "/app/inbox?channel=webchat");
    awaitPage(page -> page.findElement(By.cssSelector("#conversation-list li[data-session-id] a")), "the widget's conversation").click();
    awaitPage(page -> page.findElement(By.id("messages")).getText().contains("Monday to Friday") ? true : null,
        "the conversation's messages");

    chrome.findElement(By.id("reply-text")).sendKeys("Maria here: we can come at 3pm today.");
    chrome.findElement(By.id("send-reply")).click();
    awaitPage(page -> page.findElement(By.id("conversation-status")).getText().contains("A person has it")
        && page.findElement(By.id("messages")).getText().contains("Maria here") ? true : null,
        "the person's message in the conversation, which a person now has");
    HeadlessChromium.screenshot(chrome, "inbox-person");

    chrome.switchTo().window(widgetTab);
    awaitTexts("the person's message pushed into the open widget, without a reload", "Maria here: we can come at 3pm today.");

    chrome.switchTo().window(inboxTab);
    chrome.findElement(By.id("hand-back")).click();
    awaitPage(page -> page.findElement(By.id("conversation-status")).getText().contains("The agent answers") ? true : null,
        "the conversation handed back");

    chrome.switchTo().window(widgetTab);
    send("How much does a call-out cost?");
    awaitTexts("the agent answering again after the hand-back", "A call-out is 60 euros");
    chrome.switchTo().window(inboxTab);
    chrome.close();
    chrome.switchTo().window(widgetTab);
  }

  @Test
  @Order(3)
  void aDraftWaitsForApprovalAndFiltersNarrowTheInbox() {
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    assertThat(operator.post("/admin/agents", "{\"agentId\":\"demo-drafts\",\"orgId\":\"demo\",\"name\":\"Drafts\","
        + "\"autonomy\":\"draft\",\"faq\":[{\"question\":\"Do you fix boilers?\",\"answer\":\"Yes, boiler service is 95 euros.\"}]}")
        .status()).isEqualTo(201);
    HttpTestClient visitor = HttpTestClient.to(settings.http().port());
    var sent = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"demo-drafts\",\"text\":\"Do you fix boilers?\"}");
    assertThat(sent.status()).isEqualTo(200);
    String token = sent.json().path("sessionToken").asText();

    chrome.switchTo().newWindow(WindowType.TAB);
    chrome.get(base + "/app/work");
    // signed in already: the session cookie is the browser's
    WebElement approval = awaitPage(page -> {
      chrome.navigate().refresh();
      return page.findElements(By.cssSelector("#approvals tr[data-approval-id]")).stream().findFirst().orElse(null);
    }, "the draft among the pending approvals");
    assertThat(approval.getText()).contains("Draft reply: Yes, boiler service is 95 euros.");
    HeadlessChromium.screenshot(chrome, "work-approval");
    approval.findElement(By.xpath(".//button[text()='Approve']")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#approvals tr[data-approval-id]")).isEmpty() ? true : null,
        "the approval gone once decided");
    awaitPage(page -> visitor.get("/api/v1/webchat/history?sessionToken=" + token).body().contains("boiler service is 95 euros")
        ? true : null, "the approved draft sent to the visitor");

    chrome.get(base + "/app/inbox?org=" + DemoSeed.ORG_ID);
    assertThat(awaitPage(page -> page.findElement(By.id("who")), "the client's inbox").getText())
        .as("acting in the client as the agency's owner").contains("owner", "Pipe Pros Plumbing (demo)");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("filter-status"))).selectByValue("closed");
    chrome.findElement(By.id("filter")).click();
    awaitPage(page -> page.findElement(By.id("conversation-list")).getText().contains("No conversations found.") ? true : null,
        "no closed conversation");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("filter-status"))).selectByValue("");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("filter-channel"))).selectByValue("webchat");
    chrome.findElement(By.id("filter")).click();
    awaitPage(page -> chrome.getCurrentUrl().contains("channel=webchat")
        && page.findElements(By.cssSelector("#conversation-list li[data-session-id]")).size() >= 2 ? true : null,
        "the client's webchat conversations");
    assertThat(chrome.findElements(By.cssSelector("#conversation-list li[data-session-id]")))
        .allSatisfy(row -> assertThat(row.getText()).contains("webchat", "Pipe Pros Plumbing (demo)"));
    chrome.close();
    chrome.switchTo().window(chrome.getWindowHandles().iterator().next());
  }

  @Test
  @Order(4)
  void tooManyMessagesShowHowLongToWaitAndAnUnknownAgentIsUnavailable() {
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    assertThat(operator.post("/admin/agents", "{\"agentId\":\"demo-limited\",\"orgId\":\"demo\",\"name\":\"Limited\"}").status())
        .isEqualTo(201);
    chrome.get(base + "/");
    await(widget -> widget.findElement(By.cssSelector(".frame[data-ready]")), "the demo widget, replaced next");
    embedInstead("demo-limited");
    openWidget();
    for (int i = 1; i <= 5; i++) {
      send("question " + i);
    }

    WebElement status = await(widget -> {
      WebElement line = widget.findElement(By.cssSelector(".status"));
      return line.isDisplayed() && line.getText().contains("Try again in") ? line : null;
    }, "the rate-limit notice");
    assertThat(status.getText()).matches("You are sending messages too fast\\. Try again in \\d+ s\\.");
    assertThat(widget().findElement(By.cssSelector("form button")).isEnabled()).as("sending waits").isFalse();
    assertThat(widget().findElement(By.cssSelector("textarea")).getAttribute("value")).as("the refused text is kept")
        .matches("question \\d");
    HeadlessChromium.screenshot(chrome, "widget-rate-limited");

    embedInstead("no-such-agent");
    WebElement unavailable = await(widget -> {
      WebElement frame = widget.findElement(By.cssSelector(".frame"));
      return "unavailable".equals(frame.getAttribute("data-connection")) ? widget.findElement(By.cssSelector(".status")) : null;
    }, "the unavailable state");
    assertThat(unavailable.getAttribute("textContent")).isEqualTo("This chat is unavailable right now. Please try again later.");
  }

  @Test
  @Order(5)
  void theWidgetShowsItIsOfflineWhileTheServerIsDownAndRecovers() {
    chrome.get(base + "/");
    openWidget();
    awaitTexts("the conversation so far", "A call-out is 60 euros");
    WebElement frame = widget().findElement(By.cssSelector(".frame"));
    await(widget -> "online".equals(frame.getAttribute("data-connection")) ? true : null, "connected");

    node.stop().toCompletableFuture().join();
    node = null;
    await(widget -> "offline".equals(frame.getAttribute("data-connection")) ? true : null, "the offline state");
    assertThat(widget().findElement(By.cssSelector(".status")).getText()).isEqualTo("You are offline. Reconnecting…");
    HeadlessChromium.screenshot(chrome, "widget-offline");

    node = LayercakeNode.start(settings);
    assertThat(node.demo()).as("seeded once: a restart seeds nothing").isEmpty();
    await(widget -> "online".equals(frame.getAttribute("data-connection")) ? true : null, "back online");
    send("Do you have an emergency service?");
    awaitTexts("answered after the restart", "a plumber is with you within 90 minutes");
  }

  @Test
  @Order(6)
  void aLongConversationOpensOnItsLatestMessagesAndOlderOnesLoadOnRequest() {
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    assertThat(operator.post("/admin/agents", "{\"agentId\":\"demo-long\",\"orgId\":\"demo\",\"name\":\"Long\"}").status())
        .isEqualTo(201);
    String inbound = "{\"orgId\":\"demo\",\"agentId\":\"demo-long\",\"channel\":\"test\",\"contact\":\"talker\","
        + "\"messageId\":\"%s\",\"text\":\"%s\"}";
    assertThat(operator.post("/admin/conversations/inbound", inbound.formatted("first", "The very first message")).status())
        .isEqualTo(202);
    String sessionId = new io.layercake.runtime.session.SessionKey("demo-long", "test", "talker").sessionId();
    assertThat(operator.send("PATCH", "/admin/conversations/" + sessionId, "{\"action\":\"hand_off\",\"by\":\"maria\"}")
        .status()).isEqualTo(200);
    for (int i = 1; i <= 110; i++) {
      assertThat(operator.post("/admin/conversations/inbound", inbound.formatted("long-" + i, "Line number " + i)).status())
          .isEqualTo(202);
    }

    chrome.switchTo().newWindow(WindowType.TAB);
    chrome.get(base + "/app/inbox?q=talker");
    // signed in already: the session cookie is the browser's
    // the click is retried: the list the live stream refreshes may swap the link out under it
    awaitPage(page -> {
      List<WebElement> links = page.findElements(By.cssSelector("#conversation-list li[data-session-id] a"));
      if (links.isEmpty()) {
        chrome.navigate().refresh();
        return null;
      }
      links.get(0).click();
      return true;
    }, "the long conversation");

    // read in one go, and again if the live stream swapped the list out meanwhile
    awaitPage(page -> {
      String shown = page.findElement(By.id("messages")).getText();
      return shown.contains("Line number 110") && !shown.contains("The very first message")
          && page.findElements(By.cssSelector("#messages li")).size() == 50 ? true : null;
    }, "the newest 50 messages shown first, not the oldest");
    for (int page = 0; page < 3 && !chrome.findElement(By.id("messages")).getText().contains("The very first message"); page++) {
      WebElement older = awaitPage(loaded -> loaded.findElement(By.id("older-messages")), "the link to older messages");
      String next = older.getAttribute("href");
      older.click();
      awaitPage(loaded -> chrome.getCurrentUrl().equals(next) && !loaded.findElements(By.id("messages")).isEmpty() ? true : null,
          "older messages loaded");
    }
    assertThat(chrome.findElement(By.id("messages")).getText()).as("the first message, after loading older ones")
        .contains("The very first message");
    assertThat(chrome.findElements(By.id("older-messages"))).as("nothing older left to load").isEmpty();
    chrome.close();
    chrome.switchTo().window(chrome.getWindowHandles().iterator().next());
  }

  @Test
  @Order(7)
  void theApiReferenceListsEveryOperationWithoutAKey() {
    chrome.get(base + "/api/v1/docs");

    java.util.Set<String> expected = java.util.Arrays.stream(ApiOperation.values()).map(ApiOperation::id)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    java.util.Set<String> shown = new java.util.TreeSet<>();
    try {
      awaitPage(page -> {
        shown.clear();
        page.findElements(By.cssSelector(".opblock")).forEach(block -> {
          String id = block.getAttribute("id");
          shown.add(id == null ? "" : id.substring(id.lastIndexOf('-') + 1));
        });
        return shown.size() >= expected.size() ? true : null;
      }, "Swagger UI lists every operation of the OpenAPI document");
    } catch (org.openqa.selenium.TimeoutException e) {
      java.util.Set<String> missing = new java.util.TreeSet<>(expected);
      missing.removeAll(shown);
      throw new AssertionError("Swagger UI shows " + shown.size() + " of " + expected.size() + " operations; missing " + missing, e);
    }
    assertThat(shown).hasSize(expected.size());
    String page = chrome.findElement(By.tagName("body")).getText();
    assertThat(page).contains("Layercake API", "listConversations", "sendMessage", "Conversations", "Knowledge");
    HeadlessChromium.screenshot(chrome, "api-reference");
  }

  @Test
  @Order(8)
  void theAgencyHomeListsItsClientsAtAnyWidthAndANewClientIsCreatedWithItsOwnerInvited() {
    chrome.switchTo().newWindow(WindowType.TAB);
    chrome.get(base + "/app");
    WebElement demo = awaitPage(page -> page.findElement(By.cssSelector("tr[data-client-id='demo']")), "the demo client's row");
    assertThat(demo.getText()).contains("Pipe Pros Plumbing (demo)");
    assertThat(chrome.findElement(By.id("who")).getText()).contains("Olivia Owner", "owner", "Demo Agency");
    HeadlessChromium.screenshot(chrome, "clients-1280");
    onAPhone("clients");

    chrome.findElement(By.id("new-client")).click();
    awaitPage(page -> page.findElement(By.id("client-name")), "the new-client form").sendKeys("Salon Sara");
    chrome.findElement(By.id("owner-email")).sendKeys("sara@salon.test");
    HeadlessChromium.screenshot(chrome, "new-client-1280");
    onAPhone("new-client");
    chrome.findElement(By.id("create-client")).click();
    awaitPage(page -> page.findElement(By.id("new-agent-name")), "step 2: the client's agent").sendKeys("Sara's assistant");
    assertThat(chrome.findElement(By.id("who")).getText()).as("acting in the new client").contains("Salon Sara");
    chrome.findElement(By.id("new-agent-greeting")).sendKeys("Hi! Want a haircut?");
    HeadlessChromium.screenshot(chrome, "new-client-agent-1280");
    onAPhone("new-client-agent");
    chrome.findElement(By.id("create-agent")).click();
    awaitPage(page -> page.findElement(By.id("agent-greeting")).getAttribute("value").equals("Hi! Want a haircut?") ? true : null,
        "the new agent's page, to fill in the rest");
    chrome.findElement(By.id("channels-link")).click();
    awaitPage(page -> {
      // the channels page lists agents from a read model a moment behind the agent just created
      chrome.navigate().refresh();
      return page.findElement(By.cssSelector("form.webchat-form")).getText().contains("Sara's assistant") ? true : null;
    }, "step 3: the new client's channels, its agent's chat among them");
    chrome.get(base + "/app");
    awaitPage(page -> page.findElements(By.cssSelector("tr[data-client-id]")).stream()
        .filter(row -> row.getText().contains("Salon Sara")).findFirst().orElse(null), "the new client among the clients");
    String invitation = awaitPage(page -> emailedLink("sara@salon.test", "invited"), "the owner's invitation");
    assertThat(invitation).as("a client's owner is invited into its portal").contains("/sign-in/link?token=");

    chrome.findElement(By.linkText("Pipe Pros Plumbing (demo)")).click();
    awaitPage(page -> chrome.getCurrentUrl().endsWith("/app/inbox?org=demo") && page.findElement(By.id("who")).getText()
        .contains("Pipe Pros Plumbing (demo)") ? true : null, "the inbox opened on that client");
  }

  @Test
  @Order(9)
  void theTeamPageInvitesRevokesAndCreatesAKeyShownOnce() {
    chrome.get(base + "/app/team");
    awaitPage(page -> page.findElement(By.id("members")).getText().contains("Olivia Owner") ? true : null, "the agency's members");
    chrome.findElement(By.id("invite-email")).sendKeys("mia@demo.test");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("invite-role"))).selectByValue("member");
    chrome.findElement(By.id("invite")).click();
    WebElement invited = awaitPage(page -> page.findElements(By.cssSelector("#invitations tr[data-invitation-id]")).stream()
        .filter(row -> row.getText().contains("mia@demo.test") && row.getText().contains("pending")).findFirst().orElse(null),
        "the invitation listed as pending");
    invited.findElement(By.xpath(".//button[text()='Revoke']")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#invitations tr[data-invitation-id]")).stream()
        .anyMatch(row -> row.getText().contains("mia@demo.test") && row.getText().contains("revoked")) ? true : null,
        "the invitation revoked");

    chrome.findElement(By.id("key-name")).sendKeys("zapier");
    chrome.findElement(By.cssSelector("#key-form input[value='conversations:read']")).click();
    chrome.findElement(By.id("create-key")).click();
    WebElement shown = awaitPage(page -> page.findElement(By.id("new-key")).isDisplayed()
        && page.findElement(By.id("new-key")).getText().contains("lc_") ? page.findElement(By.id("new-key")) : null, "the new key, shown once");
    assertThat(shown.getText()).contains("shown only once", "lc_");
    HeadlessChromium.screenshot(chrome, "team-1280");
    onAPhone("team");
    chrome.navigate().refresh();
    awaitPage(page -> page.findElement(By.id("api-keys")).getText().contains("zapier") ? true : null, "the key listed");
    assertThat(chrome.findElement(By.id("api-keys")).getText()).as("the secret is never shown again").doesNotContain("lc_");
  }

  @Test
  @Order(10)
  void aDraftOfAClientIsApprovedFromTheAgencysWorkPage() {
    HttpTestClient visitor = HttpTestClient.to(settings.http().port());
    var sent = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"demo-drafts\",\"text\":\"Do you fix boilers?\"}");
    assertThat(sent.status()).isEqualTo(200);
    String token = sent.json().path("sessionToken").asText();

    chrome.get(base + "/app/work");
    WebElement approval = awaitPage(page -> {
      chrome.navigate().refresh();
      return page.findElements(By.cssSelector("#approvals tr[data-approval-id]")).stream().findFirst().orElse(null);
    }, "the client's draft among the agency's approvals");
    assertThat(approval.getText()).contains("Pipe Pros Plumbing (demo)", "Draft reply: Yes, boiler service is 95 euros.");
    HeadlessChromium.screenshot(chrome, "work-1280");
    onAPhone("work");
    Sql.update(settings.database(), "INSERT INTO booking_requests (org_id, agent_id, session_id, requested_time, service, created_at,"
        + " persistence_id, sequence_number) VALUES (?, ?, 's-booked', 'Friday 9:00', 'radiator flush', CURRENT_TIMESTAMP,"
        + " 'Session|s-booked', 1)", DemoSeed.ORG_ID, DemoSeed.AGENT_ID);
    approval.findElement(By.xpath(".//button[text()='Approve']")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#approvals tr[data-approval-id]")).isEmpty() ? true : null,
        "nothing left to approve");
    awaitPage(page -> visitor.get("/api/v1/webchat/history?sessionToken=" + token).body().contains("boiler service is 95 euros")
        ? true : null, "the approved draft sent to the visitor");

    chrome.navigate().refresh();
    WebElement booking = awaitPage(page -> page.findElements(By.cssSelector("#bookings tr[data-booking-id]")).stream()
        .filter(row -> row.getText().contains("radiator flush")).findFirst().orElse(null), "the booking request");
    assertThat(booking.getText()).contains("Pipe Pros Plumbing (demo)", "Friday 9:00", "requested");
    booking.findElement(By.xpath(".//button[text()='Accept']")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#bookings tr[data-booking-id]")).stream()
        .anyMatch(row -> row.getText().contains("radiator flush") && row.getText().contains("accepted (Olivia Owner")) ? true : null,
        "the booking accepted, and by whom");
  }

  @Test
  @Order(11)
  void theOwnerBuysACreditPackOnStripesPageAndTheBalanceGrowsOnceTheSignedWebhookArrives() {
    chrome.get(base + "/app/billing");
    long before = Long.parseLong(awaitPage(page -> page.findElement(By.id("bought-total")), "the balance").getText());
    awaitPage(page -> "30".equals(page.findElement(By.id("usage-chart")).getAttribute("data-drawn"))
        && !page.findElements(By.cssSelector("#usage-chart canvas")).isEmpty() ? true : null, "the usage chart drawn");
    assertThat(chrome.findElement(By.id("usage-by-agent")).getText()).contains("demo-plumber");
    HeadlessChromium.screenshot(chrome, "billing-1280");
    onAPhone("billing");

    chrome.findElement(By.cssSelector("#packs button[data-body-pack='pack-100']")).click();
    awaitPage(page -> chrome.getCurrentUrl().endsWith("/app/billing?checkout=done") ? true : null, "back from Stripe's page");
    assertThat(chrome.findElement(By.id("checkout-notice")).getText()).contains("payment went through");
    assertThat(Long.parseLong(chrome.findElement(By.id("bought-total")).getText())).isEqualTo(before + 100);
    awaitPage(page -> {
      // the movements come from the ledger's read model, a moment behind the balance
      chrome.navigate().refresh();
      return page.findElement(By.id("movements")).getText().contains("+100") ? true : null;
    }, "the purchase among the credit movements");
    String checkout = java.net.URLDecoder.decode(stripe.requestsTo("/v1/checkout/sessions").get(0).body(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(checkout).contains("metadata[organizationId]=" + DemoSeed.AGENCY_ID, "metadata[credits]=100", "mode=payment");
  }

  @Test
  @Order(12)
  void theOwnerEditsAClientsAgentSeesThePreviewChangeAndAnUploadedPdfReachesThePrompt() throws IOException {
    chrome.get(base + "/app/agents?org=" + DemoSeed.ORG_ID);
    awaitPage(page -> page.findElement(By.cssSelector("tr[data-agent-id='" + DemoSeed.AGENT_ID + "'] a")), "the client's agents");
    HeadlessChromium.screenshot(chrome, "agents-1280");
    onAPhone("agents");
    chrome.findElement(By.cssSelector("tr[data-agent-id='" + DemoSeed.AGENT_ID + "'] a")).click();
    WebElement greeting = awaitPage(page -> page.findElement(By.id("agent-greeting")), "the agent's settings");
    awaitPage(page -> previewText().contains(greeting.getAttribute("value")) ? true : null, "the preview with today's greeting");
    greeting.clear();
    greeting.sendKeys("Welcome to Pipe Pros! Ask me about boilers.");
    chrome.findElement(By.id("save-agent")).click();
    awaitPage(page -> page.findElement(By.id("saved")).getText().contains("Saved") ? true : null, "the agent saved");
    awaitPage(page -> previewText().contains("Welcome to Pipe Pros! Ask me about boilers.") ? true : null,
        "the preview chat greeting with the new words");
    HttpTestClient owner = HttpTestClient.to(settings.http().port()).withBearer(demoKey);
    assertThat(owner.get("/api/v1/agents/" + DemoSeed.AGENT_ID).json().path("config").path("greeting").asText())
        .isEqualTo("Welcome to Pipe Pros! Ask me about boilers.");

    String tags = chrome.findElement(By.id("agent-tags")).getAttribute("value");
    Path pdf = dataDir.resolve("price-list.pdf");
    Files.write(pdf, Pdfs.withLine("Boiler service 95 euros. Call-out 65 euros."));
    chrome.findElement(By.id("upload-file")).sendKeys(pdf.toString());
    chrome.findElement(By.id("upload-title")).sendKeys("Price list 2027");
    chrome.findElement(By.id("upload-tags")).sendKeys(tags.isBlank() ? "prices" : tags.split(",")[0].trim());
    chrome.findElement(By.id("upload")).click();
    WebElement uploaded = awaitPage(page -> page.findElements(By.cssSelector("#documents tr")).stream()
        .filter(row -> row.getText().contains("Price list 2027") && "included".equals(row.getAttribute("data-inclusion")))
        .findFirst().orElse(null), "the PDF extracted and in the agent's prompt");
    assertThat(uploaded.getText()).contains("In the prompt");
    assertThat(Integer.parseInt(uploaded.findElement(By.cssSelector("td[data-label='Characters']")).getText()))
        .as("the extracted text's length").isGreaterThan(30);
    assertThat(chrome.findElement(By.id("prompt-budget")).getText()).contains("of at most 60000 characters");
    HeadlessChromium.screenshot(chrome, "agent-1280");
    onAPhone("agent");

    String documentId = awaitPage(page -> page.findElements(By.cssSelector("#documents tr")).stream()
        .filter(row -> row.getText().contains("Price list 2027")).findFirst().map(row -> row.getAttribute("data-document-id"))
        .orElse(null), "the uploaded document's row");
    WebElement retag = chrome.findElement(By.id("tags-" + documentId));
    retag.clear();
    retag.sendKeys("salon, hair");
    retag.sendKeys(Keys.ENTER);
    awaitPage(page -> "other_tags".equals(page.findElement(By.cssSelector("tr[data-document-id='" + documentId + "']"))
        .getAttribute("data-inclusion")) ? true : null, "retagged out of this agent's prompt");
    chrome.findElement(By.cssSelector("tr[data-document-id='" + documentId + "'] button[data-method='DELETE']")).click();
    chrome.switchTo().alert().accept();
    awaitPage(page -> page.findElements(By.cssSelector("tr[data-document-id='" + documentId + "']")).isEmpty() ? true : null,
        "the document deleted");

    // a follow-up sequence, kept with the agent
    chrome.findElement(By.id("sequence-name")).sendKeys("quote-chase");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("sequence-trigger"))).selectByValue("lead_captured");
    chrome.findElement(By.id("sequence-steps")).sendKeys("1d | Any questions about the quote?\n3d | Shall we book it?");
    chrome.findElement(By.id("save-sequence")).click();
    WebElement saved = awaitPage(page -> page.findElement(By.cssSelector("#sequences tr[data-sequence='quote-chase']")), "the sequence");
    assertThat(saved.getText()).contains("lead captured", "1d | Any questions about the quote?", "3d | Shall we book it?", "a reply");
    assertThat(owner.get("/api/v1/agents/" + DemoSeed.AGENT_ID + "/sequences").json().path("sequences").get(0).path("trigger").asText())
        .isEqualTo("lead_captured");
    saved.findElement(By.cssSelector("button[data-method='DELETE']")).click();
    chrome.switchTo().alert().accept();
    awaitPage(page -> page.findElements(By.cssSelector("#sequences tr[data-sequence='quote-chase']")).isEmpty() ? true : null,
        "the sequence deleted");
  }

  @Test
  @Order(13)
  void theOwnerFindsAConversationTakesItOverNotesAssignsRepliesAndHandsItBackWhileItUpdatesLive() {
    HttpTestClient visitor = HttpTestClient.to(settings.http().port());
    var sent = visitor.post("/api/v1/webchat/message", "{\"agentId\":\"" + DemoSeed.AGENT_ID + "\",\"text\":\"Is my radiator warranty valid?\"}");
    String token = sent.json().path("sessionToken").asText();
    HttpTestClient agency = HttpTestClient.to(settings.http().port()).withBearer(demoKey);
    assertThat(agency.post("/api/v1/canned-replies", "{\"title\":\"Warranty\",\"text\":\"Every repair has a two-year warranty.\"}")
        .status()).isEqualTo(201);

    chrome.get(base + "/app/inbox?q=radiator");
    WebElement row = awaitPage(page -> {
      chrome.navigate().refresh();
      return page.findElements(By.cssSelector("#conversation-list li[data-session-id]")).stream().findFirst().orElse(null);
    }, "the conversation found by what the customer wrote");
    assertThat(chrome.findElements(By.cssSelector("#conversation-list li[data-session-id]"))).as("only that one").hasSize(1);
    assertThat(row.getAttribute("class")).contains("unread");
    assertThat(row.getText()).contains("Pipe Pros Plumbing (demo)", "webchat");
    awaitPage(page -> {
      page.findElement(By.cssSelector("#conversation-list li[data-session-id] a")).click();
      return true;
    }, "the conversation clicked (again, if the live list swapped it out)");

    awaitPage(page -> page.findElement(By.id("messages")).getText().contains("Is my radiator warranty valid?") ? true : null,
        "the conversation open");
    chrome.findElement(By.id("take-over")).click();
    awaitPage(page -> page.findElement(By.id("conversation-status")).getText().contains("A person has it")
        && page.findElement(By.id("hand-back")).isDisplayed() ? true : null, "taken over without writing");

    chrome.findElement(By.cssSelector("#what-happened summary")).click();
    awaitPage(page -> page.findElement(By.id("timeline")).getText().contains("Message in") ? true : null,
        "what happened, from the conversation's journal");
    chrome.findElement(By.id("note-text")).sendKeys("Warranty card is in the van");
    chrome.findElement(By.id("add-note")).click();
    awaitPage(page -> page.findElement(By.id("notes")).getText().contains("Warranty card is in the van") ? true : null, "the note");

    new org.openqa.selenium.support.ui.Select(awaitPage(page -> page.findElement(By.id("assignee-select")), "the assignee choice"))
        .selectByVisibleText("Pat Plumber");
    awaitPage(page -> page.findElement(By.cssSelector("#conversation-list li.selected")).getText().contains("Pat Plumber") ? true : null,
        "assigned to the plumber");

    ((JavascriptExecutor) chrome).executeScript("window.stillTheSamePage = true;");
    awaitPage(page -> "connected".equals(page.findElement(By.tagName("body")).getAttribute("data-live")) ? true : null, "the live stream");
    visitor.post("/api/v1/webchat/message", "{\"agentId\":\"" + DemoSeed.AGENT_ID + "\",\"sessionToken\":\"" + token
        + "\",\"text\":\"Hello? Anyone there?\"}");
    awaitPage(page -> page.findElement(By.id("messages")).getText().contains("Hello? Anyone there?") ? true : null,
        "the customer's new message, live");
    assertThat(((JavascriptExecutor) chrome).executeScript("return window.stillTheSamePage === true;")).as("no reload").isEqualTo(true);

    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("canned"))).selectByVisibleText("Warranty");
    assertThat(chrome.findElement(By.id("reply-text")).getAttribute("value")).isEqualTo("Every repair has a two-year warranty.");
    chrome.findElement(By.id("send-reply")).click();
    awaitPage(page -> visitor.get("/api/v1/webchat/history?sessionToken=" + token).body().contains("two-year warranty") ? true : null,
        "the reply at the customer");
    assertThat(visitor.get("/api/v1/webchat/history?sessionToken=" + token).body()).as("notes stay inside the team")
        .doesNotContain("Warranty card is in the van");
    HeadlessChromium.screenshot(chrome, "inbox-1280");
    onAPhone("inbox");

    awaitPage(page -> page.findElement(By.id("hand-back")), "the hand-back button").click();
    awaitPage(page -> page.findElement(By.id("conversation-status")).getText().contains("The agent answers") ? true : null,
        "handed back to the agent");
  }

  @Test
  @Order(14)
  void aClientsChannelsAreConnectedAndTheAgencyBuysAnSmsNumberThroughTheWizard() {
    chrome.get(base + "/app/channels?org=" + DemoSeed.ORG_ID);
    assertThat(awaitPage(page -> page.findElement(By.id("whatsapp-state")), "the channels").getText()).startsWith("Not connected");
    chrome.findElement(By.id("whatsapp-token")).sendKeys("EAAG-browser-test-token");
    chrome.findElement(By.cssSelector("#whatsapp-form button")).click();
    awaitPage(page -> page.findElement(By.id("whatsapp-state")).getText().startsWith("Connected") ? true : null, "WhatsApp connected");
    assertThat(chrome.getPageSource()).as("the token is never shown again").doesNotContain("EAAG-browser-test-token");
    chrome.findElement(By.id("waba-id")).sendKeys("102290129340398");
    chrome.findElement(By.cssSelector("#waba-form button")).click();
    awaitPage(page -> page.findElement(By.id("sync-templates")), "the business account saved").click();
    assertThat(awaitPage(page -> page.findElement(By.cssSelector("#templates tr[data-template='service_due|en']")), "the synced template")
        .getText()).contains("service_due", "utility", "approved");
    HttpTestClient client = HttpTestClient.to(settings.http().port()).withBearer(demoKey);
    assertThat(client.post("/api/v1/agents/" + DemoSeed.AGENT_ID + "/channels", "{\"channel\":\"whatsapp\",\"address\":\"106540352242922\"}")
        .status()).isEqualTo(201);
    chrome.navigate().refresh();
    awaitPage(page -> page.findElement(By.id("start-contact")), "the form to write to a new customer").sendKeys("+44 7700 900123");
    chrome.findElement(By.id("start-values")).sendKeys("Sam\nboiler service");
    chrome.findElement(By.id("start-send")).click();
    String started = new io.layercake.runtime.session.SessionKey(DemoSeed.AGENT_ID, "whatsapp", "+447700900123").sessionId();
    awaitPage(page -> {
      List<WebElement> messages = page.findElements(By.id("messages"));
      return chrome.getCurrentUrl().contains("/app/inbox/" + started) && !messages.isEmpty()
          && messages.get(0).getText().contains("service_due") ? true : null;
    }, "the new conversation open in the inbox");
    assertThat(graph.requestsTo("/v21.0/106540352242922/messages")).singleElement()
        .satisfies(sent -> assertThat(sent.json().path("template").path("name").asText()).isEqualTo("service_due"));
    // the customer has not written: free text cannot reach them, the inbox offers the approved templates
    assertThat(awaitPage(page -> page.findElement(By.id("window-closed")), "the closed window said").getText())
        .contains("only an approved template");
    assertThat(chrome.findElements(By.id("reply-text"))).as("no free-text box").isEmpty();
    chrome.findElement(By.id("template-values")).sendKeys("Sam\nboiler check");
    chrome.findElement(By.id("send-template")).click();
    awaitPage(page -> graph.requestsTo("/v21.0/106540352242922/messages").size() == 2 ? true : null, "the template sent from the inbox");
    assertThat(graph.requestsTo("/v21.0/106540352242922/messages").get(1).json().path("template").path("components").get(0)
        .path("parameters").findValuesAsText("text")).containsExactly("Sam", "boiler check");
    chrome.get(base + "/app/channels?org=" + DemoSeed.ORG_ID);
    awaitPage(page -> page.findElement(By.id("whatsapp-state")), "the channels again");
    chrome.findElement(By.id("sender-id")).sendKeys("PipePros");
    chrome.findElement(By.cssSelector("#sender-form button")).click();
    awaitPage(page -> page.findElement(By.id("sms-sender")).getText().contains("PipePros") ? true : null, "the SMS sender name");

    // Embedded Signup: Facebook's SDK and Meta's window stood in for (no internet here), the server's calls against the Graph stub
    ((org.openqa.selenium.JavascriptExecutor) chrome).executeScript("window.FB = { login: function (done, options) {"
        + " window.signupOptions = options;"
        + " window.LayercakeEmbeddedSignup.sessionInfo({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH',"
        + "   data: { phone_number_id: '109999999999999', waba_id: '103333333333333' } });"
        + " done({ authResponse: { code: 'BROWSER-CODE' } }); } };");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("signup-agent"))).selectByValue(DemoSeed.AGENT_ID);
    chrome.findElement(By.id("signup-start")).click();
    String connected = awaitPage(page -> {
      String text = page.findElement(By.id("signup-result")).getText();
      return text.startsWith("Connected") ? text : null;
    }, "WhatsApp connected through Embedded Signup");
    assertThat(connected).contains("109999999999999", DemoSeed.AGENT_ID).containsPattern("PIN is \\d{6}");
    assertThat((Object) ((org.openqa.selenium.JavascriptExecutor) chrome).executeScript("return window.signupOptions.config_id"))
        .isEqualTo("cfg-browser");
    assertThat(graph.requestsTo("/v21.0/oauth/access_token").get(0).path()).contains("code=BROWSER-CODE");
    assertThat(graph.requestsTo("/v21.0/109999999999999/register")).hasSize(1);

    chrome.findElement(By.id("instagram-account")).sendKeys("17841400008460056");
    chrome.findElement(By.id("instagram-token")).sendKeys("EAAG-instagram-page");
    chrome.findElement(By.cssSelector("#instagram-form button")).click();
    awaitPage(page -> page.findElement(By.id("instagram-state")).getText().startsWith("Connected") ? true : null, "Instagram connected");
    assertThat(chrome.getPageSource()).doesNotContain("EAAG-instagram-page");

    WebElement chat = chrome.findElement(By.cssSelector("form.webchat-form[data-agent-id='" + DemoSeed.AGENT_ID + "']"));
    assertThat(chat.findElement(By.cssSelector("textarea.snippet")).getAttribute("value"))
        .isEqualTo("<script src=\"" + base + "/widget.js\" data-agent-id=\"" + DemoSeed.AGENT_ID + "\" async></script>");
    chat.findElement(By.name("allowedOrigins")).sendKeys("https://pipepros.example");
    chat.findElement(By.cssSelector("button[type=submit]")).click();
    awaitPage(page -> chat.findElement(By.tagName("output")).getText().contains("Saved") ? true : null, "the sites saved");
    HttpTestClient agency = HttpTestClient.to(settings.http().port()).withBearer(demoKey);
    assertThat(agency.get("/api/v1/agents/" + DemoSeed.AGENT_ID).json().path("config").path("webchat").path("allowedOrigins")
        .findValuesAsText("")).isEmpty();
    assertThat(agency.get("/api/v1/agents/" + DemoSeed.AGENT_ID).json().path("config").path("webchat").path("allowedOrigins").toString())
        .contains("https://pipepros.example");
    HeadlessChromium.screenshot(chrome, "channels-1280");
    onAPhone("channels");

    chrome.get(base + "/app/channels");
    awaitPage(page -> page.findElement(By.id("buy-number")), "the agency may buy a number").click();
    awaitPage(page -> page.findElement(By.id("country")), "the country step").sendKeys("gb");
    chrome.findElement(By.id("find-numbers")).click();
    WebElement offer = awaitPage(page -> page.findElement(By.cssSelector("#offers tbody tr")), "Infobip's offers at our price");
    assertThat(offer.getText()).contains("447700900777", "2.70 EUR a month", "5.00 EUR");
    offer.findElement(By.linkText("Choose")).click();
    awaitPage(page -> page.findElement(By.id("chosen")), "the number's details");
    HeadlessChromium.screenshot(chrome, "sms-number-1280");
    onAPhone("sms-number");
    chrome.findElement(By.id("pay-number")).click();
    awaitPage(page -> chrome.getCurrentUrl().contains("checkout=done") ? true : null, "back from Stripe's page");
    chrome.get(base + "/app/channels");
    awaitPage(page -> {
      chrome.navigate().refresh();
      return page.findElement(By.id("sms-numbers")).getText().contains("447700900777") ? true : null;
    }, "the number bought after the signed webhook");
  }

  @Test
  @Order(15)
  void aWebhookIsAddedOnTheTeamPageItsSecretShownOnceAndATestEventShowsInItsDeliveries() {
    chrome.get(base + "/app/team");
    awaitPage(page -> page.findElement(By.id("webhook-url")), "the webhook form").sendKeys(hooks.baseUrl() + "/crm");
    chrome.findElement(By.cssSelector("#webhook-form input[value='conversation.handed_off']")).click();
    chrome.findElement(By.id("add-webhook")).click();
    WebElement secret = awaitPage(page -> page.findElement(By.id("new-webhook-secret")).isDisplayed()
        && page.findElement(By.id("new-webhook-secret")).getText().contains("whsec_") ? page.findElement(By.id("new-webhook-secret")) : null,
        "the signing secret, shown once");
    assertThat(secret.getText()).contains("shown only once", "whsec_");
    chrome.navigate().refresh();
    WebElement webhook = awaitPage(page -> page.findElement(By.cssSelector("article.webhook")), "the webhook listed");
    assertThat(webhook.getText()).contains(hooks.baseUrl() + "/crm", "conversation.handed_off").doesNotContain("whsec_");
    webhook.findElement(By.cssSelector("button.send-test")).click();
    awaitPage(page -> {
      chrome.navigate().refresh();
      return page.findElement(By.cssSelector("article.webhook table.deliveries")).getText().contains("delivered") ? true : null;
    }, "the test event delivered");
    assertThat(chrome.findElement(By.cssSelector("article.webhook table.deliveries")).getText()).contains("webhook.test", "HTTP 200");
    assertThat(hooks.requestsTo("/crm")).singleElement().satisfies(request -> {
      assertThat(request.json().path("type").asText()).isEqualTo("webhook.test");
      assertThat(request.headers()).containsKey("Layercake-Signature");
    });
    HeadlessChromium.screenshot(chrome, "webhooks-1280");
    onAPhone("webhooks");

    chrome.findElement(By.id("reply-title")).sendKeys("Call-out");
    chrome.findElement(By.id("reply-body")).sendKeys("A call-out is 65 euros.");
    chrome.findElement(By.id("add-reply")).click();
    WebElement reply = awaitPage(page -> page.findElements(By.cssSelector("#canned-replies tr")).stream()
        .filter(row -> row.getText().contains("Call-out")).findFirst().orElse(null), "the canned reply kept");
    assertThat(reply.getText()).contains("A call-out is 65 euros.", "Olivia Owner");
    reply.findElement(By.tagName("button")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#canned-replies tr")).stream()
        .noneMatch(row -> row.getText().contains("Call-out")) ? true : null, "the canned reply deleted");
  }

  @Test
  @Order(16)
  void everyAgencyPageMeetsWcagAaAndLogsNoErrorToTheConsole() {
    String conversation = HttpTestClient.to(settings.http().port()).withBearer(demoKey).get("/api/v1/conversations?limit=1").json()
        .path("conversations").path(0).path("sessionId").asText();
    List<String> pages = List.of("/app", "/app/clients/new", "/app/inbox", "/app/inbox/" + conversation, "/app/agents?org=demo",
        "/app/agents/" + DemoSeed.AGENT_ID + "?org=demo", "/app/channels?org=demo", "/app/channels/sms-number?country=GB",
        "/app/work", "/app/team", "/app/billing", "/app/notifications", "/app/messages");
    List<String> problems = new java.util.ArrayList<>();
    chrome.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER);
    for (String path : pages) {
      chrome.get(base + path);
      awaitPage(page -> page.findElement(By.id("who")), "the page " + path);
      problems.addAll(auditProblems(path));
    }
    assertThat(problems).isEmpty();

    ((JavascriptExecutor) chrome).executeScript("var faint = document.createElement('p'); faint.textContent = 'Faint text';"
        + "faint.style.color = '#d1d5db'; document.getElementById('main').appendChild(faint);");
    assertThat(new com.deque.html.axecore.selenium.AxeBuilder().withTags(List.of("wcag2aa")).analyze(chrome).getViolations())
        .as("the audit does catch text too faint to read").extracting(com.deque.html.axecore.results.Rule::getId)
        .contains("color-contrast");
  }

  @Test
  @Order(17)
  void theInboxWorksFromTheKeyboard() {
    chrome.get(base + "/app/inbox");
    awaitPage(page -> page.findElement(By.cssSelector("#conversation-list a")), "the conversations");
    WebElement search = chrome.findElement(By.id("q"));
    search.sendKeys("radiator", Keys.ENTER);
    awaitPage(page -> chrome.getCurrentUrl().contains("q=radiator") ? true : null, "the search sent with Enter");
    WebElement link = chrome.findElement(By.cssSelector("#conversation-list a"));
    ((JavascriptExecutor) chrome).executeScript("arguments[0].focus();", link);
    assertThat(chrome.switchTo().activeElement()).isEqualTo(link);
    link.sendKeys(Keys.ENTER);
    awaitPage(page -> page.findElement(By.id("messages")).getText().contains("radiator") ? true : null, "opened with Enter");
    WebElement note = chrome.findElement(By.id("note-text"));
    note.sendKeys("From the keyboard");
    note.sendKeys(Keys.TAB);
    assertThat(chrome.switchTo().activeElement().getAttribute("id")).as("Tab goes on to the note's button").isEqualTo("add-note");
    chrome.switchTo().activeElement().sendKeys(Keys.ENTER);
    awaitPage(page -> page.findElement(By.id("notes")).getText().contains("From the keyboard") ? true : null, "the note added with Enter");
  }

  @Test
  @Order(18)
  void anAgentIsSetUpInTheInterviewTriedInTheTestChatAndConnected() {
    chrome.get(base + "/app/agents?org=" + DemoSeed.ORG_ID);
    awaitPage(page -> page.findElement(By.id("start-setup")), "the new-agent form").click();
    awaitPage(page -> page.findElement(By.id("setup-title")), "the setup page");
    answer("Pipe Pros Utrecht", "agent-config.json");
    answer("We fix leaking pipes the same day.", "kb/hero-profile.md");
    answer("Callout: €65, the first half hour included", "kb/services-and-prices.md");

    chrome.findElement(By.id("test-text")).sendKeys("How much is a callout?");
    chrome.findElement(By.id("test-send")).click();
    awaitPage(page -> page.findElement(By.id("test-messages")).getText().contains("€65") ? true : null, "the test chat's answer");
    HeadlessChromium.screenshot(chrome, "setup-1280");
    List<String> problems = new java.util.ArrayList<>();
    for (com.deque.html.axecore.results.Rule rule : new com.deque.html.axecore.selenium.AxeBuilder()
        .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(chrome).getViolations()) {
      rule.getNodes().forEach(node -> problems.add(rule.getId() + " at " + node.getTarget() + ": " + node.getFailureSummary()));
    }
    assertThat(problems).isEmpty();

    chrome.findElement(By.id("connect")).click();
    WebElement connected = awaitPage(page -> page.findElement(By.id("connected")), "the agent connected");
    assertThat(connected.getText()).contains("with 2 documents");
    String agentId = connected.findElement(By.tagName("a")).getText();
    assertThat(HttpTestClient.to(settings.http().port()).withBearer(demoKey).get("/api/v1/agents/" + agentId).json()
        .path("config").path("name").asText()).isEqualTo("Pipe Pros Utrecht");
    onAPhone("setup");
    chrome.get(base + "/app/agents?org=" + DemoSeed.ORG_ID);
    assertThat(awaitPage(page -> page.findElement(By.id("interviews")), "the setup interviews on the agents page").getText())
        .contains("connected as " + agentId);
    // the agents table reads a projection: reload until it lists the connected agent
    String listed = awaitPage(page -> {
      chrome.navigate().refresh();
      String text = page.findElement(By.id("agents")).getText();
      return text.contains("Pipe Pros Utrecht") ? text : null;
    }, "the connected agent listed");
    assertThat(listed).as("the test agent goes with its interview, not among the agents").doesNotContain("(test)");
  }

  /** Answers the setup agent, waits for the page to reload, then for it to show the file the answer was written into. */
  private static void answer(String text, String path) {
    WebElement before = chrome.findElement(By.id("setup-title"));
    chrome.findElement(By.id("setup-text")).sendKeys(text);
    chrome.findElement(By.id("setup-send")).click();
    new WebDriverWait(chrome, WAIT).withMessage("the page reloaded after the answer")
        .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(before));
    awaitPage(page -> page.findElement(By.cssSelector("details[data-path='" + path + "'] summary")).getText().contains("version 1")
        ? true : null, path + " written");
  }

  @Test
  @Order(19)
  void theBellCountsANewNotificationLiveAndTheNotificationsPageMarksItRead() {
    chrome.get(base + "/app/notifications");
    awaitPage(page -> page.findElement(By.id("choices")), "the notifications page");
    if (!chrome.findElements(By.id("mark-all-read")).isEmpty()) {
      chrome.findElement(By.id("mark-all-read")).click();
      awaitPage(page -> page.findElements(By.id("mark-all-read")).isEmpty() ? true : null, "everything read");
    }
    chrome.get(base + "/app");
    // the demo's conversations may still tell the owner something: the count is read, not assumed
    // a hidden count has no visible text: the element's own text is read
    int before = awaitPage(page -> page.findElement(By.id("bell-count")).getDomProperty("textContent").matches("\\d+")
        ? Integer.valueOf(page.findElement(By.id("bell-count")).getDomProperty("textContent")) : null,
        "the bell's count from the live stream");

    Response posted = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN).post("/admin/notifications",
        "{\"title\":\"Maintenance tonight\",\"body\":\"The dashboard pauses at 22:00 UTC.\",\"priority\":\"normal\"}");
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    awaitPage(page -> page.findElement(By.id("bell-count")).isDisplayed()
        && Integer.parseInt(page.findElement(By.id("bell-count")).getText()) > before ? true : null,
        "the bell counts the new notification without a reload");
    assertThat(chrome.findElement(By.id("bell")).getAttribute("aria-label")).matches("Notifications, \\d+ unread");

    chrome.findElement(By.id("bell")).click();
    WebElement item = awaitPage(page -> page.findElements(By.cssSelector("#notification-list li.unread")).stream()
        .filter(li -> li.getText().contains("Maintenance tonight")).findFirst().orElse(null), "the notification on its page");
    assertThat(item.getText()).contains("The dashboard pauses at 22:00 UTC.", "normal");
    onAPhone("notifications");
    chrome.findElement(By.id("mark-all-read")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#notification-list li.unread")).stream()
        .noneMatch(li -> li.getText().contains("Maintenance tonight")) ? true : null, "read");

    chrome.findElement(By.id("messages-link")).click();
    awaitPage(page -> page.findElement(By.id("new-message")), "the messages page");
    chrome.findElements(By.cssSelector("#new-to option")).stream().filter(option -> option.getText().startsWith("Pat Plumber · "))
        .findFirst().orElseThrow().click();
    chrome.findElement(By.id("new-text")).sendKeys("Hi Pat, your agent is live.");
    chrome.findElement(By.cssSelector("#new-message button[type=submit]")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#dm-messages li.from-me")).stream()
        .filter(li -> li.getText().contains("Hi Pat, your agent is live.")).findFirst().orElse(null), "the message in its thread");
    assertThat(chrome.findElement(By.id("dm-title")).getText()).isEqualTo("Pat Plumber");
  }

  @Test
  @Order(20)
  void aHostedModelsReplyGrowsInTheWidgetAsItIsWrittenAndIsReplacedByTheRecordedReply() {
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    assertThat(operator.post("/admin/agents", "{\"agentId\":\"demo-streaming\",\"orgId\":\"demo\",\"name\":\"Streaming\","
        + "\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"temperature\":0.2}}").status()).isEqualTo(201);
    chrome.get(base + "/");
    await(widget -> widget.findElement(By.cssSelector(".frame[data-ready]")), "the demo widget, replaced next");
    embedInstead("demo-streaming");
    openWidget();
    send("Do you come on Sundays?");

    // the model has written the first words and holds the rest back: they show already
    WebElement growing = await(widget -> widget.findElements(By.cssSelector(".message.agent.writing")).stream().findFirst()
        .orElse(null), "the reply growing");
    assertThat(growing.getText()).isEqualTo("Yes, we come ");
    assertThat(growing.getAttribute("aria-busy")).isEqualTo("true");
    HeadlessChromium.screenshot(chrome, "widget-streaming");
    STREAM_HELD.countDown();
    WebElement answer = await(widget -> widget.findElements(By.cssSelector(".message.agent:not(.writing)")).stream()
        .filter(message -> message.getText().equals("Yes, we come on Sundays too.")).findFirst().orElse(null), "the recorded reply");
    assertThat(answer.getAttribute("data-id")).isNotBlank();
    assertThat(widget().findElements(By.cssSelector(".message.agent.writing"))).as("the growing bubble gave way").isEmpty();
  }

  @Test
  @Order(21)
  void aReplayOfAChangedFaqRunsInTheBackgroundAndShowsWhatWouldChange() {
    chrome.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER);
    chrome.get(base + "/app/agents/" + DemoSeed.AGENT_ID + "?org=" + DemoSeed.ORG_ID);
    WebElement limit = awaitPage(page -> page.findElement(By.id("replay-limit")), "the replay form");
    limit.clear();
    limit.sendKeys("5");
    chrome.findElement(By.id("replay-faq")).sendKeys("Do you work on Sundays? | Sundays for emergencies only.");
    chrome.findElement(By.id("start-replay")).click();

    WebElement title = awaitPage(page -> "done".equals(page.findElement(By.id("replay-title")).getAttribute("data-status"))
        ? page.findElement(By.id("replay-title")) : null, "the replay run and its report shown");
    String replayId = title.getAttribute("data-replay-id");
    List<WebElement> turns = chrome.findElements(By.cssSelector("#replay-turns tbody tr"));
    JsonNode report = HttpTestClient.to(settings.http().port()).withBearer(demoKey)
        .get("/api/v1/agents/" + DemoSeed.AGENT_ID + "/replays/" + replayId + "?limit=200").json();
    assertThat(turns).hasSize(report.path("turns").size()).isNotEmpty();
    assertThat(report.path("replay").path("candidate").path("faq").path(0).path("answer").asText())
        .isEqualTo("Sundays for emergencies only.");
    assertThat(chrome.findElement(By.id("replay-status")).getText()).contains("done",
        report.path("replay").path("progress").path("done").asInt() + " of " + report.path("turns").size());
    assertThat(turns.get(0).findElement(By.cssSelector("td[data-label='The customer wrote']")).getText())
        .isEqualTo(report.path("turns").path(0).path("customer").asText());
    assertThat(chrome.findElement(By.id("changed-answers")).getText())
        .startsWith(report.path("replay").path("summary").path("changedAnswers").asText() + " of ");
    HeadlessChromium.screenshot(chrome, "replay-1280");
    assertThat(auditProblems("replay")).isEmpty();
    onAPhone("replay");

    chrome.findElement(By.cssSelector("main p a")).click();
    awaitPage(page -> page.findElement(By.cssSelector("#replays tr[data-replay='" + replayId + "']")), "the replay in the agent's list");
    // an agent's page keeps two streams open (live updates, the preview chat); over HTTP/1.1 Chrome allows six connections to
    // a host, and the next test works in another tab
    chrome.get("about:blank");
  }

  @Test
  @Order(50)
  void thePlumberSignsOutTheOwnerAndSeesOnlyTheirOwnBusiness() {
    chrome.switchTo().newWindow(WindowType.TAB);
    chrome.get(base + "/app");
    awaitPage(page -> page.findElement(By.id("sign-out")), "still signed in as the owner").click();
    awaitPage(page -> chrome.getCurrentUrl().contains("/app/sign-in") ? true : null, "the sign-in page");
    assertThat(chrome.manage().getCookieNamed("layercake_session")).as("the session cookie gone").isNull();
    chrome.get(base + "/app/inbox");
    assertThat(chrome.getCurrentUrl()).as("no page without signing in again").contains("/app/sign-in");
    signInThroughTheEmailedLink(DemoSeed.CLIENT_EMAIL, "Pat Plumber", "client owner");

    chrome.get(base + "/app/inbox");
    awaitPage(page -> page.findElements(By.cssSelector("#conversation-list li[data-session-id]")).stream()
        .filter(item -> item.getText().contains("webchat")).findFirst().orElse(null), "the plumber's conversations");
    assertThat(chrome.findElements(By.id("org-switch"))).as("one organization: no switcher").isEmpty();
    WebElement unreadMessages = awaitPage(page -> page.findElement(By.id("messages-count")).isDisplayed()
        ? page.findElement(By.id("messages-count")) : null, "the owner's message counted");
    assertThat(unreadMessages.getText()).isEqualTo("1");
    unreadMessages.click();
    awaitPage(page -> page.findElements(By.cssSelector("#thread-list a")).stream().filter(a -> a.getText().contains("Olivia Owner"))
        .findFirst().orElse(null), "the owner's thread").click();
    awaitPage(page -> page.findElements(By.cssSelector("#dm-messages li.from-them")).stream()
        .filter(li -> li.getText().contains("Hi Pat, your agent is live.")).findFirst().orElse(null), "the owner's message");
    awaitPage(page -> !page.findElement(By.id("messages-count")).isDisplayed() ? true : null, "read: nothing unread any more");
    chrome.findElement(By.id("dm-text")).sendKeys("Thanks, Olivia!");
    chrome.findElement(By.cssSelector("#dm-reply button[type=submit]")).click();
    awaitPage(page -> page.findElements(By.cssSelector("#dm-messages li.from-me")).stream()
        .filter(li -> li.getText().contains("Thanks, Olivia!")).findFirst().orElse(null), "the reply in the thread");
    HttpTestClient plumberSession = HttpTestClient.to(settings.http().port())
        .withHeaders(java.util.Map.of("Cookie", "layercake_session=" + chrome.manage().getCookieNamed("layercake_session").getValue()));
    assertThat(plumberSession.get("/api/v1/me").json().path("organizations").findValuesAsText("orgId")).containsExactly(DemoSeed.ORG_ID);
    chrome.get(base + "/app?org=" + DemoSeed.AGENCY_ID);
    assertThat(chrome.findElement(By.tagName("body")).getText()).as("the agency is not the plumber's to see").contains("not_a_member");
    HeadlessChromium.screenshot(chrome, "inbox-client");
  }

  @Test
  @Order(51)
  void thePlumbersPortalIsInItsOwnBrandingAndNamesNeitherTheAgencyNorThePlatform() throws IOException {
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    HttpTestClient agency = HttpTestClient.to(settings.http().port()).withBearer(operator.post("/admin/organizations/"
        + DemoSeed.AGENCY_ID + "/api-keys", "{\"name\":\"portal\",\"scopes\":[\"organizations:read\",\"organizations:write\",\"bookings:read\"]}")
        .json().path("key").asText());
    HttpTestClient.Response branded = agency.send("PUT", "/api/v1/organizations/children/" + DemoSeed.ORG_ID + "/portal",
        "{\"slug\":\"pipe-pros\",\"name\":\"Pipe Pros Plumbing\",\"primaryColor\":\"#0b3d91\",\"accentColor\":\"#ffb000\","
            + "\"supportPhone\":\"+44 20 7946 0000\",\"poweredBy\":false}");
    assertThat(branded.status()).as(branded.body()).isEqualTo(200);
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(160, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D paint = image.createGraphics();
    paint.setColor(new java.awt.Color(0xffb000));
    paint.fillRect(0, 0, 160, 48);
    paint.dispose();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", png);
    assertThat(agency.send("PUT", "/api/v1/organizations/children/" + DemoSeed.ORG_ID + "/portal/logo", png.toByteArray(), "image/png")
        .status()).isEqualTo(200);

    chrome.get(base + "/portal/pipe-pros/");
    awaitPage(page -> page.findElement(By.id("figures")), "the plumber's portal dashboard, signed in already");
    assertThat(chrome.getTitle()).isEqualTo("Dashboard · Pipe Pros Plumbing");
    assertThat(chrome.findElement(By.cssSelector(".portal-top")).getCssValue("background-color")).isEqualTo("rgba(11, 61, 145, 1)");
    assertThat((Long) ((JavascriptExecutor) chrome).executeScript("return document.querySelector('#portal-brand img').naturalWidth;"))
        .as("the logo loaded").isEqualTo(160L);
    assertThat(chrome.findElement(By.id("support")).getText()).contains("+44 20 7946 0000");
    for (String path : List.of("/portal/pipe-pros/", "/portal/pipe-pros/conversations", "/portal/pipe-pros/bookings",
        "/portal/pipe-pros/settings", "/portal/pipe-pros/invoices", "/portal/pipe-pros/contacts", "/portal/pipe-pros/knowledge",
        "/portal/pipe-pros/team")) {
      chrome.get(base + path);
      awaitPage(page -> page.findElement(By.id("who")), path);
      // the team's own addresses are the demo's (…@demo.layercake.local): theirs to show, not the platform's name
      String source = chrome.getPageSource().replace(DemoSeed.CLIENT_EMAIL, "").toLowerCase(java.util.Locale.ROOT);
      assertThat(source).as("white label: " + path).doesNotContain("layercake", "demo agency");
      assertThat(new com.deque.html.axecore.selenium.AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
          .analyze(chrome).getViolations()).as("WCAG AA on " + path).isEmpty();
    }
    chrome.get(base + "/portal/pipe-pros/conversations");
    awaitPage(page -> page.findElement(By.id("conversation-list")), "the plumber's conversations");
    HeadlessChromium.screenshot(chrome, "portal-conversations-1280");
    onAPhone("portal-conversations");
    chrome.findElements(By.cssSelector("#conversation-list li[data-session-id] a")).get(0).click();
    awaitPage(page -> page.findElements(By.cssSelector("#messages li")).isEmpty() ? null : true, "an open conversation");
    awaitPage(page -> "connected".equals(page.findElement(By.tagName("body")).getAttribute("data-live")) ? true : null,
        "the conversations' live stream");
    assertThat(operator.post("/admin/conversations/inbound", "{\"orgId\":\"demo\",\"agentId\":\"" + DemoSeed.AGENT_ID + "\","
        + "\"channel\":\"test\",\"contact\":\"portal-newcomer\",\"messageId\":\"portal-live-1\",\"text\":\"Do you fix taps?\"}")
        .status()).isEqualTo(202);
    awaitPage(page -> page.findElement(By.id("conversation-list")).getText().contains("portal-newcomer") ? true : null,
        "a new conversation in the list without a reload");
    assertThat(chrome.findElement(By.tagName("body")).getAttribute("data-live-refreshes")).isNotNull();
    chrome.get(base + "/portal/pipe-pros/");
    awaitPage(page -> page.findElement(By.id("figures")), "the dashboard again");
    HeadlessChromium.screenshot(chrome, "portal-dashboard-1280");
    onAPhone("portal-dashboard");

    chrome.get(base + "/portal/pipe-pros/settings");
    WebElement saturday = awaitPage(page -> page.findElement(By.id("hours-saturday")), "the opening hours form");
    saturday.clear();
    saturday.sendKeys("09:00-13:00");
    chrome.findElement(By.id("services")).sendKeys("Boiler service = 60");
    chrome.findElement(By.id("save-hours")).click();
    awaitPage(page -> page.findElement(By.id("hours-saved")).isDisplayed() ? true : null, "the hours saved");
    com.fasterxml.jackson.databind.JsonNode saved = agency.get("/api/v1/availability?orgId=" + DemoSeed.ORG_ID).json().path("availability");
    assertThat(saved.path("hours").path("saturday").get(0).asText()).isEqualTo("09:00-13:00");
    assertThat(saved.path("hours").path("monday").get(1).asText()).isEqualTo("13:00-17:00");
    assertThat(saved.path("services").path("Boiler service").asInt()).isEqualTo(60);
    WebElement contact = chrome.findElement(By.cssSelector("#handoff-form input[name=userIds]"));
    contact.click();
    chrome.findElement(By.id("save-handoff")).click();
    awaitPage(page -> page.findElement(By.id("handoff-saved")).isDisplayed() ? true : null, "the hand-off contact saved");
    new org.openqa.selenium.support.ui.Select(chrome.findElement(By.id("mine-email"))).selectByValue("off");
    chrome.findElement(By.id("save-mine")).click();
    awaitPage(page -> page.findElement(By.id("mine-saved")).isDisplayed() ? true : null, "the person's own choice saved");
    chrome.navigate().refresh();
    awaitPage(page -> page.findElement(By.cssSelector("#handoff-form input[name=userIds]")).isSelected()
        && "off".equals(page.findElement(By.id("mine-email")).getAttribute("value")) ? true : null, "both choices kept");
    onAPhone("portal-settings");
    chrome.get(base + "/portal/pipe-pros/team");
    assertThat(awaitPage(page -> page.findElement(By.id("members")), "the plumber's team").getText()).contains(DemoSeed.CLIENT_EMAIL);
    onAPhone("portal-team");
    chrome.get(base + "/portal/pipe-pros/bookings");
    awaitPage(page -> page.findElement(By.id("calendar")), "the week's bookings");
    assertThat(chrome.findElements(By.cssSelector("#calendar .calendar-day"))).hasSize(7);
    onAPhone("portal-bookings");
    chrome.get(base + "/portal/pipe-pros/invoices");
    awaitPage(page -> page.findElement(By.id("contactName")), "the invoices page").sendKeys("Jana Krüger");
    chrome.findElement(By.id("description-1")).sendKeys("Boiler service");
    chrome.findElement(By.id("unit-1")).sendKeys("89.00");
    chrome.findElement(By.id("create-invoice")).click();
    WebElement row = awaitPage(page -> page.findElement(By.cssSelector("#invoices tbody tr")), "the new invoice in the list");
    assertThat(row.getText()).contains("0001", "Jana Krüger", "105.91 EUR", "draft");
    onAPhone("portal-invoices");

    chrome.findElement(By.id("portal-sign-out")).click();
    awaitPage(page -> chrome.getCurrentUrl().endsWith("/portal/pipe-pros/sign-in") ? true : null, "the portal's own sign-in page");
    assertThat(chrome.getPageSource().toLowerCase(java.util.Locale.ROOT)).doesNotContain("layercake", "demo agency");
    HeadlessChromium.screenshot(chrome, "portal-sign-in-1280");
    onAPhone("portal-sign-in");
  }

  @Test
  @Order(52)
  void theAgencySetsUpItsClientsPortalFromItsOwnPages() {
    chrome.get(base + "/app/sign-in");
    signInThroughTheEmailedLink(DemoSeed.OWNER_EMAIL, "Olivia Owner", "owner");
    chrome.get(base + "/app");
    awaitPage(page -> page.findElement(By.cssSelector("a[href='/app/clients/" + DemoSeed.ORG_ID + "/portal']")), "the client's portal link")
        .click();
    awaitPage(page -> page.findElement(By.id("branding-form")), "the portal's settings");
    assertThat(chrome.findElement(By.id("portal-url")).getText()).endsWith("/portal/pipe-pros/");
    assertThat(new com.deque.html.axecore.selenium.AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
        .analyze(chrome).getViolations()).as("WCAG AA on the portal's settings").isEmpty();
    ((JavascriptExecutor) chrome).executeScript("document.getElementById('accentColor').value = '#00aa55';");
    WebElement name = chrome.findElement(By.id("brand-name"));
    name.clear();
    name.sendKeys("Pipe Pros");
    chrome.findElement(By.id("save-branding")).click();
    awaitPage(page -> page.findElement(By.id("portal-title")).getText().equals("Portal of Pipe Pros") ? true : null, "saved and shown");
    HttpTestClient operator = HttpTestClient.to(settings.http().port()).withBearer(ADMIN_TOKEN);
    HttpTestClient agency = HttpTestClient.to(settings.http().port()).withBearer(operator.post("/admin/organizations/"
        + DemoSeed.AGENCY_ID + "/api-keys", "{\"name\":\"check\",\"scopes\":[\"organizations:read\"]}").json().path("key").asText());
    com.fasterxml.jackson.databind.JsonNode portal = agency.get("/api/v1/organizations/children/" + DemoSeed.ORG_ID + "/portal").json();
    assertThat(portal.path("branding").path("accentColor").asText()).isEqualTo("#00aa55");
    assertThat(portal.path("branding").path("poweredBy").asBoolean()).as("left as it was").isFalse();

    chrome.get(base + "/portal/pipe-pros/");
    awaitPage(page -> page.findElement(By.id("figures")), "the client's portal, opened by the agency's owner");
    chrome.get(base + "/app/clients/" + DemoSeed.ORG_ID + "/portal");
    assertThat(awaitPage(page -> page.findElement(By.id("openings")), "who opened it").getText()).contains("Olivia Owner");
    onAPhone("client-portal-settings");
  }

  // ---- helpers ----

  /** Everything the embedded chat shows, open or not. */
  private static String previewText() {
    return (String) ((JavascriptExecutor) chrome).executeScript(
        "var host = document.querySelector('[data-layercake-webchat]');"
            + "return host && host.shadowRoot.querySelector('.messages') ? host.shadowRoot.querySelector('.messages').textContent : '';");
  }


  /** The page at 390 px: nothing wider than the screen; a screenshot; back to the desktop width. */
  /** What the WCAG 2.1 AA audit finds on the page open now, and what it logged to the console as an error. */
  private static List<String> auditProblems(String path) {
    List<String> problems = new java.util.ArrayList<>();
    com.deque.html.axecore.results.Results audit = new com.deque.html.axecore.selenium.AxeBuilder()
        .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(chrome);
    assertThat(audit.getPasses()).as("the audit ran on " + path).isNotEmpty();
    for (com.deque.html.axecore.results.Rule rule : audit.getViolations()) {
      rule.getNodes().forEach(node -> problems.add(path + ": " + rule.getId() + " at " + node.getTarget() + ": " + node.getFailureSummary()));
    }
    chrome.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .forEach(entry -> problems.add(path + ": console: " + entry.getMessage()));
    return problems;
  }

  private static void onAPhone(String page) {
    chrome.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    awaitPage(context -> ((Long) ((JavascriptExecutor) chrome).executeScript(
        "return document.documentElement.scrollWidth - window.innerWidth;")) <= 0 ? true : null, "the " + page + " page fits a phone");
    HeadlessChromium.screenshot(chrome, page + "-390");
    chrome.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
  }

  private static SearchContext widget() {
    return chrome.findElement(By.cssSelector("[data-layercake-webchat]")).getShadowRoot();
  }

  private static com.sun.net.httpserver.HttpServer streamingModel() {
    try {
      com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.createContext("/v1/chat/completions", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        String chunk = "data: {\"id\":\"chatcmpl-b\",\"object\":\"chat.completion.chunk\",\"created\":1764064800,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\n\n";
        try (java.io.OutputStream out = exchange.getResponseBody()) {
          out.write(chunk.formatted("{\"role\":\"assistant\",\"content\":\"Yes, we come \"}", "null").getBytes());
          out.flush();
          STREAM_HELD.await(30, java.util.concurrent.TimeUnit.SECONDS);
          out.write(chunk.formatted("{\"content\":\"on Sundays too.\"}", "null").getBytes());
          out.write(chunk.formatted("{}", "\"stop\"").getBytes());
          out.write("data: [DONE]\n\n".getBytes());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Replaces the page's widget by one for another agent, as a page embedding that agent would. */
  private static void embedInstead(String agentId) {
    ((JavascriptExecutor) chrome).executeScript(
        "document.querySelector('[data-layercake-webchat]').remove();"
            + "var script = document.createElement('script'); script.src = '/widget.js';"
            + "script.setAttribute('data-agent-id', arguments[0]); document.body.appendChild(script);", agentId);
  }

  private static String activeElementInWidget() {
    return (String) ((JavascriptExecutor) chrome).executeScript(
        "var active = document.querySelector('[data-layercake-webchat]').shadowRoot.activeElement;"
            + "return active ? active.tagName : null;");
  }

  private static void openWidget() {
    WebElement bubble = await(widget -> {
      WebElement frame = widget.findElement(By.cssSelector(".frame"));
      return "true".equals(frame.getAttribute("data-ready")) ? widget.findElement(By.cssSelector(".bubble")) : null;
    }, "the widget to load");
    bubble.click();
  }

  private static void send(String text) {
    WebElement input = widget().findElement(By.cssSelector("textarea"));
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  private static void hostileStyles() {
    ((JavascriptExecutor) chrome).executeScript("var style = document.createElement('style');"
        + "style.textContent = 'div, button, textarea { font-size: 30px !important; color: red !important; }';"
        + "document.head.appendChild(style);");
  }

  private static WebElement last(SearchContext widget, String selector) {
    List<WebElement> found = widget.findElements(By.cssSelector(selector));
    return found.size() < 2 ? null : found.get(found.size() - 1);
  }

  private static void awaitTexts(String what, String... texts) {
    await(widget -> {
      String shown = widget.findElement(By.cssSelector(".messages")).getText();
      for (String text : texts) {
        if (!shown.contains(text)) {
          return null;
        }
      }
      return true;
    }, what);
  }

  private static <T> T await(Function<SearchContext, T> condition, String what) {
    return new WebDriverWait(chrome, WAIT).withMessage(what).ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(driver -> condition.apply(widget()));
  }

  /** Until the condition holds; a refresh that a navigation of the page itself interrupted is tried again. */
  private static <T> T awaitPage(Function<SearchContext, T> condition, String what) {
    return new WebDriverWait(chrome, WAIT).withMessage(what).ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.TimeoutException.class)
        .until(driver -> {
          try {
            return condition.apply(driver);
          } catch (org.openqa.selenium.WebDriverException e) {
            // a live refresh swapped the element out while it was read: ChromeDriver says so in its own words
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
              return null;
            }
            throw e;
          }
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** As a person would: asks for a link on the sign-in page, opens the email (an .eml file: no SMTP here) and follows it. */
  private static void signInThroughTheEmailedLink(String email, String name, String role) {
    awaitPage(page -> page.findElement(By.id("login")).isDisplayed() ? true : null, "the sign-in form");
    // a person who signed in before has an older link, already used: only an email sent after this request counts
    java.util.Set<Path> earlier = emails();
    chrome.findElement(By.id("email")).sendKeys(email, Keys.ENTER);
    awaitPage(page -> page.findElement(By.id("link-sent")).isDisplayed() ? true : null, "the link is on its way");
    String link = awaitPage(page -> emailedLink(email, "sign-in", earlier), "the sign-in email in " + dataDir.resolve("mail"));
    chrome.get(link);
    chrome.findElement(By.id("continue")).click();
    awaitPage(page -> chrome.getCurrentUrl().endsWith("/app") && page.findElement(By.id("who")).isDisplayed() ? true : null,
        "signed in, on the agency's home");
    assertThat(chrome.findElement(By.id("who")).getText()).contains(name, role);
    assertThat(chrome.manage().getCookieNamed("layercake_session").isHttpOnly()).isTrue();
  }

  /** The emails written so far. */
  private static java.util.Set<Path> emails() {
    Path folder = dataDir.resolve("mail");
    if (!Files.isDirectory(folder)) {
      return java.util.Set.of();
    }
    try (var files = Files.list(folder)) {
      return files.filter(name -> name.toString().endsWith(".eml")).collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      throw new IllegalStateException("could not list the emails in " + folder, e);
    }
  }

  private static String emailedLink(String email, String subject) {
    return emailedLink(email, subject, java.util.Set.of());
  }

  /** The link in the newest email to {@code email} with {@code subject}, leaving out the emails {@code earlier}. */
  private static String emailedLink(String email, String subject, java.util.Set<Path> earlier) {
    Path folder = dataDir.resolve("mail");
    if (!Files.isDirectory(folder)) {
      return null;
    }
    try (var files = Files.list(folder)) {
      // the newest first: a person signed in twice has two such emails
      for (Path file : files.filter(name -> name.toString().endsWith(".eml") && !earlier.contains(name))
          .sorted(java.util.Comparator.comparing((Path found) -> found.toFile().lastModified()).reversed()).toList()) {
        try (var in = Files.newInputStream(file)) {
          MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
          Matcher link = LINK.matcher(message.getContent().toString());
          if (message.getAllRecipients()[0].toString().equals(email) && message.getSubject().contains(subject) && link.find()) {
            return link.group();
          }
        }
      }
      return null;
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException("could not read the emails in " + folder, e);
    }
  }
}
