package io.layercake.runtime.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A client's contacts, put together from its conversations, leads and appointments, with the notes and tags people add. */
public interface Contacts {

  /** The client's contacts, most recently seen first; {@code query} matches a name, phone, email or key (empty: all). */
  CompletionStage<List<Contact>> of(String orgId, String query, int limit);

  CompletionStage<Optional<Contact>> find(String orgId, String key);

  CompletionStage<Void> addNote(String orgId, String key, String author, String text, Instant at);

  CompletionStage<Void> setTags(String orgId, String key, List<String> tags);
}
