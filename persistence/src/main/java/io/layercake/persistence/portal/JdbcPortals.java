package io.layercake.persistence.portal;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.people.Tokens;
import io.layercake.runtime.portal.Branding;
import io.layercake.runtime.portal.Portal;
import io.layercake.runtime.portal.PortalDomain;
import io.layercake.runtime.portal.PortalImage;
import io.layercake.runtime.portal.Portals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Portals in {@code portals}, {@code portal_images}, {@code portal_domains} and {@code portal_openings}.
 * A client with no row has {@link Portal#defaultFor its default portal}; a slug is unique across
 * saved portals and the ids of clients still on their default one.
 */
public final class JdbcPortals implements Portals {
  private static final String PORTAL = "SELECT p.org_id, p.slug, p.enabled, p.display_name, p.primary_color, p.accent_color,"
      + " p.support_email, p.support_phone, p.powered_by, o.name,"
      + " (SELECT etag FROM portal_images i WHERE i.org_id = p.org_id AND i.kind = 'logo'),"
      + " (SELECT etag FROM portal_images i WHERE i.org_id = p.org_id AND i.kind = 'favicon')"
      + " FROM portals p JOIN organizations o ON o.org_id = p.org_id";
  private static final String DEFAULT = "SELECT o.org_id, o.name FROM organizations o"
      + " WHERE o.org_id = ? AND o.parent_org_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM portals p WHERE p.org_id = o.org_id)";
  private static final String DOMAIN = "SELECT host, org_id, token, added_at, verified_at, checked_at, problem FROM portal_domains";

  private final ApplicationDatabase database;

  public JdbcPortals(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Optional<Portal>> bySlug(String slug) {
    return database.read(connection -> {
      Optional<Portal> saved = first(connection, PORTAL + " WHERE p.slug = ?", JdbcPortals::portal, slug);
      return saved.isPresent() ? saved : first(connection, DEFAULT, rows -> Portal.defaultFor(rows.getString(1), rows.getString(2)), slug)
          .filter(portal -> portal.slug().equals(slug));
    });
  }

  @Override
  public CompletionStage<Optional<Portal>> of(String orgId) {
    return database.read(connection -> of(connection, orgId));
  }

  private static Optional<Portal> of(Connection connection, String orgId) throws SQLException {
    Optional<Portal> saved = first(connection, PORTAL + " WHERE p.org_id = ?", JdbcPortals::portal, orgId);
    return saved.isPresent() ? saved : first(connection, DEFAULT, rows -> Portal.defaultFor(rows.getString(1), rows.getString(2)), orgId);
  }

  @Override
  public CompletionStage<Saved> save(Portal portal, String by) {
    return database.write(connection -> {
      boolean taken = first(connection, "SELECT 1 FROM portals WHERE slug = ? AND org_id <> ?", rows -> 1, portal.slug(), portal.orgId())
          .isPresent()
          || first(connection, DEFAULT, rows -> 1, portal.slug()).filter(any -> !portal.slug().equals(portal.orgId())).isPresent();
      if (taken) {
        return new Saved.SlugTaken(portal.slug());
      }
      Branding branding = portal.branding();
      Object[] values = {portal.slug(), portal.enabled(), branding.name(), branding.primaryColor(), branding.accentColor(),
          blankToNull(branding.supportEmail()), blankToNull(branding.supportPhone()), branding.poweredBy(), Instant.now(), by, portal.orgId()};
      int changed = update(connection, "UPDATE portals SET slug = ?, enabled = ?, display_name = ?, primary_color = ?, accent_color = ?,"
          + " support_email = ?, support_phone = ?, powered_by = ?, updated_at = ?, updated_by = ? WHERE org_id = ?", values);
      if (changed == 0) {
        update(connection, "INSERT INTO portals (slug, enabled, display_name, primary_color, accent_color, support_email, support_phone,"
            + " powered_by, updated_at, updated_by, org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
      }
      return new Saved.Done(of(connection, portal.orgId()).orElseThrow());
    });
  }

  @Override
  public CompletionStage<Optional<PortalImage>> image(String orgId, PortalImage.Kind kind) {
    return database.read(connection -> first(connection,
        "SELECT content_type, bytes, etag FROM portal_images WHERE org_id = ? AND kind = ?",
        rows -> new PortalImage(kind, rows.getString(1), rows.getBytes(2), rows.getString(3)), orgId, kind.wireName()));
  }

  @Override
  public CompletionStage<Void> saveImage(String orgId, PortalImage image) {
    return database.write(connection -> {
      Object[] values = {image.contentType(), image.bytes(), image.etag(), Instant.now(), orgId, image.kind().wireName()};
      if (update(connection, "UPDATE portal_images SET content_type = ?, bytes = ?, etag = ?, updated_at = ? WHERE org_id = ? AND kind = ?",
          values) == 0) {
        update(connection, "INSERT INTO portal_images (content_type, bytes, etag, updated_at, org_id, kind) VALUES (?, ?, ?, ?, ?, ?)", values);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<List<PortalDomain>> domains(String orgId) {
    return database.read(connection -> query(connection, DOMAIN + " WHERE org_id = ? ORDER BY added_at, host", JdbcPortals::domain, orgId));
  }

  @Override
  public CompletionStage<Optional<PortalDomain>> domain(String host) {
    return database.read(connection -> first(connection, DOMAIN + " WHERE host = ?", JdbcPortals::domain, host));
  }

  @Override
  public CompletionStage<PortalDomain> addDomain(String orgId, String host, Instant at) {
    return database.write(connection -> {
      Optional<PortalDomain> known = first(connection, DOMAIN + " WHERE host = ?", JdbcPortals::domain, host);
      if (known.isPresent()) {
        return known.get();
      }
      update(connection, "INSERT INTO portal_domains (host, org_id, token, added_at) VALUES (?, ?, ?, ?)", host, orgId, Tokens.random(18), at);
      return first(connection, DOMAIN + " WHERE host = ?", JdbcPortals::domain, host).orElseThrow();
    });
  }

  @Override
  public CompletionStage<PortalDomain> checked(String host, Instant at, boolean found, String problem) {
    return database.write(connection -> {
      update(connection, "UPDATE portal_domains SET checked_at = ?, problem = ?,"
              + " verified_at = CASE WHEN verified_at IS NULL AND ? THEN ? ELSE verified_at END WHERE host = ?",
          at, found ? null : truncate(problem, 500), found, at, host);
      return first(connection, DOMAIN + " WHERE host = ?", JdbcPortals::domain, host).orElseThrow();
    });
  }

  @Override
  public CompletionStage<Boolean> removeDomain(String orgId, String host) {
    return database.write(connection -> update(connection, "DELETE FROM portal_domains WHERE org_id = ? AND host = ?", orgId, host) > 0);
  }

  @Override
  public CompletionStage<Map<String, String>> verifiedHosts() {
    return database.read(connection -> {
      Map<String, String> hosts = new LinkedHashMap<>();
      for (String[] row : query(connection, "SELECT host, org_id FROM portal_domains WHERE verified_at IS NOT NULL",
          rows -> new String[] {rows.getString(1), rows.getString(2)})) {
        hosts.put(row[0], row[1]);
      }
      return hosts;
    });
  }

  @Override
  public CompletionStage<Void> opened(String orgId, String userId, String sessionId, Instant at) {
    return database.write(connection -> {
      if (first(connection, "SELECT 1 FROM portal_openings WHERE org_id = ? AND user_id = ? AND session_id = ?", rows -> 1,
          orgId, userId, sessionId).isEmpty()) {
        update(connection, "INSERT INTO portal_openings (org_id, user_id, session_id, opened_at) VALUES (?, ?, ?, ?)",
            orgId, userId, sessionId, at);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<List<Opening>> openings(String orgId, int limit) {
    return database.read(connection -> query(connection,
        "SELECT user_id, opened_at FROM portal_openings WHERE org_id = ? ORDER BY opened_at DESC LIMIT " + Math.max(1, limit),
        rows -> new Opening(rows.getString(1), instant(rows, "opened_at")), orgId));
  }

  private static Portal portal(ResultSet rows) throws SQLException {
    String name = rows.getString(4) == null ? rows.getString(10) : rows.getString(4);
    return new Portal(rows.getString(1), rows.getString(2), rows.getBoolean(3),
        new Branding(name, rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getBoolean(9)),
        Optional.ofNullable(rows.getString(11)), Optional.ofNullable(rows.getString(12)));
  }

  private static PortalDomain domain(ResultSet rows) throws SQLException {
    return new PortalDomain(rows.getString("host"), rows.getString("org_id"), rows.getString("token"), instant(rows, "added_at"),
        instant(rows, "verified_at"), instant(rows, "checked_at"), rows.getString("problem"));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
