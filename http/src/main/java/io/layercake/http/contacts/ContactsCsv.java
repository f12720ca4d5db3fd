package io.layercake.http.contacts;

import io.layercake.runtime.contacts.Contact;
import java.util.List;

/**
 * Contacts as CSV (RFC 4180: every field quoted, quotes doubled, CRLF lines). A field a spreadsheet
 * would run as a formula ({@code =}, {@code @}, or {@code +}/{@code -} not followed by a digit) is
 * written with a leading apostrophe.
 */
final class ContactsCsv {
  private ContactsCsv() {}

  static String of(List<Contact> contacts) {
    StringBuilder csv = new StringBuilder();
    row(csv, List.of("key", "name", "phones", "emails", "channels", "conversations", "leads", "appointments", "first_seen", "last_seen",
        "tags"));
    for (Contact contact : contacts) {
      row(csv, List.of(contact.key(), contact.name(), String.join(" ", contact.phones()), String.join(" ", contact.emails()),
          String.join(" ", contact.channels()), Integer.toString(contact.conversations().size()), Integer.toString(contact.leads().size()),
          Long.toString(contact.appointments()), contact.firstSeen().toString(), contact.lastSeen().toString(),
          String.join(" ", contact.tags())));
    }
    return csv.toString();
  }

  private static void row(StringBuilder csv, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      csv.append(i == 0 ? "" : ",").append('"').append(safe(fields.get(i)).replace("\"", "\"\"")).append('"');
    }
    csv.append("\r\n");
  }

  private static String safe(String field) {
    if (field == null || field.isEmpty()) {
      return "";
    }
    char first = field.charAt(0);
    boolean formula = first == '=' || first == '@' || first == '\t' || first == '\r'
        || ((first == '+' || first == '-') && (field.length() == 1 || !Character.isDigit(field.charAt(1))));
    return formula ? "'" + field : field;
  }
}
