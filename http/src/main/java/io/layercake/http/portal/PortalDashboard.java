package io.layercake.http.portal;

/**
 * The portal's home: this week's conversations, who answered them, leads, bookings, the hand-offs
 * waiting for a person, and the credits the agent used (read-only: the agency pays).
 */
public record PortalDashboard(String weekOf, long conversations, long answeredByAgent, long answeredByPeople, long leads, long bookings,
    long waitingForAPerson, long creditsThisWeek, long creditsThisMonth) {}
