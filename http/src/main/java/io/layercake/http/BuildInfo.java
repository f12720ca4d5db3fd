package io.layercake.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What the build wrote into the jar: the version (Maven fills {@code layercake-build.properties}). */
public final class BuildInfo {
  private static final String VERSION = load().getProperty("version", "unknown");

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  /** What {@code --version} prints. */
  public static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"layercake " + VERSION};
    }
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/layercake-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the build information could not be read", e);
    }
    return properties;
  }
}
