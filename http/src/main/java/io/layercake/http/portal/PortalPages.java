package io.layercake.http.portal;

import io.layercake.config.PortalSettings;
import io.layercake.http.api.Caller;
import io.layercake.http.app.InboxChanges;
import io.layercake.http.app.InboxPage;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.people.PersonAuthentication;
import io.layercake.http.people.PersonAuthentication.Visitor;
import io.layercake.http.people.SessionCookies;
import io.layercake.http.server.ClientAddress;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.bookings.Appointments;
import io.layercake.runtime.bookings.Availability;
import io.layercake.runtime.bookings.CalendarEntity;
import io.layercake.runtime.bookings.Calendars;
import io.layercake.runtime.invoices.Invoices;
import io.layercake.runtime.contacts.Contacts;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.people.EmailAddresses;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.SignIn;
import io.layercake.runtime.portal.Portal;
import io.layercake.runtime.portal.PortalActivity;
import io.layercake.runtime.portal.PortalImage;
import io.layercake.runtime.portal.Portals;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import io.layercake.http.server.HtmlPages;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients' portals: {@code /portal/{slug}/} on the platform's host, and the root of a client's
 * verified custom domain. Each is the client's own place, in its branding: sign-in by emailed link,
 * the dashboard and the conversations. Pages read; changes go through the REST API from the
 * browser, as on the agency's pages. Another client's conversation is as good as none (404).
 */
