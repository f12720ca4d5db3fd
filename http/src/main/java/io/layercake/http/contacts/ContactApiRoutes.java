package io.layercake.http.contacts;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.runtime.contacts.Contact;
import io.layercake.runtime.contacts.Contacts;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A client's contacts through the API: the list (search), one with its history across channels,
 * notes and tags people add, and everything as CSV. An agency reaches its clients' with {@code ?orgId=}.
 */
public final class ContactApiRoutes extends AllDirectives {
  private static final int MAX_LISTED = 500;
  private static final int MAX_EXPORTED = 100_000;
  private static final int MAX_TAGS = 20;

  private final ApiAccess access;
  private final Contacts contacts;
  private final Clock clock;

  public ContactApiRoutes(ApiAccess access, Contacts contacts, Clock clock) {
    this.access = access;
    this.contacts = contacts;
    this.clock = clock;
  }

  public record ContactSummary(String key, String name, List<String> phones, List<String> emails, List<String> channels, int conversations,
      int leads, long appointments, Instant firstSeen, Instant lastSeen, List<String> tags) {

    static ContactSummary of(Contact contact) {
      return new ContactSummary(contact.key(), contact.name(), contact.phones(), contact.emails(), contact.channels(),
          contact.conversations().size(), contact.leads().size(), contact.appointments(), contact.firstSeen(), contact.lastSeen(),
          contact.tags());
    }
  }

  public record ContactList(String orgId, List<ContactSummary> contacts) {}

  public record NoteBody(String text) {}

  public record TagsBody(List<String> tags) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_CONTACTS, match -> access.inOrganization(caller, orgId -> parameterOptional("q", query ->
            onSuccess(contacts.of(orgId, query.orElse(""), MAX_LISTED), found -> complete(StatusCodes.OK,
                new ContactList(orgId, found.stream().map(ContactSummary::of).toList()), Json.marshaller()))))),
        access.operation(caller, ApiOperation.EXPORT_CONTACTS, match -> access.inOrganization(caller, orgId ->
            onSuccess(contacts.of(orgId, "", MAX_EXPORTED), found -> respondWithHeader(
                ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, java.util.Map.of("filename", "contacts.csv")),
                () -> complete(HttpResponse.create().withEntity(HttpEntities.create(
                    ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8), ContactsCsv.of(found)))))))),
        access.operation(caller, ApiOperation.GET_CONTACT, match -> contact(caller, match.variable("key"), (orgId, found) ->
            complete(StatusCodes.OK, found, Json.marshaller()))),
        access.operation(caller, ApiOperation.ADD_CONTACT_NOTE, match -> contact(caller, match.variable("key"), (orgId, found) ->
            entity(Jackson.unmarshaller(Json.MAPPER, NoteBody.class), body -> body.text() == null || body.text().isBlank()
                    || body.text().length() > 4000
                ? ApiAccess.invalid("text must be 1 to 4000 characters")
                : onSuccess(contacts.addNote(orgId, found.key(), caller.actor(), body.text().strip(), clock.instant()), done ->
                    onSuccess(contacts.find(orgId, found.key()), after -> complete(StatusCodes.CREATED, after.orElseThrow(),
                        Json.marshaller())))))),
        access.operation(caller, ApiOperation.SET_CONTACT_TAGS, match -> contact(caller, match.variable("key"), (orgId, found) ->
            entity(Jackson.unmarshaller(Json.MAPPER, TagsBody.class), body -> {
              List<String> tags = body.tags() == null ? List.of() : body.tags().stream().map(tag -> tag == null ? "" : tag.strip()).toList();
              if (tags.size() > MAX_TAGS || tags.stream().anyMatch(tag -> !tag.matches("[\\p{L}\\p{N} _-]{1,50}"))) {
                return ApiAccess.invalid("tags: at most " + MAX_TAGS + ", each 1 to 50 letters, digits, spaces, _ or -");
              }
              return onSuccess(contacts.setTags(orgId, found.key(), tags), done -> onSuccess(contacts.find(orgId, found.key()), after ->
                  complete(StatusCodes.OK, after.orElseThrow(), Json.marshaller())));
            }))));
  }

  private Route contact(Caller caller, String key, BiFunction<String, Contact, Route> inner) {
    return access.inOrganization(caller, orgId -> onSuccess(contacts.find(orgId, key), found -> found
        .map(contact -> inner.apply(orgId, contact))
        .orElseGet(() -> ApiAccess.notFound("contact " + key))));
  }

}
