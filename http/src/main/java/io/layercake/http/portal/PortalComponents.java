package io.layercake.http.portal;

import io.layercake.config.PortalSettings;
import io.layercake.http.api.ApiAccess;
import io.layercake.http.app.InboxChanges;
import io.layercake.http.app.InboxPage;
import io.layercake.http.people.PeopleComponents;
import io.layercake.persistence.contacts.JdbcContacts;
import io.layercake.persistence.invoices.JdbcInvoices;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.portal.JdbcPortalActivity;
import io.layercake.persistence.portal.JdbcPortals;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.bookings.Appointments;
import io.layercake.runtime.bookings.Calendars;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.notifications.HandoffContacts;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.people.SignIn;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/** The clients' portals, assembled: their pages (on the platform's host and custom domains) and the agency's API for them. */
public final class PortalComponents {
  private final PortalPages pages;
  private final JdbcPortals portals;
  private final PortalDomains domains;
  private final PortalViews views;
  private final OrgDirectory directory;
  private final PeopleComponents people;
  private final PortalSettings settings;
  private final Supplier<String> baseUrl;
  private final ActorSystem<?> system;

  private PortalComponents(PortalPages pages, JdbcPortals portals, PortalDomains domains, OrgDirectory directory, PeopleComponents people,
      PortalSettings settings, Supplier<String> baseUrl, ActorSystem<?> system) {
    this.views = new PortalViews(portals, domains, directory, people.people(), settings, baseUrl, system.executionContext());
    this.pages = pages;
    this.portals = portals;
    this.domains = domains;
    this.directory = directory;
    this.people = people;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.system = system;
  }

  /**
   * @param baseUrl where browsers reach this node, known once it listens
   * @param dnsExecutor where the blocking DNS lookups of domain verification run
   */
  public static PortalComponents start(ActorSystem<?> system, PortalSettings settings, ApplicationDatabase database, PeopleComponents people,
      OrgDirectory directory, InboxPage inbox, CreditReports reports, Calendars calendars, Appointments appointments,
      KnowledgeDocuments documents, HandoffContacts handoffContacts, Notifications notifications, InboxChanges changes,
      Supplier<String> baseUrl, Executor dnsExecutor) {
    Clock clock = Clock.systemUTC();
    JdbcPortals portals = new JdbcPortals(database);
    PortalHosts hosts = PortalHosts.start(system, portals, settings.hostsRefresh());
    PortalDomains domains = new PortalDomains(portals, new DnsTxtRecords(settings.dnsServer(), dnsExecutor), hosts, clock,
        system.executionContext());
    PortalPages pages = new PortalPages(portals, hosts, people.authentication(), people.people(), directory, inbox,
        new JdbcPortalActivity(database), reports, people.signIn(), calendars, appointments, new JdbcInvoices(database), new JdbcContacts(database), documents,
        new PortalPeople(people.people(), people.invitations(), handoffContacts, notifications, clock, system.executionContext()),
        changes, settings, baseUrl, clock, system.executionContext());
    return new PortalComponents(pages, portals, domains, directory, people, settings, baseUrl, system);
  }

  /** The name a client goes by in its portal (its branding's), else its id. */
  public java.util.concurrent.CompletionStage<String> displayName(String orgId) {
    return portals.of(orgId).thenApply(portal -> portal.map(found -> found.branding().name()).orElse(orgId));
  }

  /** Where a client's people are invited to: its portal. */
  public SignIn.Places places() {
    return new PortalAddresses(portals, baseUrl, system.executionContext());
  }

  public PortalViews views() {
    return views;
  }

  public PortalPages pages() {
    return pages;
  }

  public PortalApiRoutes api(ApiAccess access) {
    return new PortalApiRoutes(access, portals, domains, views, directory, settings, baseUrl, Clock.systemUTC());
  }
}
