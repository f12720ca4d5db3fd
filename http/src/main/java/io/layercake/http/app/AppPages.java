package io.layercake.http.app;

import io.layercake.http.setup.SetupView;
import io.layercake.runtime.setup.SetupEntity;
import io.layercake.runtime.setup.SetupDirectory;
import io.layercake.runtime.setup.Setups;

import io.layercake.http.api.Caller;
import io.layercake.http.api.ClientOverview;
import io.layercake.http.people.PersonAuthentication;
import io.layercake.http.people.SessionCookies;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import io.layercake.http.server.HtmlPages;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The agency's server-rendered pages under {@code /app}, from jte templates compiled at build time:
 * clients, new client, inbox (live over server-sent events), agents, channels, approvals and leads,
 * billing and team, and the sign-in page. Behind the session cookie; without one, or with one that
 * ended, the browser goes to {@code /app/sign-in}. {@code ?org=} chooses the organization, as the
 * API's header does. The pages read; every change goes through the REST API from the browser.
 */
public final class AppPages extends AllDirectives {
  private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  private static final String SIGN_IN = "/app/sign-in";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final java.util.Set<String> OWN_ASSETS =
      java.util.Set.of("app.css", "app.js", "new-client.js", "billing.js", "agent.js", "replay.js", "inbox.js", "channels.js", "sign-in.js", "setup.js",
          "notifications.js", "sw.js", "messages.js", "feed.js", "portal-admin.js");

  private final PersonAuthentication authentication;
  private final People people;
  private final OrgDirectory directory;
  private final ClientOverview overview;
  private final TeamPage team;
  private final WorkPage work;
  private final BillingPage billing;
  private final AgentsPage agents;
  private final InboxPage inbox;
  private final InboxChanges changes;
  private final ChannelsPage channels;
  private final Setups setups;
  private final SetupDirectory setupDirectory;
  private final Communications communications;
  private final io.layercake.http.portal.PortalViews portals;
  private final Clock clock;
  private final Executor executor;
  private final HtmlPages pages = new HtmlPages();

  public AppPages(PersonAuthentication authentication, People people, OrgDirectory directory, ClientOverview overview, TeamPage team, WorkPage work,
      BillingPage billing, AgentsPage agents, InboxPage inbox, InboxChanges changes, ChannelsPage channels, Setups setups,
      SetupDirectory setupDirectory, Communications communications, io.layercake.http.portal.PortalViews portals, Clock clock,
      Executor executor) {
    this.portals = portals;
    this.communications = communications;
    this.channels = channels;
    this.setups = setups;
    this.setupDirectory = setupDirectory;
    this.agents = agents;
    this.inbox = inbox;
    this.changes = changes;
    this.team = team;
    this.work = work;
    this.billing = billing;
    this.authentication = authentication;
    this.people = people;
    this.directory = directory;
    this.overview = overview;
    this.clock = clock;
    this.executor = executor;
  }

  public Route routes() {
    return pathPrefix("app", () -> concat(
        path("htmx.min.js", () -> get(() -> asset(HTMX))),
        path("uPlot.iife.min.js", () -> get(() -> asset(UPLOT + "uPlot.iife.min.js"))),
        path("uPlot.min.css", () -> get(() -> asset(UPLOT + "uPlot.min.css"))),
        path(name -> OWN_ASSETS.contains(name) ? get(() -> asset("web/app/" + name)) : reject()),
        path("sign-in", () -> get(() -> parameterOptional("signed-out", signedOut -> html(render("app/sign-in.jte",
            Map.of("notice", signedOut.map(any -> "You are signed out."))))))),
        get(() -> optionalCookie(SessionCookies.NAME, cookie -> cookie
            .map(found -> parameterOptional("org", org -> authentication.pageCaller(found.value(), org, SIGN_IN,
                caller -> pages(caller, org.isPresent()))))
            .orElseGet(() -> redirect(Uri.create(SIGN_IN), StatusCodes.SEE_OTHER))))));
  }

