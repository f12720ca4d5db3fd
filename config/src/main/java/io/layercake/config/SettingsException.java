package io.layercake.config;

/** A setting is missing or malformed. The message is one line naming the key and what is wrong. */
public final class SettingsException extends RuntimeException {
  private final String key;

  public SettingsException(String key, String problem) {
    super("invalid setting " + key + describeEnvironmentVariable(key) + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The environment variable that overrides a key: layercake.http.port -> LAYERCAKE_HTTP_PORT. */
  public static String environmentVariableFor(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String describeEnvironmentVariable(String key) {
    return key.startsWith("layercake.catalog") ? "" : " (" + environmentVariableFor(key) + ")";
  }
}
