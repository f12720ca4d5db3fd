package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.people.PortalTokens;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.people.EmailAddresses;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.Membership;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.SignIn;
import io.layercake.runtime.people.UserSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * People in the API: who am I ({@code /me}), the members of an organization ({@code /users}),
 * invitations, my sessions, and portal tokens for an agency's own client portal.
 */
public final class PeopleApiRoutes extends AllDirectives {
  /** The organization platform staff belong to. */
  public static final String PLATFORM_ORG = "platform";
  private static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::wireName).toList();

  private final ApiAccess access;
  private final People people;
  private final Invitations invitations;
  private final UserSessions sessions;
  private final SignIn signIn;
  private final SignIn.Places places;
  private final PortalTokens tokens;
  private final OrgDirectory directory;
  private final Organizations organizations;
  private final Duration sessionIdle;
  private final Clock clock;
  private final Executor executor;

  /** @param places where a client's people are invited to: its portal */
  public PeopleApiRoutes(ApiAccess access, People people, Invitations invitations, UserSessions sessions, SignIn signIn,
      SignIn.Places places, PortalTokens tokens, OrgDirectory directory, Organizations organizations, Duration sessionIdle, Clock clock,
      Executor executor) {
    this.places = places;
    this.organizations = organizations;
    this.access = access;
    this.people = people;
    this.invitations = invitations;
    this.sessions = sessions;
    this.signIn = signIn;
    this.tokens = tokens;
    this.directory = directory;
    this.sessionIdle = sessionIdle;
    this.clock = clock;
    this.executor = executor;
  }

  public record UserView(String userId, String email, String name) {}

  /** An organization the person may act in, and how: a membership, or reaching a client through its agency. */
  public record OrganizationAccess(String orgId, String name, Role role, String parentOrgId, boolean member) {}

  /** {@code scopes}: what the person may do where they act now (their role's row of the table), for pages to show only that. */
  public record Me(UserView user, String orgId, Role role, List<String> scopes, List<OrganizationAccess> organizations, String sessionId,
      String csrfToken) {}

  public record MemberView(String userId, String email, String name, Role role, Instant since, String addedBy, boolean disabled) {}

  public record MemberList(String orgId, List<MemberView> users) {}

  public record Removed(String removed, String orgId, int sessionsEnded) {}

  public record RoleBody(Role role) {}

  public record InvitationBody(String email, Role role, String orgId) {}

  public record InvitationView(String invitationId, String orgId, String email, Role role, String invitedBy,
      Invitations.Invitation.Status status, Instant createdAt, Instant expiresAt) {}

  public record InvitationList(List<InvitationView> invitations) {}

  public record SessionView(String sessionId, boolean current, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
      String userAgent, String ip) {}

  public record SessionList(List<SessionView> sessions) {}

  public record SessionsEnded(int ended) {}

  public record TokenBody(String orgId, String userId) {}

  public record PortalToken(String token, String tokenType, Instant expiresAt, String orgId, String userId, Role role) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_ME, match -> person(caller, person -> onSuccess(me(caller, person),
            me -> complete(StatusCodes.OK, me, Json.marshaller())))),
        access.operation(caller, ApiOperation.LIST_USERS, match -> inOrganization(caller, orgId ->
            onSuccess(people.members(orgId), members -> complete(StatusCodes.OK, new MemberList(orgId, members.stream()
                .map(member -> new MemberView(member.user().userId(), member.user().email(), member.user().name(),
                    member.membership().role(), member.membership().createdAt(), member.membership().createdBy(), member.user().disabled()))
                .toList()), Json.marshaller())))),
        access.operation(caller, ApiOperation.CHANGE_USER_ROLE, match -> inOrganization(caller, orgId ->
            entity(Jackson.unmarshaller(Json.MAPPER, RoleBody.class), body -> changeRole(caller, orgId, match.variable("userId"), body)))),
        access.operation(caller, ApiOperation.REMOVE_USER, match -> inOrganization(caller, orgId ->
            remove(caller, orgId, match.variable("userId")))),
        access.operation(caller, ApiOperation.LIST_INVITATIONS, match -> inOrganization(caller, orgId ->
            onSuccess(invitations.list(orgId), found -> complete(StatusCodes.OK,
                new InvitationList(found.stream().map(this::view).toList()), Json.marshaller())))),
        access.operation(caller, ApiOperation.CREATE_INVITATION, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, InvitationBody.class), body -> invite(caller, body))),
        access.operation(caller, ApiOperation.REVOKE_INVITATION, match -> onSuccess(invitations.find(match.variable("invitationId")),
            found -> found
                .map(invitation -> access.visible(caller, invitation.orgId(), "invitation " + invitation.invitationId(), () ->
                    onSuccess(invitations.revoke(invitation.orgId(), invitation.invitationId()), revoked -> revoked
                        ? onSuccess(invitations.find(invitation.invitationId()),
                            now -> complete(StatusCodes.OK, view(now.orElseThrow()), Json.marshaller()))
                        : conflict("invitation_not_pending", "the invitation was already " + invitation.status(clock.instant()).name()
                            .toLowerCase(Locale.ROOT)))))
                .orElseGet(() -> ApiAccess.notFound("invitation " + match.variable("invitationId"))))),
        access.operation(caller, ApiOperation.LIST_SESSIONS, match -> signedIn(caller, (person, current) ->
            onSuccess(sessions.list(person.user().userId(), clock.instant(), sessionIdle), found -> complete(StatusCodes.OK,
                new SessionList(found.stream().map(session -> new SessionView(session.sessionId(),
                    session.sessionId().equals(current.sessionId()), session.createdAt(), session.lastSeenAt(), session.expiresAt(),
                    session.userAgent(), session.ip())).toList()), Json.marshaller())))),
        access.operation(caller, ApiOperation.REVOKE_SESSION, match -> signedIn(caller, (person, current) ->
            onSuccess(sessions.revoke(person.user().userId(), match.variable("sessionId")), revoked -> revoked
                ? complete(StatusCodes.OK, new SessionsEnded(1), Json.marshaller())
                : ApiAccess.notFound("session " + match.variable("sessionId"))))),
        access.operation(caller, ApiOperation.REVOKE_ALL_SESSIONS, match -> signedIn(caller, (person, current) ->
            onSuccess(sessions.revokeAll(person.user().userId()),
                ended -> complete(StatusCodes.OK, new SessionsEnded(ended), Json.marshaller())))),
        access.operation(caller, ApiOperation.ISSUE_PORTAL_TOKEN, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, TokenBody.class), body -> portalToken(caller, body))));
  }

  private CompletionStage<Me> me(Caller caller, Caller.Person person) {
    return people.memberships(person.user().userId()).thenComposeAsync(memberships -> {
      List<CompletionStage<List<OrganizationAccess>>> reached = new ArrayList<>();
      for (Membership membership : memberships) {
        reached.add(directory.find(membership.orgId()).thenComposeAsync(entry -> {
          OrganizationAccess own = new OrganizationAccess(membership.orgId(), entry.map(OrgDirectory.OrgEntry::name).orElse(membership.orgId()),
              membership.role(), entry.map(OrgDirectory.OrgEntry::parentOrgId).orElse(null), true);
          if (!membership.role().reachesClients()) {
            return CompletableFuture.completedFuture(List.of(own));
          }
          return directory.children(membership.orgId()).thenApply(children -> {
            List<OrganizationAccess> all = new ArrayList<>(List.of(own));
            children.forEach(child -> all.add(new OrganizationAccess(child.orgId(), child.name(), membership.role(), membership.orgId(), false)));
            return all;
          });
        }, executor));
      }
      CompletionStage<List<OrganizationAccess>> all = CompletableFuture.completedFuture(new ArrayList<>());
      for (CompletionStage<List<OrganizationAccess>> one : reached) {
        all = all.thenCombine(one, (sum, more) -> {
          more.stream().filter(org -> sum.stream().noneMatch(known -> known.orgId().equals(org.orgId()))).forEach(sum::add);
          return sum;
        });
      }
      return all.thenApply(organizations -> new Me(new UserView(person.user().userId(), person.user().email(), person.user().name()),
          caller.orgId(), person.role(), caller.scopes().stream().sorted().toList(), organizations, person.session().map(Caller.Session::sessionId).orElse(null),
          person.session().map(Caller.Session::csrfToken).orElse(null)));
    }, executor);
  }

  private Route remove(Caller caller, String orgId, String userId) {
    return onSuccess(people.members(orgId), members -> {
      Optional<People.Member> member = members.stream().filter(found -> found.user().userId().equals(userId)).findFirst();
      if (member.isEmpty()) {
        return ApiAccess.notFound("member " + userId + " of " + orgId);
      }
      Role role = member.get().membership().role();
      if (!mayGrant(caller, role)) {
        return forbidden("a " + roleOf(caller) + " cannot remove a " + role.wireName());
      }
      if (role == Role.OWNER && members.stream().filter(found -> found.membership().role() == Role.OWNER).count() == 1) {
        return conflict("last_owner", "an agency keeps at least one owner: make someone else owner first");
      }
      // the person signs in again: what they may still do elsewhere is read from their remaining memberships
      return onSuccess(people.remove(userId, orgId).thenCompose(removed -> sessions.revokeAll(userId)),
          ended -> complete(StatusCodes.OK, new Removed(userId, orgId, ended), Json.marshaller()));
    });
  }

  private Route changeRole(Caller caller, String orgId, String userId, RoleBody body) {
    if (body.role() == null) {
      return invalid("role is required: one of " + ROLES);
    }
    return onSuccess(people.members(orgId), members -> {
      Optional<People.Member> member = members.stream().filter(found -> found.user().userId().equals(userId)).findFirst();
      if (member.isEmpty()) {
        return ApiAccess.notFound("member " + userId + " of " + orgId);
      }
      Role current = member.get().membership().role();
      if (!mayGrant(caller, current) || !mayGrant(caller, body.role())) {
        return forbidden("a " + roleOf(caller) + " cannot make a " + current.wireName() + " a " + body.role().wireName());
      }
      if (body.role().level() != current.level()) {
        return invalid("a " + body.role().wireName() + " belongs in " + article(body.role().level()) + ", and " + orgId + " is "
            + article(current.level()));
      }
      if (current == Role.OWNER && body.role() != Role.OWNER
          && members.stream().filter(found -> found.membership().role() == Role.OWNER).count() == 1) {
        return conflict("last_owner", "an agency keeps at least one owner: make someone else owner first");
      }
      return onSuccess(people.grant(userId, orgId, body.role(), caller.actor()), granted -> complete(StatusCodes.OK,
          new MemberView(userId, member.get().user().email(), member.get().user().name(), body.role(),
              member.get().membership().createdAt(), member.get().membership().createdBy(), member.get().user().disabled()),
          Json.marshaller()));
    });
  }

  private Route invite(Caller caller, InvitationBody body) {
    Optional<String> email = EmailAddresses.normalize(body.email());
    if (email.isEmpty()) {
      return invalid("email must be an email address");
    }
    if (body.role() == null) {
      return invalid("role is required: one of " + ROLES);
    }
    if (!mayGrant(caller, body.role())) {
      return forbidden("a " + roleOf(caller) + " cannot invite a " + body.role().wireName());
    }
    String orgId = body.orgId() == null || body.orgId().isBlank() ? caller.orgId() : body.orgId().strip();
    // the organization itself, not the directory read model: an organization opened a moment ago can invite at once
    return access.visible(caller, orgId, "organization " + orgId, () -> onSuccess(organizations.summary(orgId), reply -> {
      if (!(reply instanceof OrgEntity.Accepted accepted)) {
        return ApiAccess.notFound("organization " + orgId);
      }
      OrgEntity.Summary organization = accepted.summary();
      Role.Level level = PLATFORM_ORG.equals(orgId) ? Role.Level.PLATFORM
          : organization.parentOrgId() == null ? Role.Level.AGENCY : Role.Level.CLIENT;
      if (body.role().level() != level) {
        return invalid("a " + body.role().wireName() + " belongs in " + article(body.role().level()) + ", and " + orgId + " is "
            + article(level));
      }
      String inviterName = caller.person().map(person -> person.user().name()).orElse(organization.name());
      // a client's people are invited into its portal, in its name: nothing of the agency or the platform shows
      CompletionStage<Optional<SignIn.Place>> place = level == Role.Level.CLIENT
          ? places.of(orgId) : CompletableFuture.completedFuture(Optional.empty());
      return onSuccess(place.thenCompose(where -> signIn.invite(orgId, organization.name(), email.get(), body.role(), caller.actor(),
              inviterName, where)),
          invitation -> complete(StatusCodes.CREATED, view(invitation), Json.marshaller()));
    }));
  }

  private Route portalToken(Caller caller, TokenBody body) {
    if (body.orgId() == null || body.orgId().isBlank() || body.userId() == null || body.userId().isBlank()) {
      return invalid("orgId (a client) and userId (one of its users) are required");
    }
    return access.visible(caller, body.orgId(), "organization " + body.orgId(), () -> onSuccess(people.members(body.orgId()), members ->
        members.stream()
            .filter(member -> member.user().userId().equals(body.userId()) && member.membership().role().level() == Role.Level.CLIENT)
            .findFirst()
            .<Route>map(member -> {
              PortalTokens.Issued issued = tokens.issue(body.userId(), body.orgId(), member.membership().role());
              return complete(StatusCodes.CREATED, new PortalToken(issued.token(), "Bearer", issued.expiresAt(), body.orgId(),
                  body.userId(), member.membership().role()), Json.marshaller());
            })
            .orElseGet(() -> ApiAccess.notFound("client user " + body.userId() + " of " + body.orgId()))));
  }

  private InvitationView view(Invitations.Invitation invitation) {
    return new InvitationView(invitation.invitationId(), invitation.orgId(), invitation.email(), invitation.role(), invitation.invitedBy(),
        invitation.status(clock.instant()), invitation.createdAt(), invitation.expiresAt());
  }

  /** The organization of the {@code orgId} parameter (default: the caller's), when the caller sees it. */
  private Route inOrganization(Caller caller, Function<String, Route> inner) {
    return parameterOptional("orgId", orgId -> {
      String chosen = orgId.map(String::strip).filter(id -> !id.isEmpty()).orElse(caller.orgId());
      return access.visible(caller, chosen, "organization " + chosen, () -> inner.apply(chosen));
    });
  }

  private static boolean mayGrant(Caller caller, Role role) {
    // a key with members:write manages the people of its organizations, as an owner would
    return caller.person().map(person -> person.role().mayGrant(role)).orElse(Role.OWNER.mayGrant(role));
  }

  private static String roleOf(Caller caller) {
    return caller.person().map(person -> person.role().wireName()).orElse("key");
  }

  private static String article(Role.Level level) {
    return switch (level) {
      case PLATFORM -> "the platform organization";
      case AGENCY -> "an agency";
      case CLIENT -> "a client (sub-organization)";
    };
  }

  private Route person(Caller caller, Function<Caller.Person, Route> inner) {
    return caller.person().map(inner).orElseGet(() -> forbidden("this is for people signed in; an API key has no user"));
  }

  private Route signedIn(Caller caller, BiFunction<Caller.Person, Caller.Session, Route> inner) {
    return caller.person().flatMap(person -> person.session().map(session -> inner.apply(person, session)))
        .orElseGet(() -> forbidden("sessions belong to people signed in with a session cookie"));
  }

  private static Route invalid(String message) {
    return answer(StatusCodes.BAD_REQUEST, "invalid_request", message);
  }

  private static Route forbidden(String message) {
    return answer(StatusCodes.FORBIDDEN, "forbidden", message);
  }

  private static Route conflict(String code, String message) {
    return answer(StatusCodes.CONFLICT, code, message);
  }

  private static Route answer(StatusCode status, String code, String message) {
    return new AllDirectives() {}.complete(ErrorHandling.response(status, code, message));
  }
}
