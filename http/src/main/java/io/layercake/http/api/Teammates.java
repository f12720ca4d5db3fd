package io.layercake.http.api;

import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.people.People;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The people who can work an organization's conversations: its own members, and the agency members
 * of its parent (agency roles reach the agency's clients). Whom a conversation can be assigned to.
 */
public final class Teammates {
  private final People people;
  private final OrgDirectory directory;
  private final Executor executor;

  public Teammates(People people, OrgDirectory directory, Executor executor) {
    this.people = people;
    this.directory = directory;
    this.executor = executor;
  }

  public record Teammate(String userId, String name, String email) {}

  /** By name; a person who is both an agency and a client member is listed once. */
  public CompletionStage<List<Teammate>> of(String orgId) {
    CompletableFuture<List<People.Member>> own = people.members(orgId).toCompletableFuture();
    CompletableFuture<List<People.Member>> agency = directory.find(orgId).thenComposeAsync(entry -> entry
        .map(OrgDirectory.OrgEntry::parentOrgId)
        .filter(parent -> parent != null)
        .map(parent -> people.members(parent).thenApply(members -> members.stream()
            .filter(member -> member.membership().role().reachesClients()).toList()))
        .orElseGet(() -> CompletableFuture.completedFuture(List.of())), executor).toCompletableFuture();
    return own.thenCombineAsync(agency, (mine, theirs) -> {
      Map<String, Teammate> byId = new LinkedHashMap<>();
      List<People.Member> all = new ArrayList<>(mine);
      all.addAll(theirs);
      for (People.Member member : all) {
        if (member.user().disabledAt() == null) {
          byId.putIfAbsent(member.user().userId(), new Teammate(member.user().userId(), member.user().name(), member.user().email()));
        }
      }
      return byId.values().stream().sorted(Comparator.comparing(Teammate::name)).toList();
    }, executor);
  }
}
