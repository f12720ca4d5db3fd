package io.layercake.config;

/**
 * Outgoing email. With no {@code host} (the embedded default) nothing is sent: each email is
 * written as an {@code .eml} file under the data directory's {@code mail/} folder.
 *
 * @param security how the connection is protected: none, STARTTLS, or TLS from the first byte
 * @param from the sender, e.g. {@code Layercake <no-reply@example.com>}
 * @param maxAttempts how often an email is tried before it is reported as failed
 */
public record EmailSettings(String host, int port, Security security, String user, Secret password, String from, int maxAttempts) {
  /** No SMTP server: emails land as files. */
  public static final EmailSettings FILES =
      new EmailSettings("", 25, Security.NONE, "", Secret.of(""), "Layercake <no-reply@layercake.local>", 5);

  public enum Security { NONE, STARTTLS, TLS }

  public boolean smtp() {
    return !host.isBlank();
  }

  @Override
  public String toString() {
    return "EmailSettings[host=" + host + ", port=" + port + ", security=" + security + ", user=" + user + ", password="
        + password + ", from=" + from + ", maxAttempts=" + maxAttempts + "]";
  }
}
