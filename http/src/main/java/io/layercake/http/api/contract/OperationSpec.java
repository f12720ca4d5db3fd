package io.layercake.http.api.contract;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What {@link ApiOperation} says of one operation, built fluently where the operations are listed. */
final class OperationSpec {
  final String method;
  final PathTemplate path;
  final ApiTag tag;
  String scope;
  String summary = "";
  String description;
  final List<QueryParameter> query = new ArrayList<>();
  Type requestBody;
  String requestExample;
  String answerExample;
  boolean uploads;
  List<String> binaryBodyTypes = List.of();
  int success = 200;
  Type response;
  String responseMediaType = "application/json";
  final Set<Integer> errors = new TreeSet<>();
  final Set<Integer> otherSuccesses = new TreeSet<>();
  boolean cached;
  boolean idempotent;
  boolean anyCaller;

  private OperationSpec(String method, String path, ApiTag tag) {
    this.method = method;
    this.path = PathTemplate.of(path);
    this.tag = tag;
  }

  static OperationSpec get(ApiTag tag, String path) {
    return new OperationSpec("GET", path, tag);
  }

  static OperationSpec post(ApiTag tag, String path) {
    return new OperationSpec("POST", path, tag);
  }

  static OperationSpec put(ApiTag tag, String path) {
    return new OperationSpec("PUT", path, tag);
  }

  static OperationSpec patch(ApiTag tag, String path) {
    return new OperationSpec("PATCH", path, tag);
  }

  static OperationSpec delete(ApiTag tag, String path) {
    return new OperationSpec("DELETE", path, tag);
  }

  /** The key scope the operation needs; without one it is public. */
  OperationSpec scope(String scope) {
    this.scope = scope;
    return this;
  }

  /** Needs a credential (a key, a person) but no particular scope. */
  OperationSpec anyCaller() {
    this.anyCaller = true;
    return this;
  }

  OperationSpec summary(String summary) {
    this.summary = summary;
    return this;
  }

  OperationSpec description(String description) {
    this.description = description;
    return this;
  }

  OperationSpec query(QueryParameter... parameters) {
    query.addAll(List.of(parameters));
    return this;
  }

  OperationSpec body(Type type) {
    this.requestBody = type;
    return this;
  }

  /** A request body as a client would send it (JSON); the contract test checks it against the schema. */
  OperationSpec example(String json) {
    this.requestExample = json;
    return this;
  }

  /** The body may also be a file (any supported media type), with title and tags as query parameters. */
  OperationSpec orUpload() {
    this.uploads = true;
    return this;
  }

  /** The body is the file itself, of one of these media types (no JSON). */
  OperationSpec binaryBody(String... mediaTypes) {
    this.binaryBodyTypes = List.of(mediaTypes);
    return this;
  }

  /** The success answer as a client sees it (JSON); the contract test checks it against the schema. */
  OperationSpec answerExample(String json) {
    this.answerExample = json;
    return this;
  }

  OperationSpec answers(int status, Type type) {
    this.success = status;
    this.response = type;
    return this;
  }

  /** Another success status, with the same answer (202: accepted, to finish in the background). */
  OperationSpec alsoAnswers(int status) {
    otherSuccesses.add(status);
    return this;
  }

  OperationSpec answersStream(String mediaType) {
    this.responseMediaType = mediaType;
    return this;
  }

  OperationSpec errors(Integer... statuses) {
    errors.addAll(List.of(statuses));
    return this;
  }

  /** It creates something: an {@code Idempotency-Key} makes a repeat answer as the first did. */
  OperationSpec idempotent() {
    this.idempotent = true;
    return this;
  }

  /** Answers carry an ETag; {@code If-None-Match} with it answers 304. */
  OperationSpec cached() {
    this.cached = true;
    return this;
  }
}
