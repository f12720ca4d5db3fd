package io.layercake.runtime.portal;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** What happened in one client's conversations over a period, for its portal's dashboard. */
public interface PortalActivity {

  /**
   * @param conversations conversations with a message in the period
   * @param answeredByAgent replies the agent sent in the period
   * @param answeredByPeople replies people sent in the period
   * @param leads leads captured in the period
   * @param bookings booking requests made in the period
   * @param waitingForAPerson conversations handed to a person now
   */
  record Summary(long conversations, long answeredByAgent, long answeredByPeople, long leads, long bookings, long waitingForAPerson) {}

  CompletionStage<Summary> between(String orgId, Instant from, Instant to);
}
