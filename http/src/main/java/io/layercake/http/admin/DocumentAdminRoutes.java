package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeLibrary;
import io.layercake.runtime.knowledge.KnowledgeSelection;
import io.layercake.runtime.knowledge.StoredDocument;
import io.layercake.runtime.knowledge.TextExtraction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * An organization's knowledge library: {@code POST /admin/organizations/{id}/documents} (the file
 * as the body with its Content-Type, {@code ?title=&tags=a,b}; or JSON with the text), list, get
 * (with text), {@code PATCH} tags, {@code DELETE}.
 */
public final class DocumentAdminRoutes extends AllDirectives {
  private static final int MAX_TITLE = 300;
  private static final int MAX_TAGS = 30;

  private final KnowledgeLibrary library;
  private final Organizations organizations;
  private final long maxDocumentBytes;
  private final int knowledgeCharacterCap;

  public DocumentAdminRoutes(KnowledgeLibrary library, Organizations organizations, long maxDocumentBytes, int knowledgeCharacterCap) {
    this.library = library;
    this.organizations = organizations;
    this.maxDocumentBytes = maxDocumentBytes;
    this.knowledgeCharacterCap = knowledgeCharacterCap;
  }

  /** A text document sent as JSON (as the agent-config import does). */
  public record TextDocument(String title, List<String> tags, String mimeType, String text) {}

  public record TagsBody(List<String> tags) {}

  /**
   * A document as the API shows it; {@code text} only when one document is asked for.
   * {@code status}: extracting (a PDF, with {@code extractedPercent}), ready or failed (with {@code failureReason}).
   * {@code promptNote}, in the answer to an upload: what no longer fits whole in an agent's prompt, when something does not.
   */
  public record DocumentView(
      String id, String title, List<String> tags, String mimeType, StoredDocument.Status status, String failureReason,
      Integer extractedPercent, long sizeBytes, Integer characters, String text, Instant createdAt, Instant updatedAt,
      String promptNote) {
    static DocumentView of(StoredDocument document, boolean withText) {
      return new DocumentView(document.documentId(), document.title(), document.tags(), document.mimeType(),
          document.status(), document.failureReason(), document.extractedPercent(), document.sizeBytes(),
          document.text() == null ? null : document.text().length(), withText ? document.text() : null,
          document.createdAt(), document.updatedAt(), null);
    }

    DocumentView withPromptNote(String note) {
      return new DocumentView(id, title, tags, mimeType, status, failureReason, extractedPercent, sizeBytes, characters, text,
          createdAt, updatedAt, note);
    }
  }

  public Route routes() {
    return pathPrefix("organizations", () -> pathPrefix(orgId -> pathPrefix("documents", () -> forOrganization(orgId))));
  }

  public record DocumentList(List<DocumentView> documents) {}

  /** The operator's document routes of one organization. */
  private Route forOrganization(String orgId) {
    return concat(
        pathEnd(() -> concat(get(() -> list(orgId)), post(() -> upload(orgId)))),
        path(documentId -> concat(
            get(() -> get(orgId, documentId)),
            patch(() -> retag(orgId, documentId)),
            delete(() -> delete(orgId, documentId)))));
  }

  public Route list(String orgId) {
    return onSuccess(library.documents().list(orgId), documents -> complete(StatusCodes.OK,
        new DocumentList(documents.stream().map(d -> DocumentView.of(d, false)).toList()), Json.marshaller()));
  }

  public Route get(String orgId, String documentId) {
    return onSuccess(library.documents().get(orgId, documentId), found -> found
        .<Route>map(document -> complete(StatusCodes.OK, DocumentView.of(document, true), Json.marshaller()))
        .orElseGet(() -> notFound(documentId)));
  }

  public Route retag(String orgId, String documentId) {
    return entity(Jackson.unmarshaller(Json.MAPPER, TagsBody.class), body -> retag(orgId, documentId, body));
  }

  public Route delete(String orgId, String documentId) {
    return onSuccess(library.documents().delete(orgId, documentId), deleted -> deleted
        ? complete(StatusCodes.NO_CONTENT)
        : notFound(documentId));
  }

  /** A JSON document with its text, or the file itself with {@code ?title=} and {@code ?tags=}. */
  public Route upload(String orgId) {
    return withSizeLimit(maxDocumentBytes, () -> store(orgId));
  }

