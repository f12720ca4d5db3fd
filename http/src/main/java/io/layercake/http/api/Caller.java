package io.layercake.http.api;

import java.util.Set;

/** Who calls the API: an organization's key with its scopes. */
public record Caller(String keyId, String orgId, String keyName, Set<String> scopes) {
  /** How decisions and messages by this key are recorded. */
  public String actor() {
    return "key:" + keyId + " (" + keyName + ")";
  }
}
