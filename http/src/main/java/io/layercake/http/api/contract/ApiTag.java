package io.layercake.http.api.contract;

/** The resources of the API, as the reference groups them. */
public enum ApiTag {
  CONVERSATIONS("Conversations", "Conversations with customers: lists, detail, messages, a person's reply, status changes."),
  INBOX("Inbox", "The team's side of conversations: who looks after one, internal notes, canned replies."),
  APPROVALS("Approvals", "Tool calls an agent asked a person to approve."),
  LEADS("Leads and bookings", "What the agents' tools recorded: leads and booking requests."),
  EVENTS("Events", "The event feed that webhooks deliver, for polling."),
  WEBHOOKS("Webhooks", "Subscriptions to the event feed, signed deliveries and their log."),
  ORGANIZATIONS("Organizations", "An agency's clients (sub-organizations) and their numbers."),
  CREDITS("Credits", "The credit balance, usage and transactions."),
  BILLING("Billing", "Buying credits through Stripe Checkout."),
  KEYS("API keys", "Keys for this API and their scopes."),
  PEOPLE("People", "Who is signed in, the members of an organization and their roles, invitations, sessions, portal tokens."),
  NOTIFICATIONS("Notifications", "What people are told, in the app and by email, push and Pushover: their notifications, choices, and each organization's map of types to channels."),
  DIRECT_MESSAGES("Direct messages", "Messages between people: agency staff and their clients' users, threads with read receipts, each person's rule and blocks."),
  CALENDAR("Calendar", "Each client's availability as data, the appointments its agents and people booked, changes to them, and its .ics feed."),
  CONTACTS("Contacts", "A client's end customers, one per person across channels (the same phone on WhatsApp and SMS, a webchat visitor who left it), with their history, notes and tags; CSV export."),
  INVOICES("Invoices", "Simple invoices a client writes to its customers: its own number series, totals in cents, a PDF, the link sent through the conversation, paid by hand."),
  PORTALS("Portals", "Each client's branded portal as its agency sets it up: address, branding, logo and favicon, custom domains, who of the agency opened it."),
  FEED("Feed and broadcasts", "Each organization's feed (broadcasts, activity, platform messages) with comments and reactions, and broadcasts an agency sends its clients."),
  AGENTS("Agents", "Agents: their configuration, prompts, tools and model."),
  SETUP("Setup", "Setup mode: an interview with the setup agent that writes an agent's configuration and knowledge, a test chat, and connect."),
  KNOWLEDGE("Knowledge", "Documents the agents answer from."),
  CHANNELS("Channels", "Which agent answers on which WhatsApp number, SMS number or webchat key."),
  OUTREACH("Outreach", "WhatsApp message templates (synced from Meta, their status kept by Meta's webhooks) and conversations the "
      + "business starts with one."),
  WEBCHAT("Webchat", "The public API of the webchat widget (no key; a session token per visitor)."),
  REFERENCE("Reference", "This document.");

  private final String title;
  private final String description;

  ApiTag(String title, String description) {
    this.title = title;
    this.description = description;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }
}
