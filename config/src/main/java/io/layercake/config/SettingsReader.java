package io.layercake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.function.Supplier;

/** Reads typed values and turns every problem into a {@link SettingsException} naming the key. */
final class SettingsReader {
  private final Config config;

  SettingsReader(Config config) {
    this.config = config;
  }

  Config config() {
    return config;
  }

  String string(String key) {
    return read(key, "a string", () -> config.getString(key));
  }

  String nonEmptyString(String key) {
    String value = string(key).strip();
    if (value.isEmpty()) {
      throw new SettingsException(key, "must not be empty");
    }
    return value;
  }

  int integer(String key, int min, int max) {
    int value = read(key, "an integer", () -> config.getInt(key));
    if (value < min || value > max) {
      throw new SettingsException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  long nonNegativeLong(String key) {
    long value = read(key, "a whole number", () -> config.getLong(key));
    if (value < 0) {
      throw new SettingsException(key, "must not be negative, got " + value);
    }
    return value;
  }

  long positiveLong(String key) {
    long value = nonNegativeLong(key);
    if (value == 0) {
      throw new SettingsException(key, "must be greater than 0");
    }
    return value;
  }

  boolean bool(String key) {
    return read(key, "true or false", () -> config.getBoolean(key));
  }

  Duration positiveDuration(String key) {
    Duration value = read(key, "a duration such as 30s or 2m", () -> config.getDuration(key));
    if (value.isNegative() || value.isZero()) {
      throw new SettingsException(key, "must be longer than 0, got " + value);
    }
    return value;
  }

  Duration nonNegativeDuration(String key) {
    Duration value = read(key, "a duration such as 30s or 2m", () -> config.getDuration(key));
    if (value.isNegative()) {
      throw new SettingsException(key, "must not be negative, got " + value);
    }
    return value;
  }

  long positiveBytes(String key) {
    long value = read(key, "a size such as 512k or 1m", () -> config.getBytes(key));
    if (value <= 0) {
      throw new SettingsException(key, "must be greater than 0");
    }
    return value;
  }

  boolean isString(String key, String expected) {
    return config.hasPath(key)
        && config.getValue(key).unwrapped() instanceof String s
        && s.strip().equalsIgnoreCase(expected);
  }

  private <T> T read(String key, String expected, Supplier<T> reader) {
    if (!config.hasPath(key)) {
      throw new SettingsException(key, "is missing");
    }
    try {
      return reader.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new SettingsException(
          key, "must be " + expected + ", got '" + config.getValue(key).unwrapped() + "'");
    }
  }
}
