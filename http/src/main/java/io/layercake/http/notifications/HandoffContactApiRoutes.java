package io.layercake.http.notifications;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.runtime.notifications.HandoffContacts;
import io.layercake.runtime.people.People;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** An organization's hand-off contacts in the API: who of its own members hears that a conversation waits for a person. */
public final class HandoffContactApiRoutes extends AllDirectives {
  private static final int MAX_CONTACTS = 50;

  private final ApiAccess access;
  private final HandoffContacts contacts;
  private final People people;
  private final Clock clock;
  private final Executor executor;

  public HandoffContactApiRoutes(ApiAccess access, HandoffContacts contacts, People people, Clock clock, Executor executor) {
    this.access = access;
    this.contacts = contacts;
    this.people = people;
    this.clock = clock;
    this.executor = executor;
  }

  public record Contact(String userId, String name, String email) {}

  /** {@code contacts} empty: nobody chosen, every member whose role reads conversations hears of hand-offs. */
  public record ContactList(String orgId, List<Contact> contacts) {}

  public record ContactsBody(List<String> userIds) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_HANDOFF_CONTACTS, match -> access.inOrganization(caller, orgId ->
            onSuccess(list(orgId), found -> complete(StatusCodes.OK, found, Json.marshaller())))),
        access.operation(caller, ApiOperation.SET_HANDOFF_CONTACTS, match -> access.inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, ContactsBody.class), body -> choose(caller, orgId, body)))));
  }

  private Route choose(Caller caller, String orgId, ContactsBody body) {
    if (body.userIds() == null || body.userIds().size() > MAX_CONTACTS || body.userIds().stream().anyMatch(id -> id == null || id.isBlank())) {
      return ApiAccess.invalid("userIds is required: up to " + MAX_CONTACTS + " ids of the organization's members, [] for everyone");
    }
    return onSuccess(people.members(orgId), members -> {
      Map<String, People.Member> byId = members.stream().collect(Collectors.toMap(member -> member.user().userId(), Function.identity()));
      List<String> strangers = body.userIds().stream().filter(id -> !byId.containsKey(id)).distinct().toList();
      if (!strangers.isEmpty()) {
        return ApiAccess.invalid("not members of " + orgId + ": " + String.join(", ", strangers));
      }
      return onSuccess(contacts.choose(orgId, body.userIds(), caller.actor(), clock.instant()),
          chosen -> complete(StatusCodes.OK, view(orgId, chosen, byId), Json.marshaller()));
    });
  }

  private CompletionStage<ContactList> list(String orgId) {
    return contacts.of(orgId).thenCombineAsync(people.members(orgId), (chosen, members) -> view(orgId, chosen,
        members.stream().collect(Collectors.toMap(member -> member.user().userId(), Function.identity()))), executor);
  }

  /** A contact who left the organization is no longer shown (nor told; with none left, everyone is told again). */
  private static ContactList view(String orgId, List<String> chosen, Map<String, People.Member> members) {
    return new ContactList(orgId, chosen.stream().filter(members::containsKey).map(members::get)
        .map(member -> new Contact(member.user().userId(), member.user().name(), member.user().email())).toList());
  }
}
