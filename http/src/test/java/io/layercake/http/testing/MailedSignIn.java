package io.layercake.http.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.layercake.http.testing.HttpTestClient.Response;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * People signed in the way people are: invited by email, the link read from the mail GreenMail
 * received, a session started with it; the client then carries the cookie and the CSRF token.
 */
public final class MailedSignIn {
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/(?:auth|portal/[^/\\s]+/sign-in)/link\\?token=([A-Za-z0-9_-]+)");
  private static final Pattern COOKIE = Pattern.compile("layercake_session=([A-Za-z0-9_-]+)");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final GreenMail smtp;
  private final HttpTestClient anonymous;
  private final ActorSystem<?> system;
  private final Map<HttpTestClient, String> cookies = new java.util.IdentityHashMap<>();

  public MailedSignIn(GreenMail smtp, HttpTestClient anonymous, ActorSystem<?> system) {
    this.smtp = smtp;
    this.anonymous = anonymous;
    this.system = system;
  }

  /** Invites {@code email} with the role into the organization and signs them in through the mailed link. */
  public HttpTestClient invite(HttpTestClient inviter, String email, String role, String orgId) {
    Response invited = inviter.post("/api/v1/invitations",
        "{\"email\":\"" + email + "\",\"role\":\"" + role + "\",\"orgId\":\"" + orgId + "\"}");
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    return signedIn(anonymous.post("/auth/session", "{\"token\":\"" + linkTokenFor(email, "invited") + "\"}"));
  }

  /** A client with the session's cookie and CSRF token. */
  public HttpTestClient signedIn(Response started) {
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    Matcher cookie = COOKIE.matcher(started.header("Set-Cookie").orElseThrow());
    assertThat(cookie.find()).isTrue();
    HttpTestClient person = anonymous.withHeaders(Map.of("Cookie", "layercake_session=" + cookie.group(1),
        "X-CSRF-Token", started.json().path("csrfToken").asText()));
    cookies.put(person, "layercake_session=" + cookie.group(1));
    return person;
  }

  /** The session cookie a client signed in by {@link #signedIn} carries ({@code name=value}), for a browser-like request. */
  public String cookieOf(HttpTestClient person) {
    return cookies.get(person);
  }

  /** The token of the newest link mailed to {@code email} whose subject says {@code kind}, waiting for it to arrive. */
  public String linkTokenFor(String email, String kind) {
    TestProbe<Object> probe = TestProbe.create(system);
    return probe.awaitAssert(WAIT, () -> {
      List<String> tokens = new ArrayList<>();
      for (MimeMessage message : received(email)) {
        if (subject(message).toLowerCase().contains(kind)) {
          Matcher link = LINK.matcher(text(message));
          if (link.find()) {
            tokens.add(link.group(1));
          }
        }
      }
      assertThat(tokens).as("a " + kind + " email to " + email).isNotEmpty();
      return tokens.get(tokens.size() - 1);
    });
  }

  public List<MimeMessage> received(String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
      try {
        return message.getAllRecipients()[0].toString().equals(email);
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  public static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(MimeMessage message) {
    try {
      return message.getContent().toString();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
