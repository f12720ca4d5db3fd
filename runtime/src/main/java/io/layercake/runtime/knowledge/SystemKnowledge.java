package io.layercake.runtime.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Our own guidance for agents, written as Markdown in the repository and bundled into the jar. */
public final class SystemKnowledge {
  private final String customer;
  private final String setup;

  private SystemKnowledge(String customer, String setup) {
    this.customer = customer;
    this.setup = setup;
  }

  /** The guidance bundled with this build. */
  public static SystemKnowledge bundled() {
    return new SystemKnowledge(resource("customer.md"), resource("setup.md"));
  }

  public String text(Mode mode) {
    return switch (mode) {
      case CUSTOMER -> customer;
      case SETUP -> setup;
    };
  }

  /** Who the agent is talking to: a business's customer, or the business owner in the setup interview. */
  public enum Mode {
    CUSTOMER,
    SETUP
  }

  private static String resource(String name) {
    String path = "system-knowledge/" + name;
    try (InputStream in = SystemKnowledge.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("system knowledge " + path + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