  /**
   * Said at upload when the organization's documents no longer fit whole in the prompt of an agent
   * that uses them all (agents with tags use fewer: their page says which of theirs fit).
   */
  private String promptNote(String documentId, List<KnowledgeDocument> ready) {
    KnowledgeSelection selection = KnowledgeSelection.of(List.of(), ready, knowledgeCharacterCap);
    if (selection.overflow().isEmpty()) {
      return null;
    }
    boolean thisOne = selection.overflow().stream().anyMatch(document -> document.documentId().equals(documentId));
    int total = ready.stream().mapToInt(document -> document.text().length()).sum();
    return (thisOne ? "This document does not fit whole" : selection.overflow().size() + " older document(s) no longer fit whole")
        + " in the prompt of an agent that uses every document: the organization's documents hold " + total
        + " characters and a prompt carries " + knowledgeCharacterCap + ". What does not fit whole is drawn on by its "
        + "passages most relevant to each message; give documents tags per agent, or shorten them, to keep them whole.";
  }

  private Route store(String orgId) {
    return extractRequest(request -> {
      String mimeType = request.entity().getContentType().mediaType().toString();
      if (mimeType.equals("application/json")) {
        return entity(Jackson.unmarshaller(Json.MAPPER, TextDocument.class), body -> store(orgId, body.title(),
            body.tags() == null ? List.of() : body.tags(),
            body.mimeType() == null ? "text/markdown" : body.mimeType(),
            body.text() == null ? new byte[0] : body.text().getBytes(StandardCharsets.UTF_8)));
      }
      return parameterOptional("title", title -> parameterOptional("tags", tags ->
          entity(Unmarshaller.entityToByteString(), bytes ->
              store(orgId, title.orElse(null), splitTags(tags), mimeType, bytes.toArray()))));
    });
  }

  private Route store(String orgId, String title, List<String> tags, String mimeType, byte[] content) {
    if (title == null || title.isBlank() || title.strip().length() > MAX_TITLE) {
      return invalid("title is required, at most " + MAX_TITLE + " characters");
    }
    if (tags.size() > MAX_TAGS || !KnowledgeLibrary.validTags(tags)) {
      return invalid("at most " + MAX_TAGS + " tags, each a word of letters, digits, '-' or '_' (at most 50 characters)");
    }
    if (!TextExtraction.SUPPORTED_TYPES.contains(mimeType)) {
      return complete(ErrorHandling.response(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "documents can be " + TextExtraction.SUPPORTED_TYPES.stream().sorted().toList() + ", not " + mimeType));
    }
    return onSuccess(organizations.exists(orgId), exists -> exists
        ? onSuccess(library.add(orgId, title, tags, mimeType, content).thenCompose(document ->
                document.status() != StoredDocument.Status.READY
                    ? java.util.concurrent.CompletableFuture.completedFuture(DocumentView.of(document, false))
                    : library.documents().readyForPrompts(orgId).thenApply(ready ->
                        DocumentView.of(document, false).withPromptNote(promptNote(document.documentId(), ready)))),
            view -> complete(view.status() == StoredDocument.Status.EXTRACTING ? StatusCodes.ACCEPTED : StatusCodes.CREATED,
                view, Json.marshaller()))
        : complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "organization_not_found", "organization " + orgId + " does not exist")));
  }

  private Route retag(String orgId, String documentId, TagsBody body) {
    if (body.tags() == null || body.tags().size() > MAX_TAGS || !KnowledgeLibrary.validTags(body.tags())) {
      return invalid("at most " + MAX_TAGS + " tags, each a word of letters, digits, '-' or '_' (at most 50 characters)");
    }
    return onSuccess(library.documents().updateTags(orgId, documentId, KnowledgeLibrary.normalizeTags(body.tags())),
        updated -> updated
            .<Route>map(document -> complete(StatusCodes.OK, DocumentView.of(document, false), Json.marshaller()))
            .orElseGet(() -> notFound(documentId)));
  }

  private static List<String> splitTags(Optional<String> tags) {
    return tags.map(value -> Arrays.stream(value.split(",")).filter(tag -> !tag.isBlank()).toList()).orElse(List.of());
  }

  private Route notFound(String documentId) {
    return complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "document_not_found", "no document " + documentId));
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
