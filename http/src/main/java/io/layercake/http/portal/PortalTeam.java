package io.layercake.http.portal;

import java.util.List;

/**
 * The portal's team page: the client's own people with their roles (owner or team member), the
 * invitations, and what the person looking may change. Changes go through the REST API.
 */
public record PortalTeam(boolean mayManage, List<Member> members, List<Invitation> invitations) {
  /** The roles a client's people can have, as the portal names them. */
  public static final List<Role> ROLES = List.of(new Role("client_member", "Team member"), new Role("client_owner", "Owner"));

  public record Role(String wireName, String label) {}

  public record Member(String userId, String name, String email, String role, boolean changeable) {
    public String label() {
      return labelOf(role);
    }
  }

  public record Invitation(String invitationId, String email, String role, String status, String expires) {
    public String label() {
      return labelOf(role);
    }
  }

  public PortalTeam {
    members = List.copyOf(members);
    invitations = List.copyOf(invitations);
  }

  static String labelOf(String role) {
    return ROLES.stream().filter(known -> known.wireName().equals(role)).map(Role::label).findFirst().orElse(role.replace('_', ' '));
  }
}
