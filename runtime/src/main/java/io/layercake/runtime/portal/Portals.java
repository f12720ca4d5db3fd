package io.layercake.runtime.portal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The clients' portals, their images, custom domains and who of the agency opened them. */
public interface Portals {

  /** The portal with this slug: a saved one, or the default portal of a client whose id it is. */
  CompletionStage<Optional<Portal>> bySlug(String slug);

  /** The client's portal (the default one until the agency saves one); empty when {@code orgId} is not a client. */
  CompletionStage<Optional<Portal>> of(String orgId);

  /** Saves the portal; refused when another portal already has the slug. */
  CompletionStage<Saved> save(Portal portal, String by);

  sealed interface Saved {
    record Done(Portal portal) implements Saved {}

    record SlugTaken(String slug) implements Saved {}
  }

  CompletionStage<Optional<PortalImage>> image(String orgId, PortalImage.Kind kind);

  CompletionStage<Void> saveImage(String orgId, PortalImage image);

  CompletionStage<List<PortalDomain>> domains(String orgId);

  CompletionStage<Optional<PortalDomain>> domain(String host);

  /** Adds the host to the client with a fresh token; when the host is already someone's, answers that one unchanged. */
  CompletionStage<PortalDomain> addDomain(String orgId, String host, Instant at);

  /** Records a check of the host's TXT record: verified from {@code verifiedAt} on (kept once set), or the problem found. */
  CompletionStage<PortalDomain> checked(String host, Instant at, boolean found, String problem);

  CompletionStage<Boolean> removeDomain(String orgId, String host);

  /** Every verified host with the client it serves. */
  CompletionStage<Map<String, String>> verifiedHosts();

  /** Notes once per session that an agency person opened the client's portal. */
  CompletionStage<Void> opened(String orgId, String userId, String sessionId, Instant at);

  record Opening(String userId, Instant openedAt) {}

  CompletionStage<List<Opening>> openings(String orgId, int limit);
}
