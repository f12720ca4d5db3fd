package io.layercake.http.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text log format's context: the MDC keys that have a value, in a fixed order, nothing for the rest. */
class ContextConverterTest {

  @Test
  void namesTheKeysThatHaveAValueInOrder() {
    ContextConverter converter = new ContextConverter();

    assertThat(converter.convert(event(Map.of("sessionId", "s-1", "orgId", "acme", "requestId", "r-9"))))
        .isEqualTo("org=acme session=s-1 request=r-9 ");
    assertThat(converter.convert(event(Map.of("orgId", "acme", "agentId", "", "other", "x")))).isEqualTo("org=acme ");
    assertThat(converter.convert(event(Map.of()))).isEmpty();
  }

  @Test
  void theTextFormatPutsTheContextBeforeTheMessage() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(("<configuration><include resource=\"logging/text.xml\"/>"
        + "<root level=\"INFO\"><appender-ref ref=\"console\"/></root></configuration>").getBytes(StandardCharsets.UTF_8)));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console =
        (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("console");
    var layout = ((LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>) console.getEncoder()).getLayout();

    LoggingEvent event = event(Map.of("orgId", "acme", "sessionId", "s-1"));
    event.setLoggerContext(context);

    assertThat(layout.doLayout(event)).contains(" INFO  [main] io.layercake.Turns org=acme session=s-1 - Turn 3 answered")
        .endsWith(System.lineSeparator());
    context.stop();
  }

  private static LoggingEvent event(Map<String, String> mdc) {
    LoggingEvent event = new LoggingEvent();
    event.setLevel(Level.INFO);
    event.setLoggerName("io.layercake.Turns");
    event.setThreadName("main");
    event.setMessage("Turn {} answered");
    event.setArgumentArray(new Object[] {3});
    event.setTimeStamp(System.currentTimeMillis());
    event.setMDCPropertyMap(mdc);
    return event;
  }
}