  private Route pages(Caller caller, boolean orgChosen) {
    Caller.Person person = caller.person().orElseThrow();
    return onSuccess(directory.find(caller.orgId()), organization -> onSuccess(memberOf(person), memberships -> {
      PageContext page = new PageContext(person.user().name(), person.role().wireName().replace('_', ' '), caller.orgId(),
          organization.map(OrgDirectory.OrgEntry::name).orElse(caller.orgId()), orgChosen,
          person.session().map(Caller.Session::csrfToken).orElse(""), caller.scopes(), memberships, clock.instant());
      boolean mayCreate = person.role().level() == Role.Level.AGENCY && caller.scopes().contains(Scopes.ORGANIZATIONS_WRITE);
      return concat(
          pathEndOrSingleSlash(() -> onSuccess(clients(caller, person),
              clients -> html(render("app/clients.jte", Map.of("page", page, "clients", clients, "mayCreate", mayCreate))))),
          pathPrefix("clients", () -> concat(
              pathEnd(() -> onSuccess(clients(caller, person),
                  clients -> html(render("app/clients.jte", Map.of("page", page, "clients", clients, "mayCreate", mayCreate))))),
              path("new", () -> mayCreate
                  ? html(render("app/new-client.jte", Map.of("page", page)))
                  : redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)),
              path(PathMatchers.segment("new").slash("agent"), () -> page.orgChosen() && page.may(Scopes.AGENTS_WRITE)
                  ? html(render("app/new-client-agent.jte", Map.of("page", page)))
                  : redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)),
              path(PathMatchers.segment().slash("portal"), clientId -> onSuccess(portals.ofClient(caller.orgId(), clientId), found -> found
                  .map(portal -> html(render("app/client-portal.jte", Map.of("page", page, "portal", portal,
                      "mayWrite", page.may(Scopes.ORGANIZATIONS_WRITE)))))
                  .orElseGet(() -> redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)))))),
          path("team", () -> onSuccess(team.view(caller, person, organization),
              view -> html(render("app/team.jte", Map.of("page", page, "team", view))))),
          path("work", () -> onSuccess(work.view(caller, page.orgName(), page.now()),
              view -> html(render("app/work.jte", Map.of("page", page, "work", view))))),
          pathPrefix("inbox", () -> page.may(Scopes.CONVERSATIONS_READ) ? concat(
              pathEnd(() -> inboxPage(caller, page, Optional.empty())),
              path(PathMatchers.segment().slash("timeline"), sessionId -> onSuccess(inbox.organizations(caller, page.orgName())
                  .thenCompose(organizations -> inbox.timeline(organizations, sessionId, page.now())), steps -> steps
                  .map(found -> html(render("app/timeline.jte", Map.of("steps", found))))
                  .orElseGet(() -> complete(StatusCodes.NOT_FOUND, "no conversation " + sessionId)))),
              path(sessionId -> inboxPage(caller, page, Optional.of(sessionId))))
              : redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)),
          pathPrefix("channels", () -> page.may(Scopes.AGENTS_READ) ? concat(
              pathEnd(() -> parameterOptional("checkout", checkout -> onSuccess(channels.view(caller),
                  view -> html(render("app/channels.jte", Map.of("page", page, "channels", view,
                      "notice", checkout.map(outcome -> outcome.equals("done")
                          ? "Thank you: the payment went through. The number is bought as soon as Stripe confirms it."
                          : "The payment was cancelled; nothing was charged."))))))),
              path("sms-number", () -> parameterOptional("country", country -> parameterOptional("numberKey", numberKey ->
                  onSuccess(channels.wizard(country, numberKey),
                      wizard -> html(render("app/sms-number.jte", Map.of("page", page, "wizard", wizard))))))))
              : redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)),
          pathPrefix("agents", () -> !page.may(Scopes.AGENTS_READ) ? redirect(Uri.create("/app"), StatusCodes.SEE_OTHER) : concat(
              pathEnd(() -> onSuccess(agents.list(caller, page.now()), rows -> onSuccess(setupDirectory.of(List.of(caller.orgId())),
                  interviews -> html(render("app/agents.jte", Map.of("page", page, "agents", rows, "interviews", interviews)))))),
              pathPrefix(agentId -> concat(
                  pathEnd(() -> onSuccess(agents.agent(caller, agentId, page.now()), found -> found
                      .map(agent -> html(render("app/agent.jte", Map.of("page", page, "agent", agent))))
                      .orElseGet(() -> redirect(Uri.create(page.link("/app/agents")), StatusCodes.SEE_OTHER)))),
                  path(PathMatchers.segment("replays").slash(PathMatchers.segment()), replayId ->
                      onSuccess(agents.replay(caller, agentId, replayId, page.now()), found -> found
                          .map(replay -> html(render("app/replay.jte", Map.of("page", page, "replay", replay))))
                          .orElseGet(() -> redirect(Uri.create(page.link("/app/agents/" + agentId)), StatusCodes.SEE_OTHER)))))))),
          pathPrefix("setup", () -> path(setupId -> !page.may(Scopes.AGENTS_READ)
              ? redirect(Uri.create("/app"), StatusCodes.SEE_OTHER)
              : onSuccess(setups.get(setupId), found -> found instanceof SetupEntity.Setup setup
                  && setup.state().orgId().equals(caller.orgId())
                  ? html(render("app/setup.jte", Map.of("page", page, "setup", SetupView.of(setupId, setup.state()))))
                  : redirect(Uri.create(page.link("/app/agents")), StatusCodes.SEE_OTHER)))),
          path("live", () -> parameterOptional("session", session -> parameterOptional("inboxMark", inboxMark ->
              parameterOptional("conversationMark", conversationMark -> parameterOptional("feed", withFeed -> onSuccess(
                  live(caller, person, page, session, inboxMark, conversationMark)
                      .thenApply(stream -> withFeed.isPresent() ? stream.merge(communications.live().feed(caller.orgId())) : stream),
                  stream -> completeOK(stream, EventStreamMarshalling.toEventStream()))))))),
          path("feed", () -> onSuccess(communications.feed().view(caller.orgId(), person.user().userId(), page, organization, page.now()),
              view -> html(render("app/feed.jte", Map.of("page", page, "feed", view))))),
          pathPrefix("messages", () -> concat(
              pathEnd(() -> onSuccess(communications.messages().view(person.user().userId(), Optional.empty(), page.now()),
                  view -> html(render("app/messages.jte", Map.of("page", page, "messages", view))))),
              path(threadId -> onSuccess(communications.messages().view(person.user().userId(), Optional.of(threadId), page.now()),
                  view -> view.open().isEmpty() ? redirect(Uri.create(page.link("/app/messages")), StatusCodes.SEE_OTHER)
                      : html(render("app/messages.jte", Map.of("page", page, "messages", view))))))),
          path("notifications", () -> onSuccess(communications.notifications().view(person.user().userId(), memberships, page.now()),
              view -> html(render("app/notifications.jte", Map.of("page", page, "notifications", view))))),
          path("billing", () -> page.may(Scopes.CREDITS_READ) ? billingPage(caller, page) : redirect(Uri.create("/app"),
              StatusCodes.SEE_OTHER)));
    }));
  }

  /**
   * The tab's one live stream: the person's unread counts, and on the inbox the changes of its list
   * ({@code inboxMark}) and of the open conversation ({@code session}, {@code conversationMark}).
   */
  private CompletionStage<Source<ServerSentEvent, NotUsed>> live(Caller caller, Caller.Person person, PageContext page,
      Optional<String> session, Optional<String> inboxMark, Optional<String> conversationMark) {
    Source<ServerSentEvent, NotUsed> counts = communications.live().stream(person.user().userId());
    if (inboxMark.isEmpty() || !page.may(Scopes.CONVERSATIONS_READ)) {
      return CompletableFuture.completedFuture(counts);
    }
    return inbox.organizations(caller, page.orgName()).thenCompose(organizations -> inbox.visible(organizations, session)
        .thenApply(visible -> counts.merge(changes.stream(List.copyOf(organizations.keySet()), visible, inboxMark, conversationMark))));
  }

  /** The organizations the person is a member of, by name, for the switcher. */
  private CompletionStage<List<PageContext.Organization>> memberOf(Caller.Person person) {
    return people.memberships(person.user().userId()).thenComposeAsync(memberships -> {
      List<CompletableFuture<PageContext.Organization>> named = memberships.stream()
          .map(membership -> directory.find(membership.orgId()).thenApply(entry -> new PageContext.Organization(membership.orgId(),
              entry.map(OrgDirectory.OrgEntry::name).orElse(membership.orgId()))).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(named.toArray(CompletableFuture[]::new))
          .thenApply(done -> named.stream().map(CompletableFuture::join).toList());
    }, executor);
  }

  private Route inboxPage(Caller caller, PageContext page, Optional<String> sessionId) {
    return parameterMap(parameters -> {
      Optional<Long> olderThan = Optional.ofNullable(parameters.get("before")).filter(value -> value.matches("\\d{1,18}"))
          .map(Long::parseLong);
      return onSuccess(inbox.organizations(caller, page.orgName()).thenCompose(organizations -> inbox.view(caller, organizations,
              InboxPage.filters(parameters), Optional.ofNullable(parameters.get("cursor")), sessionId, olderThan, page.now())),
          view -> view.open().isEmpty() && sessionId.isPresent()
              ? redirect(Uri.create(page.link("/app/inbox")), StatusCodes.SEE_OTHER)
              : html(render("app/inbox.jte", Map.of("page", page, "inbox", view))));
    });
  }

  private Route billingPage(Caller caller, PageContext page) {
    return parameterOptional("before", before -> parameterOptional("checkout", checkout -> {
      Optional<Long> olderThan = before.filter(value -> value.matches("\\d{1,18}")).map(Long::parseLong);
      Optional<String> notice = checkout.map(outcome -> outcome.equals("done")
          ? "Thank you: the payment went through. The credits show here as soon as Stripe confirms it."
          : "The payment was cancelled; nothing was charged.");
      return onSuccess(billing.view(caller, olderThan),
          view -> html(render("app/billing.jte", Map.of("page", page, "billing", view, "notice", notice))));
    }));
  }

  /** An agency person sees its clients, most in need of attention first; a client person their own business. */
  private CompletionStage<List<ClientOverview.ClientView>> clients(Caller caller, Caller.Person person) {
    if (person.role().level() == Role.Level.CLIENT) {
      return overview.client(caller.orgId()).thenApply(List::of);
    }
    return directory.children(caller.orgId())
        .thenComposeAsync(overview::clients, executor)
        .thenApply(views -> {
          List<ClientOverview.ClientView> sorted = new ArrayList<>(views);
          sorted.sort(ClientOverview.BY_ATTENTION);
          return sorted;
        });
  }

  private String render(String template, Map<String, Object> parameters) {
    return pages.render(template, parameters);
  }

  private Route html(String page) {
    return pages.html(page);
  }

  private Route asset(String resource) {
    return pages.asset(resource);
  }
}