public final class PortalPages extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(PortalPages.class);
  private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  private static final Set<String> OWN_ASSETS = Set.of("portal.css", "portal.js");
  /** What a custom domain passes on to the platform's routes: sign-in, the API the pages call, the token keys. */
  private static final List<String> PASSED_THROUGH = List.of("/auth/", "/api/", "/.well-known/");

  private final Portals portals;
  private final PortalHosts hosts;
  private final PersonAuthentication authentication;
  private final People people;
  private final OrgDirectory directory;
  private final InboxPage inbox;
  private final PortalActivity activity;
  private final CreditReports reports;
  private final SignIn signIn;
  private final Calendars calendars;
  private final Appointments appointments;
  private final Invoices invoices;
  private final Contacts contacts;
  private final KnowledgeDocuments documents;
  private final PortalPeople team;
  private final InboxChanges changes;
  private final PortalSettings settings;
  private final Supplier<String> baseUrl;
  private final Clock clock;
  private final Executor executor;
  private final HtmlPages pages = new HtmlPages();

  public PortalPages(Portals portals, PortalHosts hosts, PersonAuthentication authentication, People people, OrgDirectory directory,
      InboxPage inbox, PortalActivity activity, CreditReports reports, SignIn signIn, Calendars calendars, Appointments appointments,
      Invoices invoices, Contacts contacts, KnowledgeDocuments documents, PortalPeople team, InboxChanges changes, PortalSettings settings,
      Supplier<String> baseUrl, Clock clock, Executor executor) {
    this.team = team;
    this.changes = changes;
    this.documents = documents;
    this.invoices = invoices;
    this.contacts = contacts;
    this.calendars = calendars;
    this.appointments = appointments;
    this.portals = portals;
    this.hosts = hosts;
    this.authentication = authentication;
    this.people = people;
    this.directory = directory;
    this.inbox = inbox;
    this.activity = activity;
    this.reports = reports;
    this.signIn = signIn;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.executor = executor;
  }

  /** A request to a verified custom domain is its client's portal; any other host passes on. */
  public Route customDomains() {
    return extractHost(host -> hosts.clientOf(host.toLowerCase(java.util.Locale.ROOT))
        .<Route>map(orgId -> extractUri(uri -> PASSED_THROUGH.stream().anyMatch(uri.path()::startsWith)
            ? reject()
            : onSuccess(portals.of(orgId), found -> found.filter(Portal::enabled)
                .map(portal -> portal(portal, "", request -> (SessionCookies.secure(request) ? "https://" : "http://") + host))
                .orElseGet(this::notFound))))
        .orElseGet(this::reject));
  }

  /**
   * {@code GET /portal-domains/check?domain=}: 200 when the host is a verified portal domain, else
   * 404. A reverse proxy that gets certificates on demand asks this first (deploy/portal-domains).
   */
  public Route domainCheck() {
    return pathPrefix("portal-domains", () -> path("check", () -> get(() -> parameterOptional("domain", domain -> domain
        .map(host -> host.strip().toLowerCase(java.util.Locale.ROOT))
        .filter(host -> hosts.clientOf(host).isPresent())
        .<Route>map(host -> complete(StatusCodes.OK, new DomainChecked(host, "verified"), Json.marshaller()))
        .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", "not a verified portal domain")))))));
  }

  public record DomainChecked(String domain, String status) {}

  /** {@code /portal/{slug}/…} on the platform's own host. */
  public Route routes() {
    return pathPrefix("portal", () -> pathPrefix(slug -> concat(
        pathEnd(() -> redirect(Uri.create("/portal/" + slug + "/"), StatusCodes.MOVED_PERMANENTLY)),
        onSuccess(portals.bySlug(slug), found -> found.filter(Portal::enabled)
            .map(portal -> portal(portal, "/portal/" + slug, request -> baseUrl.get() + "/portal/" + slug))
            .orElseGet(this::notFound)))));
  }

  /**
   * One portal's pages under {@code base}; {@code linkBase} is where its emailed links lead (an
   * absolute URL: the custom domain the request came to, or the platform's public address).
   */
  private Route portal(Portal portal, String base, java.util.function.Function<HttpRequest, String> linkBase) {
    return concat(
        pathPrefix("assets", () -> concat(
            path("htmx.min.js", () -> get(() -> asset(HTMX))),
            path("app.js", () -> get(() -> asset("web/app/app.js"))),
            path("app.css", () -> get(() -> asset("web/app/app.css"))),
            path(name -> OWN_ASSETS.contains(name) ? get(() -> asset("web/portal/" + name)) : reject()))),
        path(kind -> PortalImage.Kind.parse(kind).map(found -> get(() -> image(portal.orgId(), found))).orElseGet(this::reject)),
        pathPrefix("sign-in", () -> concat(
            pathEnd(() -> concat(
                get(() -> optionalCookie(SessionCookies.NAME, cookie -> authentication.visitor(cookie.map(found -> found.value()),
                    portal.orgId(), visitor -> visitor instanceof Visitor.Acting
                        ? redirect(Uri.create(base + "/"), StatusCodes.SEE_OTHER)
                        : withPoweredBy(portal, poweredBy -> html(render("portal/sign-in.jte", Map.of("page",
                            PortalPage.of(portal, base, poweredBy, "", "", List.of(), "sign-in", clock.instant()),
                            "notice", visitor instanceof Visitor.Outsider
                                ? Optional.of("The address you are signed in with has no access here. Sign in with another one.")
                                : Optional.<String>empty()))))))),
                post(() -> extractRequest(request -> entity(Jackson.unmarshaller(Json.MAPPER, LinkBody.class),
                    body -> requestLink(portal, body, linkBase.apply(request))))))),
            path("link", () -> get(() -> parameterOptional("token", token -> withPoweredBy(portal, poweredBy ->
                html(render("portal/link.jte", Map.of("page", PortalPage.of(portal, base, poweredBy, "", "", List.of(), "sign-in",
                        clock.instant()),
                    "token", token.orElse("").replaceAll("[^A-Za-z0-9_-]", ""), "next", base + "/"))))))))),
        get(() -> optionalCookie(SessionCookies.NAME, cookie -> authentication.visitor(cookie.map(found -> found.value()),
            portal.orgId(), visitor -> visitor instanceof Visitor.Acting acting
                ? signedIn(portal, base, acting.caller())
                : redirect(Uri.create(base + "/sign-in"), StatusCodes.SEE_OTHER)))),
        notFound());
  }

  private Route signedIn(Portal portal, String base, Caller caller) {
    Caller.Person person = caller.person().orElseThrow();
    CompletionStage<PortalPage> page = withPoweredBy(portal).thenCombine(switcher(portal, person, base),
        (poweredBy, switcher) -> PortalPage.of(portal, base, poweredBy, person.user().name(),
            person.session().map(Caller.Session::csrfToken).orElse(""), switcher, "", clock.instant()));
    CompletionStage<Void> audited = audit(portal, person);
    return onSuccess(page.thenCombine(audited, (found, done) -> found), shown -> concat(
        pathEndOrSingleSlash(() -> onSuccess(dashboard(portal.orgId()), dashboard ->
            html(render("portal/dashboard.jte", Map.of("page", in(shown, "dashboard"), "dashboard", dashboard))))),
        pathPrefix("conversations", () -> parameterMap(parameters -> concat(
            pathEnd(() -> conversations(caller, portal, in(shown, "conversations"), parameters, Optional.empty())),
            path(sessionId -> conversations(caller, portal, in(shown, "conversations"), parameters, Optional.of(sessionId)))))),
        path("bookings", () -> caller.scopes().contains(Scopes.BOOKINGS_READ)
            ? parameterOptional("week", week -> parameterOptional("day", day -> bookings(caller, portal, in(shown, "bookings"), week, day)))
            : notFound()),
        path("contacts", () -> parameterOptional("q", query -> parameterOptional("key", key -> onSuccess(
            contacts.of(portal.orgId(), query.orElse(""), 200).thenCombine(key.map(found -> contacts.find(portal.orgId(), found))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())), (list, open) -> Map.<String, Object>of(
                    "page", in(shown, "contacts"), "contacts", list, "open", open, "query", query.orElse(""),
                    "mayWrite", caller.scopes().contains(Scopes.CONVERSATIONS_WRITE))),
            model -> ((Optional<?>) model.get("open")).isEmpty() && key.isPresent() ? notFound() : html(render("portal/contacts.jte", model)))))),
        path("knowledge", () -> caller.scopes().contains(Scopes.KNOWLEDGE_READ)
            ? parameterOptional("document", documentId -> onSuccess(documents.list(portal.orgId()).thenCombine(documentId
                    .map(id -> documents.get(portal.orgId(), id))
                    .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())), (all, open) -> Map.<String, Object>of(
                        "page", in(shown, "knowledge"), "documents", all, "open", open,
                        "mayWrite", caller.scopes().contains(Scopes.KNOWLEDGE_WRITE))),
                model -> ((Optional<?>) model.get("open")).isEmpty() && documentId.isPresent() ? notFound()
                    : html(render("portal/knowledge.jte", model))))
            : notFound()),
        path("invoices", () -> caller.scopes().contains(Scopes.INVOICES_READ)
            ? onSuccess(invoices.of(portal.orgId(), 100), found -> html(render("portal/invoices.jte", Map.of("page", in(shown, "invoices"),
                "invoices", found, "mayWrite", caller.scopes().contains(Scopes.INVOICES_WRITE)))))
            : notFound()),
        path("team", () -> caller.scopes().contains(Scopes.MEMBERS_READ)
            ? onSuccess(team.team(caller, portal.orgId()), found -> html(render("portal/team.jte", Map.of("page", in(shown, "team"),
                "team", found))))
            : notFound()),
        path("settings", () -> onSuccess(calendars.get(portal.orgId()).thenCombine(team.alerts(caller, portal.orgId()),
            (reply, alerts) -> Map.<String, Object>of("page", in(shown, "settings"), "alerts", alerts,
                "hours", PortalHours.of(reply instanceof CalendarEntity.CalendarView view ? view.availability() : null,
                    caller.scopes().contains(Scopes.BOOKINGS_WRITE)))),
            model -> html(render("portal/settings.jte", model)))),
        path("live", () -> caller.scopes().contains(Scopes.CONVERSATIONS_READ)
            ? parameterOptional("session", session -> parameterOptional("inboxMark", inboxMark ->
                parameterOptional("conversationMark", conversationMark -> onSuccess(
                    inbox.visible(Map.of(portal.orgId(), portal.branding().name()), session),
                    visible -> completeOK(changes.stream(List.of(portal.orgId()), visible, inboxMark, conversationMark),
                        EventStreamMarshalling.toEventStream())))))
            : notFound())));
  }

  private Route bookings(Caller caller, Portal portal, PortalPage page, Optional<String> week, Optional<String> day) {
    Optional<LocalDate> anchor = week.flatMap(PortalPages::date);
    Optional<LocalDate> chosenDay = day.flatMap(PortalPages::date);
    return onSuccess(calendars.get(portal.orgId()).thenComposeAsync(reply -> {
      Availability availability = reply instanceof CalendarEntity.CalendarView view ? view.availability() : null;
      ZoneId zone = availability == null ? ZoneOffset.UTC : availability.zone();
      LocalDate shownWeek = chosenDay.or(() -> anchor).orElse(page.now().atZone(zone).toLocalDate());
      Instant[] period = PortalBookings.period(availability, shownWeek, chosenDay);
      return appointments.between(portal.orgId(), period[0], period[1], 500)
          .thenApply(listed -> PortalBookings.of(availability, shownWeek, chosenDay, listed));
    }, executor), view -> html(render("portal/bookings.jte", Map.of("page", page, "bookings", view,
        "mayWrite", caller.scopes().contains(Scopes.BOOKINGS_WRITE)))));
  }

  private static Optional<LocalDate> date(String text) {
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static PortalPage in(PortalPage page, String section) {
    return new PortalPage(page.base(), page.orgId(), page.branding(), page.logoTag(), page.faviconTag(), page.poweredBy(),
        page.personName(), page.csrfToken(), page.switcher(), section, page.now());
  }

  private Route conversations(Caller caller, Portal portal, PortalPage page, Map<String, String> parameters, Optional<String> sessionId) {
    Optional<Long> olderThan = Optional.ofNullable(parameters.get("before")).filter(value -> value.matches("\\d{1,18}")).map(Long::parseLong);
    return onSuccess(inbox.view(caller, Map.of(portal.orgId(), portal.branding().name()), InboxPage.filters(parameters),
            Optional.ofNullable(parameters.get("cursor")), sessionId, olderThan, page.now()),
        view -> view.open().isEmpty() && sessionId.isPresent()
            ? notFound()
            : html(render("portal/conversations.jte", Map.of("page", page, "inbox", view,
                "mayWrite", caller.scopes().contains(Scopes.CONVERSATIONS_WRITE)))));
  }

  private CompletionStage<PortalDashboard> dashboard(String orgId) {
    Instant now = clock.instant();
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    Instant weekStart = monday.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant monthStart = YearMonth.from(today).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = now.plusSeconds(1);
    CompletableFuture<PortalActivity.Summary> week = activity.between(orgId, weekStart, end).toCompletableFuture();
    CompletableFuture<Long> creditsWeek = credits(orgId, weekStart, end).toCompletableFuture();
    CompletableFuture<Long> creditsMonth = credits(orgId, monthStart, end).toCompletableFuture();
    return CompletableFuture.allOf(week, creditsWeek, creditsMonth).thenApplyAsync(done -> {
      PortalActivity.Summary summary = week.join();
      return new PortalDashboard(monday.toString(), summary.conversations(), summary.answeredByAgent(), summary.answeredByPeople(),
          summary.leads(), summary.bookings(), summary.waitingForAPerson(), creditsWeek.join(), creditsMonth.join());
    }, executor);
  }

  private CompletionStage<Long> credits(String orgId, Instant from, Instant to) {
    return reports.usageByAgent(orgId, from, to).thenApply(usage -> usage.stream().mapToLong(CreditReports.AgentUsage::credits).sum());
  }

  /** An agency person opening a client's portal is noted once per session; a failed note never keeps the page from them. */
  private CompletionStage<Void> audit(Portal portal, Caller.Person person) {
    if (person.role().level() == Role.Level.CLIENT || person.session().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return portals.opened(portal.orgId(), person.user().userId(), person.session().get().sessionId(), clock.instant())
        .exceptionally(failure -> {
          log.warn("Could not note that user {} opened the portal of org {}", person.user().userId(), portal.orgId(), failure);
          return null;
        });
  }

  /** For agency staff, the portals of the clients of the agencies they belong to; nobody else switches. */
  private CompletionStage<List<PortalPage.Switch>> switcher(Portal current, Caller.Person person, String base) {
    if (person.role().level() != Role.Level.AGENCY) {
      return CompletableFuture.completedFuture(List.of());
    }
    String prefix = base.isEmpty() ? baseUrl.get() : "";
    return people.memberships(person.user().userId()).thenComposeAsync(memberships -> {
      List<CompletableFuture<List<OrgDirectory.OrgEntry>>> clients = memberships.stream()
          .filter(membership -> membership.role().level() == Role.Level.AGENCY)
          .map(membership -> directory.children(membership.orgId()).toCompletableFuture()).toList();
      return CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).thenComposeAsync(done -> {
        List<CompletableFuture<Optional<Portal>>> found = clients.stream().flatMap(list -> list.join().stream())
            .map(client -> portals.of(client.orgId()).toCompletableFuture()).toList();
        return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new)).thenApplyAsync(all -> {
          List<PortalPage.Switch> switches = new ArrayList<>();
          for (CompletableFuture<Optional<Portal>> portal : found) {
            portal.join().filter(Portal::enabled).ifPresent(open -> switches.add(new PortalPage.Switch(open.branding().name(),
                prefix + open.path(), open.orgId().equals(current.orgId()))));
          }
          return switches;
        }, executor);
      }, executor);
    }, executor);
  }

  public record LinkBody(String email) {}

  public record LinkRequested(String status, String message) {}

  private Route requestLink(Portal portal, LinkBody body, String linkBase) {
    Optional<String> email = EmailAddresses.normalize(body.email());
    if (email.isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "email must be an email address"));
    }
    return extractRequest(request -> onSuccess(signIn.requestLink(email.get(), ClientAddress.of(request),
        Optional.of(new SignIn.Place(portal.branding().name(), linkBase))), outcome -> {
          if (outcome instanceof SignIn.LinkRequest.Limited limited) {
            long seconds = Math.max(1, limited.retryAfter().toSeconds());
            return complete(ErrorHandling.response(StatusCodes.TOO_MANY_REQUESTS, "rate_limited",
                "too many sign-in links asked for: try again in " + seconds + " seconds").addHeader(RetryAfter.create(seconds)));
          }
          return complete(StatusCodes.ACCEPTED, new LinkRequested("sent",
              "If " + email.get() + " may use this portal, a sign-in link is on its way."), Json.marshaller());
        }));
  }

  /**
   * Whether the "powered by" line shows: when the agency wants it, and always when the agency's tier
   * does not include white label (the tier may have changed since the branding was saved).
   */
  private Route withPoweredBy(Portal portal, java.util.function.Function<Boolean, Route> inner) {
    return onSuccess(withPoweredBy(portal), inner::apply);
  }

  private CompletionStage<Boolean> withPoweredBy(Portal portal) {
    if (portal.branding().poweredBy()) {
      return CompletableFuture.completedFuture(true);
    }
    return agencyTier(directory, portal.orgId()).thenApply(tier -> !tier.map(settings.whiteLabelTiers()::contains).orElse(false));
  }

  /** The tier of the client's agency, which decides what its portals may leave out. */
  static CompletionStage<Optional<String>> agencyTier(OrgDirectory directory, String clientOrgId) {
    return directory.find(clientOrgId).thenCompose(client -> client.map(OrgDirectory.OrgEntry::parentOrgId).filter(parent -> parent != null)
        .map(parent -> directory.find(parent).thenApply(agency -> agency.map(OrgDirectory.OrgEntry::tier)))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())));
  }

  private Route image(String orgId, PortalImage.Kind kind) {
    return onSuccess(portals.image(orgId, kind), found -> found
        .map(image -> conditional(EntityTag.create(image.etag(), false), () -> respondWithHeaders(
            List.of(CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(86_400))),
            () -> complete(HttpResponse.create().withEntity(HttpEntities.create(
                ContentTypes.create((org.apache.pekko.http.javadsl.model.MediaType.Binary) MediaTypes.custom(image.contentType(), true, false)), image.bytes()))))))
        .orElseGet(this::notFound));
  }

  private Route notFound() {
    return respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_STORE)), () -> complete(HttpResponse.create()
        .withStatus(StatusCodes.NOT_FOUND)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, render("portal/not-found.jte", new HashMap<>())))));
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
