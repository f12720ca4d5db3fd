package io.layercake.persistence.contacts;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.contacts.Contact;
import io.layercake.runtime.contacts.ContactKeys;
import io.layercake.runtime.contacts.Contacts;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Contacts put together when read, from the client's newest conversations (up to {@value #CONVERSATIONS}),
 * its leads and its appointments: every key a conversation or lead names (the conversation's contact,
 * a lead's phone and email) joins the contact of that conversation, so keys that meet are one
 * contact. Notes and tags live in {@code contact_notes} and {@code contact_tags} under the key the contact had when
 * they were written; a contact shows those of all its keys, so they follow it when a later lead joins it to a phone.
 */
public final class JdbcContacts implements Contacts {
  static final int CONVERSATIONS = 5_000;

  private final ApplicationDatabase database;

  public JdbcContacts(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<Contact>> of(String orgId, String query, int limit) {
    String wanted = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    return database.read(connection -> all(connection, orgId).stream()
        .filter(contact -> wanted.isEmpty() || matches(contact, wanted))
        .limit(Math.max(1, limit))
        .toList());
  }

  @Override
  public CompletionStage<Optional<Contact>> find(String orgId, String key) {
    return database.read(connection -> all(connection, orgId).stream().filter(contact -> contact.key().equals(key)).findFirst());
  }

  @Override
  public CompletionStage<Void> addNote(String orgId, String key, String author, String text, Instant at) {
    return database.write(connection -> {
      update(connection, "INSERT INTO contact_notes (note_id, org_id, contact_key, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          "cn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), orgId, key, author, text, at);
      return null;
    });
  }

  /** The tags replace the contact's under every key it had (a webchat visitor's tags stay with it once it gives a phone). */
  @Override
  public CompletionStage<Void> setTags(String orgId, String key, List<String> tags) {
    return database.write(connection -> {
      Set<String> keys = new TreeSet<>(List.of(key));
      all(connection, orgId).stream().filter(contact -> contact.key().equals(key)).findFirst().ifPresent(contact -> keys.addAll(keysOf(contact)));
      for (String old : keys) {
        update(connection, "DELETE FROM contact_tags WHERE org_id = ? AND contact_key = ?", orgId, old);
      }
      for (String tag : new TreeSet<>(tags)) {
        update(connection, "INSERT INTO contact_tags (org_id, contact_key, tag) VALUES (?, ?, ?)", orgId, key, tag);
      }
      return null;
    });
  }

  private record Row(String sessionId, String channel, String contact, String status, Instant lastMessageAt, Instant startedAt, long messages) {}

  private record LeadRow(String sessionId, Contact.Lead lead) {}

  private static List<Contact> all(Connection connection, String orgId) throws SQLException {
    List<Row> conversations = query(connection, "SELECT session_id, channel, contact, status, last_message_at, started_at, message_count"
            + " FROM conversations WHERE org_id = ? ORDER BY last_message_at DESC LIMIT " + CONVERSATIONS,
        rows -> new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), instant(rows, "last_message_at"),
            instant(rows, "started_at"), rows.getLong(7)), orgId);
    List<LeadRow> leads = query(connection, "SELECT session_id, name, phone, email, need, created_at FROM leads WHERE org_id = ?"
            + " ORDER BY created_at",
        rows -> new LeadRow(rows.getString(1), new Contact.Lead(rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
            instant(rows, "created_at"))), orgId);
    Map<String, Long> appointments = new HashMap<>();
    for (Object[] row : query(connection, "SELECT session_id, COUNT(*) FROM appointments WHERE org_id = ? AND session_id IS NOT NULL"
        + " GROUP BY session_id", rows -> new Object[] {rows.getString(1), rows.getLong(2)}, orgId)) {
      appointments.put((String) row[0], (Long) row[1]);
    }
    Map<String, List<String>> tags = new HashMap<>();
    for (String[] row : query(connection, "SELECT contact_key, tag FROM contact_tags WHERE org_id = ? ORDER BY tag",
        rows -> new String[] {rows.getString(1), rows.getString(2)}, orgId)) {
      tags.computeIfAbsent(row[0], key -> new ArrayList<>()).add(row[1]);
    }
    Map<String, List<Contact.Note>> notes = new HashMap<>();
    for (Object[] row : query(connection, "SELECT contact_key, author, text, created_at FROM contact_notes WHERE org_id = ?"
        + " ORDER BY created_at", rows -> new Object[] {rows.getString(1), new Contact.Note(rows.getString(2), rows.getString(3),
            instant(rows, "created_at"))}, orgId)) {
      notes.computeIfAbsent((String) row[0], key -> new ArrayList<>()).add((Contact.Note) row[1]);
    }

    KeyGroups groups = new KeyGroups();
    Map<String, String> keyOfSession = new HashMap<>();
    for (Row row : conversations) {
      String key = ContactKeys.ofConversation(row.channel(), row.contact());
      keyOfSession.put(row.sessionId(), key);
      groups.add(key);
    }
    for (LeadRow lead : leads) {
      String key = keyOfSession.get(lead.sessionId());
      if (key == null) {
        continue;
      }
      ContactKeys.phone(lead.lead().phone()).ifPresent(phone -> groups.join(key, phone));
      ContactKeys.email(lead.lead().email()).ifPresent(email -> groups.join(key, email));
    }
    Map<String, List<Row>> byGroup = new HashMap<>();
    conversations.forEach(row -> byGroup.computeIfAbsent(groups.root(keyOfSession.get(row.sessionId())), root -> new ArrayList<>()).add(row));
    Map<String, List<Contact.Lead>> leadsByGroup = new HashMap<>();
    leads.stream().filter(lead -> keyOfSession.containsKey(lead.sessionId()))
        .forEach(lead -> leadsByGroup.computeIfAbsent(groups.root(keyOfSession.get(lead.sessionId())), root -> new ArrayList<>()).add(lead.lead()));

    List<Contact> contacts = new ArrayList<>();
    for (Map.Entry<String, List<Row>> group : byGroup.entrySet()) {
      Set<String> keys = groups.members(group.getKey());
      List<String> phones = keys.stream().filter(key -> key.startsWith("+")).sorted().toList();
      List<String> emails = keys.stream().filter(key -> key.contains("@") && !key.contains(":")).sorted().toList();
      String primary = !phones.isEmpty() ? phones.get(0) : !emails.isEmpty() ? emails.get(0) : keys.stream().sorted().findFirst().orElseThrow();
      List<Row> rows = group.getValue();
      List<Contact.Lead> named = leadsByGroup.getOrDefault(group.getKey(), List.of());
      String name = named.stream().map(Contact.Lead::name).filter(Objects::nonNull).filter(value -> !value.isBlank())
          .reduce((first, second) -> second).orElse(rows.get(0).contact());
      contacts.add(new Contact(primary, name, phones, emails,
          rows.stream().map(Row::channel).collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList(),
          rows.stream().map(row -> new Contact.Conversation(row.sessionId(), row.channel(), row.contact(), row.status(), row.lastMessageAt(),
              row.messages())).toList(),
          named, rows.stream().mapToLong(row -> appointments.getOrDefault(row.sessionId(), 0L)).sum(),
          rows.stream().map(Row::startedAt).min(Comparator.naturalOrder()).orElseThrow(),
          rows.stream().map(Row::lastMessageAt).max(Comparator.naturalOrder()).orElseThrow(),
          keys.stream().flatMap(key -> tags.getOrDefault(key, List.of()).stream()).distinct().sorted().toList(),
          keys.stream().flatMap(key -> notes.getOrDefault(key, List.of()).stream()).sorted(Comparator.comparing(Contact.Note::at))
              .toList()));
    }
    contacts.sort(Comparator.comparing(Contact::lastSeen).reversed().thenComparing(Contact::key));
    return contacts;
  }

  /** Every key that joined into the contact: its phones, emails and its conversations' own keys. */
  private static Set<String> keysOf(Contact contact) {
    Set<String> keys = new TreeSet<>(contact.phones());
    keys.addAll(contact.emails());
    contact.conversations().forEach(conversation -> keys.add(ContactKeys.ofConversation(conversation.channel(), conversation.contact())));
    return keys;
  }

  private static boolean matches(Contact contact, String wanted) {
    return contact.key().toLowerCase(Locale.ROOT).contains(wanted) || contact.name().toLowerCase(Locale.ROOT).contains(wanted)
        || contact.phones().stream().anyMatch(phone -> phone.contains(wanted.replaceAll("[^0-9+]", "").isEmpty() ? wanted
            : wanted.replaceAll("[^0-9+]", "")))
        || contact.emails().stream().anyMatch(email -> email.contains(wanted))
        || contact.tags().stream().anyMatch(tag -> tag.equalsIgnoreCase(wanted));
  }

  /** Keys joined into groups (union-find): each group is one contact. */
  private static final class KeyGroups {
    private final Map<String, String> parent = new HashMap<>();

    void add(String key) {
      parent.putIfAbsent(key, key);
    }

    void join(String a, String b) {
      add(a);
      add(b);
      String rootA = root(a);
      String rootB = root(b);
      if (!rootA.equals(rootB)) {
        parent.put(rootB, rootA);
      }
    }

    String root(String key) {
      String current = key;
      while (!parent.get(current).equals(current)) {
        current = parent.get(current);
      }
      parent.put(key, current);
      return current;
    }

    Set<String> members(String root) {
      Set<String> members = new TreeSet<>();
      for (String key : new ArrayList<>(parent.keySet())) {
        if (root(key).equals(root)) {
          members.add(key);
        }
      }
      return members;
    }
  }
}
