package io.layercake.runtime.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Instants in the journal's JSON, written and read without {@link DateTimeFormatter}: the same text as
 * {@link DateTimeFormatter#ISO_INSTANT} ({@code 2026-12-07T11:59:06.123Z}, the fraction in groups of three digits),
 * so events written before read alike. The formatter's parse allocated ~1 KB per instant (a parse context, a map of
 * fields, boxed longs), and every projection reads every event it follows: about 10 KB per message. Text outside the
 * plain form (other years, offsets, lower case, numbers) goes to Jackson's own {@link InstantDeserializer}.
 */
public final class InstantJson extends SimpleModule {
  /** The module's id in an ObjectMapper's registered modules. */
  static final String NAME = "layercake-instants";

  public InstantJson() {
    super(NAME);
    addSerializer(Instant.class, new Writer());
    addDeserializer(Instant.class, new Reader());
  }

  /** The ISO-8601 text of {@code instant}, as {@link Instant#toString()} writes it. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    if (day < FIRST_PLAIN_DAY || day > LAST_PLAIN_DAY) {
      return instant.toString();
    }
    LocalDate date = LocalDate.ofEpochDay(day);
    int nano = instant.getNano();
    int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
    char[] text = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
    digits(text, 0, date.getYear(), 4);
    text[4] = '-';
    digits(text, 5, date.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, date.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, secondOfDay / 3600, 2);
    text[13] = ':';
    digits(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, secondOfDay % 60, 2);
    int at = 19;
    if (fraction > 0) {
      text[at++] = '.';
      digits(text, at, nano / POWERS[9 - fraction], fraction);
      at += fraction;
    }
    text[at] = 'Z';
    return new String(text);
  }

  /** The instant of {@code text} in the plain form {@link #format} writes (0 to 9 fraction digits); null for any other text. */
  public static Instant parse(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || (hour | minute | second) < 0 || hour > 23 || minute > 59
        || second > 59) {
      return null;
    }
    int nano = 0;
    if (length > 20) {
      int digits = length - 21;
      if (text.charAt(19) != '.' || digits == 0) {
        return null;
      }
      int fraction = number(text, 20, digits);
      if (fraction < 0) {
        return null;
      }
      nano = fraction * POWERS[9 - digits];
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException notADay) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
  }

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};
  /** Years 1000 to 9999: the formatter writes them as four digits and nothing else. */
  private static final long FIRST_PLAIN_DAY = LocalDate.of(1000, 1, 1).toEpochDay();
  private static final long LAST_PLAIN_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  private static void digits(char[] into, int at, int value, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The decimal number of {@code count} ASCII digits at {@code at}; -1 when one is not a digit. */
  private static int number(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static final class Writer extends StdScalarSerializer<Instant> {
    Writer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      generator.writeString(format(value));
    }
  }

  private static final class Reader extends StdScalarDeserializer<Instant> {
    Reader() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        Instant plain = parse(parser.getText());
        if (plain != null) {
          return plain;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
  }
}
