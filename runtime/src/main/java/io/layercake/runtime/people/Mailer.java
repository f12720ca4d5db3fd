package io.layercake.runtime.people;

/** Hands an email to the mail system. Blocking: called only on the provider dispatcher. */
public interface Mailer {
  void send(String emailId, Outbox.Email email) throws Exception;
}
