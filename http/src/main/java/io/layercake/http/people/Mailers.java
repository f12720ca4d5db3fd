package io.layercake.http.people;

import io.layercake.config.EmailSettings;
import io.layercake.runtime.people.Mailer;
import io.layercake.runtime.people.Outbox;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Properties;

/**
 * The two ways an email leaves: through the configured SMTP server (Jakarta Mail), or, with none
 * configured, as an {@code .eml} file in the data directory's {@code mail/} folder, readable by
 * any mail client. A file appears there only once it is whole.
 */
public final class Mailers {
  private static final String TIMEOUT_MILLIS = "20000";

  private Mailers() {}

  public static Mailer of(EmailSettings settings, Path dataDir) {
    return settings.smtp() ? smtp(settings) : files(settings, dataDir.resolve("mail"));
  }

  static Mailer smtp(EmailSettings settings) {
    Properties properties = new Properties();
    properties.put("mail.transport.protocol", settings.security() == EmailSettings.Security.TLS ? "smtps" : "smtp");
    String prefix = settings.security() == EmailSettings.Security.TLS ? "mail.smtps." : "mail.smtp.";
    properties.put(prefix + "host", settings.host());
    properties.put(prefix + "port", Integer.toString(settings.port()));
    properties.put(prefix + "connectiontimeout", TIMEOUT_MILLIS);
    properties.put(prefix + "timeout", TIMEOUT_MILLIS);
    properties.put(prefix + "writetimeout", TIMEOUT_MILLIS);
    properties.put(prefix + "auth", Boolean.toString(!settings.user().isEmpty()));
    if (settings.security() == EmailSettings.Security.STARTTLS) {
      properties.put("mail.smtp.starttls.enable", "true");
      properties.put("mail.smtp.starttls.required", "true");
    }
    if (settings.security() != EmailSettings.Security.NONE) {
      properties.put(prefix + "ssl.checkserveridentity", "true");
    }
    Session session = Session.getInstance(properties);
    return (emailId, email) -> {
      MimeMessage message = message(session, settings.from(), emailId, email);
      if (settings.user().isEmpty()) {
        Transport.send(message);
      } else {
        Transport.send(message, settings.user(), settings.password().reveal());
      }
    };
  }

  static Mailer files(EmailSettings settings, Path folder) {
    Session session = Session.getInstance(new Properties());
    return (emailId, email) -> {
      Files.createDirectories(folder);
      MimeMessage message = message(session, settings.from(), emailId, email);
      Path target = folder.resolve(emailId + ".eml");
      // Written beside the folder and moved in whole: whoever reads mail/ never sees half an email.
      Path partial = folder.resolveSibling("." + folder.getFileName() + "-" + emailId + ".partial");
      try {
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
          message.writeTo(out);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(partial);
        throw new IOException("could not write " + target + ": " + e.getMessage(), e);
      }
    };
  }

  private static MimeMessage message(Session session, String from, String emailId, Outbox.Email email) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to()));
    message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
    message.setText(email.body(), StandardCharsets.UTF_8.name());
    message.setSentDate(new Date());
    message.setHeader("X-Layercake-Email-Id", emailId);
    message.saveChanges();
    return message;
  }
}
