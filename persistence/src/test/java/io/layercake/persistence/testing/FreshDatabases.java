package io.layercake.persistence.testing;

import io.layercake.config.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests new, empty databases of either dialect. Register with
 * {@code @ExtendWith(FreshDatabases.Extension.class)} and take a {@code FreshDatabases} parameter.
 */
public final class FreshDatabases {
  private final ExtensionContext context;

  private FreshDatabases(ExtensionContext context) {
    this.context = context;
  }

  public DatabaseSettings create(TestDatabases kind, Path directory) {
    return kind.fresh(context, directory);
  }

  /** Resolves {@link FreshDatabases} parameters. */
  public static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == FreshDatabases.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return new FreshDatabases(context);
    }
  }
}
