package io.layercake.http.people;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.EmailSettings;
import io.layercake.runtime.people.Mailer;
import io.layercake.runtime.people.Outbox;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file mailer, the one used when no SMTP server is configured. */
class MailersTest {
  private static final String LAST_LINE = "-- the end of the email";

  @Test
  void anEmailFileIsReadableWithItsWholeBody(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("mail");
    Mailers.files(EmailSettings.FILES, folder).send("email-1", new Outbox.Email("ann@example.com", "Hello", "Hello Ann\n" + LAST_LINE));

    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly("email-1.eml");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(path -> path.getFileName().toString())).as("nothing left beside the folder").containsExactly("mail");
    }
    MimeMessage message = read(folder.resolve("email-1.eml"));
    assertThat(message.getSubject()).isEqualTo("Hello");
    assertThat(message.getContent().toString()).contains("Hello Ann").endsWith(LAST_LINE);
  }

  /** A reader that lists the folder while emails are written (a person's mail client, a test) never gets half of one. */
  @Test
  void aReaderOfTheFolderNeverSeesHalfAnEmail(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("mail");
    Mailer mailer = Mailers.files(EmailSettings.FILES, folder);
    String body = "line of a long email\n".repeat(20_000) + LAST_LINE;
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch readerStarted = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    Thread reader = new Thread(() -> {
      readerStarted.countDown();
      while (writing.get()) {
        seen.addAll(complete(folder));
      }
    }, "mail-folder-reader");
    reader.start();
    readerStarted.await();
    try {
      for (int i = 0; i < 8; i++) {
        mailer.send("email-" + i, new Outbox.Email("ann@example.com", "Long " + i, body));
      }
    } finally {
      writing.set(false);
      reader.join();
    }

    assertThat(seen).as("every file read from the folder").isNotEmpty().allMatch(verdict -> verdict.equals("whole"));
  }

  /** "whole" or "partial" for each file in the folder now. */
  private static List<String> complete(Path folder) {
    List<String> verdicts = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return verdicts;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        verdicts.add(read(file).getContent().toString().endsWith(LAST_LINE) ? "whole" : "partial " + file);
      }
    } catch (Exception e) {
      verdicts.add("unreadable: " + e);
    }
    return verdicts;
  }

  private static MimeMessage read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new MimeMessage(Session.getInstance(new Properties()), in);
    }
  }
}
