package io.layercake.runtime.messages;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.messages.MessagingPolicy.Person;
import io.layercake.runtime.messages.MessagingPolicy.Place;
import io.layercake.runtime.messages.MessagingPolicy.WhoMayMessage;
import io.layercake.runtime.people.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may write to whom: relations through organizations and agencies, the cross-organization switch, rules and blocks. */
class MessagingPolicyTest {
  private static final Person ANNA = person("anna", new Place("acme", null, Role.OWNER));
  private static final Person MIA = person("mia", new Place("acme", null, Role.MEMBER));
  private static final Person HANS = person("hans", new Place("plumber", "acme", Role.CLIENT_OWNER));
  private static final Person GESA = person("gesa", new Place("plumber", "acme", Role.CLIENT_MEMBER));
  private static final Person SARA = person("sara", new Place("salon", "acme", Role.CLIENT_OWNER));
  private static final Person OLGA = person("olga", new Place("other", null, Role.OWNER));

  @Test
  void relatedPeopleWriteToEachOther() {
    assertThat(allowed(ANNA, MIA)).as("one agency").isTrue();
    assertThat(allowed(ANNA, HANS)).as("an agency owner to a client").isTrue();
    assertThat(allowed(MIA, HANS)).as("agency staff to a client").isTrue();
    assertThat(allowed(HANS, MIA)).as("a client to their agency").isTrue();
    assertThat(allowed(HANS, GESA)).as("one client").isTrue();
  }

  @Test
  void otherOrganizationsOnlyWhenBothAllowIt() {
    assertThat(allowed(HANS, SARA)).as("two clients of one agency are two organizations").isFalse();
    assertThat(allowed(ANNA, OLGA)).isFalse();
    assertThat(allowed(crossOrg(ANNA), OLGA)).as("one side").isFalse();
    assertThat(allowed(crossOrg(ANNA), crossOrg(OLGA))).isTrue();
    assertThat(MessagingPolicy.decide(ANNA, OLGA).reason()).startsWith("you are in different organizations");
  }

  @Test
  void theRecipientsRuleAndBlocksDecideLast() {
    Person agencyOnly = rule(HANS, WhoMayMessage.MY_AGENCY);
    assertThat(allowed(ANNA, agencyOnly)).isTrue();
    assertThat(allowed(GESA, agencyOnly)).as("a colleague is not the agency").isFalse();
    assertThat(allowed(crossOrg(OLGA), crossOrg(agencyOnly))).isFalse();
    assertThat(allowed(ANNA, rule(HANS, WhoMayMessage.NOBODY))).isFalse();
    assertThat(allowed(ANNA, blocking(HANS, "anna"))).isFalse();
    assertThat(allowed(blocking(ANNA, "hans"), HANS)).as("who blocked cannot write either").isFalse();
    assertThat(allowed(ANNA, ANNA)).isFalse();
  }

  private static boolean allowed(Person sender, Person recipient) {
    return MessagingPolicy.decide(sender, recipient).allowed();
  }

  private static Person person(String id, Place place) {
    return new Person(id, List.of(place), WhoMayMessage.EVERYONE, Set.of(), false);
  }

  private static Person crossOrg(Person person) {
    return new Person(person.userId(), person.places(), person.whoMayMessage(), person.blocked(), true);
  }

  private static Person rule(Person person, WhoMayMessage rule) {
    return new Person(person.userId(), person.places(), rule, person.blocked(), person.anyOrganizationAllowsCrossOrg());
  }

  private static Person blocking(Person person, String blocked) {
    return new Person(person.userId(), person.places(), person.whoMayMessage(), Set.of(blocked), person.anyOrganizationAllowsCrossOrg());
  }
}
