package io.layercake.config;

/**
 * How credentials stored in the database (organizations' provider tokens) are encrypted.
 *
 * @param key the AES-256 key, base64 of 32 bytes; empty: the node uses (and on first start creates)
 *     {@code <data-dir>/secrets.key}, readable by its owner only
 */
public record SecretsSettings(Secret key) {
  /** No configured key: the data directory's key file is used. */
  public static SecretsSettings keyFile() {
    return new SecretsSettings(Secret.of(""));
  }
}
