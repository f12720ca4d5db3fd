package io.layercake.http.api.contract;

import static io.layercake.http.api.contract.ApiTag.AGENTS;
import static io.layercake.http.api.contract.ApiTag.APPROVALS;
import static io.layercake.http.api.contract.ApiTag.INBOX;
import static io.layercake.http.api.contract.ApiTag.OUTREACH;
import static io.layercake.http.api.contract.ApiTag.INVOICES;
import static io.layercake.http.api.contract.ApiTag.BILLING;
import static io.layercake.http.api.contract.ApiTag.CALENDAR;
import static io.layercake.http.api.contract.ApiTag.CHANNELS;
import static io.layercake.http.api.contract.ApiTag.CONTACTS;
import static io.layercake.http.api.contract.ApiTag.CONVERSATIONS;
import static io.layercake.http.api.contract.ApiTag.CREDITS;
import static io.layercake.http.api.contract.ApiTag.DIRECT_MESSAGES;
import static io.layercake.http.api.contract.ApiTag.EVENTS;
import static io.layercake.http.api.contract.ApiTag.FEED;
import static io.layercake.http.api.contract.ApiTag.KEYS;
import static io.layercake.http.api.contract.ApiTag.KNOWLEDGE;
import static io.layercake.http.api.contract.ApiTag.LEADS;
import static io.layercake.http.api.contract.ApiTag.NOTIFICATIONS;
import static io.layercake.http.api.contract.ApiTag.ORGANIZATIONS;
import static io.layercake.http.api.contract.ApiTag.PEOPLE;
import static io.layercake.http.api.contract.ApiTag.PORTALS;
import static io.layercake.http.api.contract.ApiTag.REFERENCE;
import static io.layercake.http.api.contract.ApiTag.SETUP;
import static io.layercake.http.api.contract.ApiTag.WEBCHAT;
import static io.layercake.http.api.contract.ApiTag.WEBHOOKS;
import static io.layercake.http.api.contract.OperationSpec.delete;
import static io.layercake.http.api.contract.OperationSpec.get;
import static io.layercake.http.api.contract.OperationSpec.patch;
import static io.layercake.http.api.contract.OperationSpec.post;
import static io.layercake.http.api.contract.OperationSpec.put;
import static io.layercake.http.api.contract.QueryParameter.instant;
import static io.layercake.http.api.contract.QueryParameter.number;
import static io.layercake.http.api.contract.QueryParameter.oneOf;
import static io.layercake.http.api.contract.QueryParameter.required;
import static io.layercake.http.api.contract.QueryParameter.text;

import io.layercake.http.admin.AgentAdminRoutes;
import io.layercake.http.admin.AgentImportRoutes;
import io.layercake.http.admin.BalanceView;
import io.layercake.http.admin.BillingAdminRoutes;
import io.layercake.http.admin.ChannelAdminRoutes;
import io.layercake.http.admin.DocumentAdminRoutes;
import io.layercake.http.api.AgentApiRoutes;
import io.layercake.http.api.ClientOverview;
import io.layercake.http.api.ConversationApiRoutes;
import io.layercake.http.api.CreditApiRoutes;
import io.layercake.http.api.CreditUsageReport;
import io.layercake.http.api.InboxApiRoutes;
import io.layercake.http.api.KeyApiRoutes;
import io.layercake.http.api.OrganizationApiRoutes;
import io.layercake.http.api.PeopleApiRoutes;
import io.layercake.http.api.WebhookApiRoutes;
import io.layercake.http.billing.BillingService;
import io.layercake.http.bookings.BookingApiRoutes;
import io.layercake.http.contacts.ContactApiRoutes;
import io.layercake.http.feed.FeedApiRoutes;
import io.layercake.http.invoices.InvoiceApiRoutes;
import io.layercake.http.messages.DirectMessageApiRoutes;
import io.layercake.http.notifications.HandoffContactApiRoutes;
import io.layercake.http.notifications.NotificationApiRoutes;
import io.layercake.http.notifications.PushApiRoutes;
import io.layercake.http.outreach.OutreachApiRoutes;
import io.layercake.http.outreach.SequenceApiRoutes;
import io.layercake.http.outreach.WhatsAppSignupRoutes;
import io.layercake.http.portal.PortalApiRoutes;
import io.layercake.http.replays.ReplayApiRoutes;
import io.layercake.http.setup.SetupApiRoutes;
import io.layercake.http.setup.SetupConnection;
import io.layercake.http.setup.SetupTestChat;
import io.layercake.http.setup.SetupView;
import io.layercake.http.webchat.WebchatRoutes;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentImports;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.inbox.ConversationNotes;
import io.layercake.runtime.invoices.InvoiceDraft;
import io.layercake.runtime.notify.Webhooks;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every operation of {@code /api/v1}: the one source the routes match requests with, the OpenAPI
 * document is written from, and metrics label requests by. A route answers only through its
 * operation ({@link OperationRoutes}), so nothing is served that is not described here.
 */
public enum ApiOperation {
  LIST_CONVERSATIONS(get(CONVERSATIONS, "/conversations").scope(Scopes.CONVERSATIONS_READ)
      .summary("List conversations, most recent activity first")
      .query(oneOf("status", "Only conversations in this state", "active", "handed_off", "closed"),
          text("channel", "Only this channel: whatsapp, sms or webchat"), text("agentId", "Only this agent's"),
          text("orgId", "Only this sub-organization's (default: the key's organization and all its clients)"),
          instant("from", "Last message at or after"), instant("to", "Last message before"),
          text("q", "Search: in the contact or any message, case-insensitive"),
          text("assignee", "Only those assigned to this user id; `me` for mine, `none` for nobody's"),
          text("cursor", "nextCursor of the previous page"), number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.CONVERSATION_PAGE)
      .answers(200, ConversationApiRoutes.ConversationPage.class).cached()),
  GET_CONVERSATION(get(CONVERSATIONS, "/conversations/{sessionId}").scope(Scopes.CONVERSATIONS_READ)
      .summary("One conversation with its live state").answerExample(AnswerExamples.CONVERSATION_DETAIL)
      .answers(200, ConversationApiRoutes.ConversationDetail.class).cached()),
  CHANGE_CONVERSATION(patch(CONVERSATIONS, "/conversations/{sessionId}").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Close, reopen, hand off to a person or hand back to the agent")
      .description("Closing with `outcome` `success` marks a conversation that went well: the client's review request follows "
          + "(when set); closing one without a booking starts the agent's `closed_without_booking` sequences.")
      .body(ConversationApiRoutes.ChangeBody.class)
      .example("{\"action\": \"hand_off\", \"reason\": \"The customer asked for a person\"}").answerExample(AnswerExamples.CHANGED)
      .answers(200, SessionReply.Done.class).errors(409)),
  LIST_MESSAGES(get(CONVERSATIONS, "/conversations/{sessionId}/messages").scope(Scopes.CONVERSATIONS_READ)
      .summary("Messages of a conversation, newest page first or reading forward")
      .description("Without `after`: the latest messages (before `before` when given), `hasMore` and `nextBefore` to page back. "
          + "With `after`: the messages after that sequence, oldest first, and `nextAfter` to read on.")
      .query(number("after", "Read forward from this sequence"), number("before", "Page back from this sequence"),
          number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.MESSAGE_PAGE)
      .answers(200, ConversationApiRoutes.MessagePage.class)),
  SEND_MESSAGE(post(CONVERSATIONS, "/conversations/{sessionId}/messages").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Send a person's message to the customer (takes the conversation over)")
      .description("`text`, or on WhatsApp a `template` (`{name, language, parameters}`, synced and approved): once WhatsApp's "
          + "24-hour window has closed, free text is refused at once with 409 `window_closed` and only a template goes.")
      .body(ConversationApiRoutes.MessageBody.class).idempotent()
      .example("{\"text\": \"Hi Anna, Tom here from Schmidt Sanitär. I can come by on Thursday at 10.\", \"author\": \"Tom\"}").answerExample(AnswerExamples.SENT)
      .answers(202, SessionReply.Done.class).errors(409)),
  GET_CONVERSATION_TIMELINE(get(CONVERSATIONS, "/conversations/{sessionId}/timeline").scope(Scopes.CONVERSATIONS_READ)
      .summary("What happened in a conversation and why, from its journal")
      .answerExample(AnswerExamples.TIMELINE)
      .answers(200, ConversationApiRoutes.Timeline.class)),
  ASSIGN_CONVERSATION(put(INBOX, "/conversations/{sessionId}/assignee").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Give a conversation to a teammate (a member who can work it), or to nobody")
      .body(InboxApiRoutes.AssigneeBody.class)
      .example("{\"userId\": \"u_5e0c1f2a3b4d6e7f\"}").answerExample(AnswerExamples.ASSIGNEE)
      .answers(200, InboxApiRoutes.AssigneeView.class)),
  LIST_NOTES(get(INBOX, "/conversations/{sessionId}/notes").scope(Scopes.CONVERSATIONS_READ)
      .summary("The team's internal notes on a conversation, oldest first").answerExample(AnswerExamples.NOTES)
      .answers(200, InboxApiRoutes.NoteList.class)),
  ADD_NOTE(post(INBOX, "/conversations/{sessionId}/notes").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Add an internal note: for the team only, never sent to the customer or shown to the agent")
      .body(InboxApiRoutes.NoteBody.class).idempotent()
      .example("{\"text\": \"Called her back: she prefers mornings.\"}").answerExample(AnswerExamples.NOTE)
      .answers(201, ConversationNotes.Note.class)),
  LIST_CANNED_REPLIES(get(INBOX, "/canned-replies").scope(Scopes.CONVERSATIONS_READ)
      .summary("Replies kept ready: the organization's and its agency's, by title").answerExample(AnswerExamples.CANNED_REPLIES)
      .answers(200, InboxApiRoutes.CannedReplyList.class)),
  CREATE_CANNED_REPLY(post(INBOX, "/canned-replies").scope(Scopes.CONVERSATIONS_WRITE).summary("Keep a reply ready")
      .body(InboxApiRoutes.CannedReplyBody.class).idempotent()
      .example("{\"title\": \"Call-out price\", \"text\": \"A call-out is EUR 65, the first half hour included.\"}")
      .answerExample(AnswerExamples.CANNED_REPLY).answers(201, CannedReplies.CannedReply.class)),
  DELETE_CANNED_REPLY(delete(INBOX, "/canned-replies/{replyId}").scope(Scopes.CONVERSATIONS_WRITE).summary("Delete a canned reply")
      .answerExample(AnswerExamples.CANNED_REPLY_DELETED).answers(200, InboxApiRoutes.Deleted.class)),
  LIST_APPROVALS(get(APPROVALS, "/approvals").scope(Scopes.CONVERSATIONS_READ).summary("Tool calls waiting for a person")
      .query(oneOf("status", "Default pending", "pending", "approved", "rejected", "expired", "cancelled"),
          text("cursor", "nextCursor of the previous page"), number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.APPROVALS)
      .answers(200, ConversationApiRoutes.ApprovalList.class)),
  APPROVE_TOOL_CALL(post(APPROVALS, "/approvals/{approvalId}/approve").scope(Scopes.APPROVALS_WRITE)
      .summary("Approve a tool call; the agent carries it out").answerExample(AnswerExamples.CHANGED)
      .answers(200, SessionReply.Done.class).errors(409)),
  REJECT_TOOL_CALL(post(APPROVALS, "/approvals/{approvalId}/reject").scope(Scopes.APPROVALS_WRITE)
      .summary("Reject a tool call; the agent is told").answerExample(AnswerExamples.CHANGED)
      .answers(200, SessionReply.Done.class).errors(409)),
  LIST_LEADS(get(LEADS, "/leads").scope(Scopes.CONVERSATIONS_READ).summary("Leads the agents recorded, newest first")
      .query(text("cursor", "nextCursor of the previous page"), number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.LEADS)
      .answers(200, ConversationApiRoutes.LeadList.class)),
  LIST_BOOKING_REQUESTS(get(LEADS, "/booking-requests").scope(Scopes.CONVERSATIONS_READ)
      .summary("Booking requests the agents recorded, newest first")
      .query(text("cursor", "nextCursor of the previous page"), number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.BOOKING_REQUESTS)
      .answers(200, ConversationApiRoutes.BookingRequestList.class)),
  ACCEPT_BOOKING(post(LEADS, "/booking-requests/{bookingId}/accept").scope(Scopes.APPROVALS_WRITE)
      .summary("Accept a booking request (again: the same answer; after a decline: 409)")
      .answerExample(AnswerExamples.BOOKING_DECIDED).answers(200, ConversationListing.BookingRequest.class).errors(409)),
  DECLINE_BOOKING(post(LEADS, "/booking-requests/{bookingId}/decline").scope(Scopes.APPROVALS_WRITE)
      .summary("Decline a booking request (again: the same answer; after an accept: 409)")
      .answerExample(AnswerExamples.BOOKING_DECIDED.replace("accepted", "declined"))
      .answers(200, ConversationListing.BookingRequest.class).errors(409)),
  LIST_EVENTS(get(EVENTS, "/events").scope(Scopes.CONVERSATIONS_READ).summary("The event feed, oldest first")
      .query(number("after", "nextCursor of the previous page (default: from the start)"))
      .answerExample(AnswerExamples.EVENTS)
      .answers(200, WebhookApiRoutes.EventPage.class)),
  LIST_WEBHOOKS(get(WEBHOOKS, "/webhooks").scope(Scopes.WEBHOOKS_WRITE).summary("Webhook subscriptions")
      .answerExample(AnswerExamples.WEBHOOKS)
      .answers(200, WebhookApiRoutes.WebhookList.class)),
  CREATE_WEBHOOK(post(WEBHOOKS, "/webhooks").scope(Scopes.WEBHOOKS_WRITE)
      .summary("Subscribe a URL to events; the signing secret is shown once")
      .body(WebhookApiRoutes.SubscriptionBody.class).idempotent()
      .example("{\"url\": \"https://crm.example.com/hooks/layercake\", \"eventTypes\": [\"conversation.handed_off\", \"message.received\"]}").answerExample(AnswerExamples.WEBHOOK_CREATED)
      .answers(201, Webhooks.Subscription.class)),
  DELETE_WEBHOOK(delete(WEBHOOKS, "/webhooks/{subscriptionId}").scope(Scopes.WEBHOOKS_WRITE).summary("Unsubscribe")
      .answerExample(AnswerExamples.WEBHOOK_DELETED)
      .answers(200, WebhookApiRoutes.Deleted.class)),
  SEND_TEST_WEBHOOK(post(WEBHOOKS, "/webhooks/{subscriptionId}/test").scope(Scopes.WEBHOOKS_WRITE)
      .summary("Send a signed test event (type `webhook.test`) to this subscription only; it shows in its deliveries")
      .answerExample(AnswerExamples.WEBHOOK_TEST).answers(202, WebhookApiRoutes.TestQueued.class)),
  LIST_WEBHOOK_DELIVERIES(get(WEBHOOKS, "/webhooks/{subscriptionId}/deliveries").scope(Scopes.WEBHOOKS_WRITE)
      .summary("The latest deliveries of a subscription and how they went").answerExample(AnswerExamples.DELIVERIES)
      .answers(200, WebhookApiRoutes.DeliveryList.class)),
  LIST_CLIENTS(get(ORGANIZATIONS, "/organizations/children").scope(Scopes.ORGANIZATIONS_READ)
      .summary("The agency's clients with this month's numbers").answerExample(AnswerExamples.CLIENTS)
      .answers(200, OrganizationApiRoutes.ClientList.class)),
  CREATE_CLIENT(post(ORGANIZATIONS, "/organizations/children").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Create a client (a sub-organization drawing on the agency's credits)")
      .body(OrganizationApiRoutes.ChildBody.class).idempotent()
      .example("{\"id\": \"schmidt-sanitaer\", \"name\": \"Schmidt Sanitär\"}").answerExample(AnswerExamples.CLIENT_CREATED)
      .answers(201, OrgEntity.Summary.class).errors(409)),
  GET_CLIENT(get(ORGANIZATIONS, "/organizations/children/{childId}").scope(Scopes.ORGANIZATIONS_READ)
      .summary("One client with this month's numbers").answerExample(AnswerExamples.CLIENT_VIEW)
      .answers(200, ClientOverview.ClientView.class)),
  RENAME_CLIENT(patch(ORGANIZATIONS, "/organizations/children/{childId}").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Rename a client").body(OrganizationApiRoutes.ChildBody.class)
      .example("{\"name\": \"Schmidt Sanitär GmbH\"}").answerExample(AnswerExamples.CLIENT_VIEW)
      .answers(200, ClientOverview.ClientView.class)),
  GET_AVAILABILITY(get(CALENDAR, "/availability").scope(Scopes.BOOKINGS_READ)
      .summary("When the organization takes appointments: opening hours, slots, buffer, closed days, services, notice, reminders")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .answerExample(AnswerExamples.AVAILABILITY).answers(200, BookingApiRoutes.AvailabilityView.class).errors(404)),
  SET_AVAILABILITY(put(CALENDAR, "/availability").scope(Scopes.BOOKINGS_WRITE)
      .summary("Set when the organization takes appointments; the agent's book_appointment books into its free slots from then on")
      .description("`hours` per weekday as `HH:MM-HH:MM` ranges in `timeZone`; a slot starts on the grid (each range's start plus "
          + "whole `slotMinutes`), fits the service's duration (`services`, else `defaultServiceMinutes`) before the range closes, keeps "
          + "`bufferMinutes` free around other appointments, is at least `minNoticeMinutes` ahead and within `horizonDays`. "
          + "`reminderHoursBefore` (0: none): the customer is reminded through the conversation's channel.")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(io.layercake.runtime.bookings.Availability.class)
      .example("{\"timeZone\": \"Europe/Berlin\", \"hours\": {\"monday\": [\"08:00-12:00\", \"13:00-17:00\"], "
          + "\"tuesday\": [\"08:00-12:00\", \"13:00-17:00\"]}, \"slotMinutes\": 30, \"bufferMinutes\": 15, "
          + "\"closedDates\": [\"2026-12-24\"], \"services\": {\"Boiler service\": 60}, \"defaultServiceMinutes\": 30, "
          + "\"minNoticeMinutes\": 120, \"horizonDays\": 60, \"reminderHoursBefore\": 24}")
      .answerExample(AnswerExamples.AVAILABILITY).answers(200, BookingApiRoutes.AvailabilityView.class).errors(404)),
  LIST_APPOINTMENTS(get(CALENDAR, "/appointments").scope(Scopes.BOOKINGS_READ)
      .summary("Appointments overlapping a period (default: a week from the start of today, UTC; at most 92 days), earliest first")
      .query(text("orgId", "A client's id (default: the caller's organization)"), instant("from", "Start of the period"),
          instant("to", "End of the period"))
      .answerExample(AnswerExamples.APPOINTMENTS).answers(200, BookingApiRoutes.AppointmentList.class).errors(404)),
  CHANGE_APPOINTMENT(patch(CALENDAR, "/appointments/{bookingId}").scope(Scopes.BOOKINGS_WRITE)
      .summary("Confirm, decline, cancel or move an appointment; its conversation's reminder follows")
      .body(BookingApiRoutes.AppointmentChange.class).example("{\"action\": \"reschedule\", \"time\": \"2026-12-08 14:00\"}")
      .answerExample(AnswerExamples.APPOINTMENT).answers(200, BookingApiRoutes.AppointmentView.class).errors(409)),
  CREATE_CALENDAR_FEED(post(CALENDAR, "/calendar-feed").scope(Scopes.BOOKINGS_WRITE)
      .summary("A new .ics feed URL of the organization's appointments for calendar apps (shown once; the previous one stops)")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .answerExample(AnswerExamples.CALENDAR_FEED).answers(201, BookingApiRoutes.CalendarFeed.class).errors(404)),
  LIST_CONTACTS(get(CONTACTS, "/contacts").scope(Scopes.CONVERSATIONS_READ)
      .summary("The organization's contacts, most recently seen first, put together from conversations, leads and appointments")
      .query(text("orgId", "A client's id (default: the caller's organization)"), text("q", "Part of a name, phone, email or key, or a tag"))
      .answerExample(AnswerExamples.CONTACTS).answers(200, ContactApiRoutes.ContactList.class).errors(404)),
  EXPORT_CONTACTS(get(CONTACTS, "/contacts.csv").scope(Scopes.CONVERSATIONS_READ).summary("Every contact as CSV")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .answersStream("text/csv").answers(200, ContactApiRoutes.ContactList.class).errors(404)),
  GET_CONTACT(get(CONTACTS, "/contacts/{key}").scope(Scopes.CONVERSATIONS_READ)
      .summary("One contact with its conversations on every channel, leads, appointments, notes and tags")
      .description("`key` is the contact's phone (`+31612345678`), else its email, else its one conversation's contact "
          + "(`webchat:v_1a2b`); URL-encode it.")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .answerExample(AnswerExamples.CONTACT).answers(200, io.layercake.runtime.contacts.Contact.class)),
  ADD_CONTACT_NOTE(post(CONTACTS, "/contacts/{key}/notes").scope(Scopes.CONVERSATIONS_WRITE).summary("Add a note to a contact")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(ContactApiRoutes.NoteBody.class).example("{\"text\": \"Prefers a call after 5 pm.\"}")
      .answerExample(AnswerExamples.CONTACT).answers(201, io.layercake.runtime.contacts.Contact.class)),
  SET_CONTACT_TAGS(put(CONTACTS, "/contacts/{key}/tags").scope(Scopes.CONVERSATIONS_WRITE).summary("Replace a contact's tags")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(ContactApiRoutes.TagsBody.class).example("{\"tags\": [\"regular\", \"boiler\"]}")
      .answerExample(AnswerExamples.CONTACT).answers(200, io.layercake.runtime.contacts.Contact.class)),
  LIST_INVOICES(get(INVOICES, "/invoices").scope(Scopes.INVOICES_READ).summary("The organization's invoices, newest number first")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .answerExample(AnswerExamples.INVOICES).answers(200, InvoiceApiRoutes.InvoiceList.class).errors(404)),
  CREATE_INVOICE(post(INVOICES, "/invoices").scope(Scopes.INVOICES_WRITE)
      .summary("Write an invoice (a draft): the next number of the organization's series, totals worked out in cents")
      .description("Lines are whole quantities at `unitCents` each; VAT is `vatRateBasisPoints` (1900 = 19 %) of the subtotal, "
          + "rounded half up to the cent. `sessionId` names the conversation its link is sent through. Payment is not collected: "
          + "a person marks it paid.")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(InvoiceDraft.class).idempotent()
      .example("{\"contactName\": \"Jana Krüger\", \"contactKey\": \"+491511234567\", \"sessionId\": \"s_9f2c4e1a\", "
          + "\"currency\": \"EUR\", \"vatRateBasisPoints\": 1900, \"lines\": [{\"description\": \"Boiler service\", "
          + "\"quantity\": 1, \"unitCents\": 8900}, {\"description\": \"Seal kit\", \"quantity\": 2, \"unitCents\": 450}]}")
      .answerExample(AnswerExamples.INVOICE).answers(201, InvoiceApiRoutes.InvoiceView.class).errors(404)),
  GET_INVOICE(get(INVOICES, "/invoices/{invoiceId}").scope(Scopes.INVOICES_READ).summary("One invoice")
      .answerExample(AnswerExamples.INVOICE).answers(200, InvoiceApiRoutes.InvoiceView.class)),
  GET_INVOICE_PDF(get(INVOICES, "/invoices/{invoiceId}/pdf").scope(Scopes.INVOICES_READ).summary("The invoice as a PDF")
      .answersStream("application/pdf").answers(200, InvoiceApiRoutes.InvoiceView.class)),
  CHANGE_INVOICE(patch(INVOICES, "/invoices/{invoiceId}").scope(Scopes.INVOICES_WRITE)
      .summary("Send an invoice's link through its conversation, mark it paid, or void it")
      .description("`send` writes the link to the customer as a person's message (a person then has the conversation); a draft "
          + "or sent invoice may be marked paid; anything but a paid invoice may be voided; anything else is 409.")
      .body(InvoiceApiRoutes.InvoiceChange.class).example("{\"action\": \"mark_paid\"}")
      .answerExample(AnswerExamples.INVOICE).answers(200, InvoiceApiRoutes.InvoiceView.class).errors(409)),
  GET_CLIENT_PORTAL(get(PORTALS, "/organizations/children/{childId}/portal").scope(Scopes.ORGANIZATIONS_READ)
      .summary("A client's portal: its address, branding, images, custom domains and who of the agency opened it")
      .answerExample(AnswerExamples.PORTAL).answers(200, PortalApiRoutes.PortalView.class)),
  UPDATE_CLIENT_PORTAL(put(PORTALS, "/organizations/children/{childId}/portal").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Change a client's portal: slug, open or closed, name, colours, support contact, the \"powered by\" line")
      .description("Fields left out keep their value. `poweredBy: false` (white label) needs the agency to be on one of the "
          + "white-label tiers (`LAYERCAKE_PORTAL_WHITE_LABEL_TIERS`), else 403 `tier_required`; a slug another portal has is 409.")
      .body(PortalApiRoutes.PortalBody.class)
      .example("{\"slug\": \"schmidt\", \"enabled\": true, \"name\": \"Schmidt Sanitär\", \"primaryColor\": \"#0b3d91\", "
          + "\"accentColor\": \"#ffb000\", \"supportEmail\": \"service@schmidt-sanitaer.de\", \"supportPhone\": \"+49 221 123456\", "
          + "\"poweredBy\": false}")
      .answerExample(AnswerExamples.PORTAL).answers(200, PortalApiRoutes.PortalView.class).errors(403, 409)),
  UPLOAD_PORTAL_IMAGE(put(PORTALS, "/organizations/children/{childId}/portal/{kind}").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Upload a client portal's `logo` or `favicon`: the image itself as the body")
      .description("PNG, JPEG or WebP (a favicon may also be ICO), recognised from the bytes; SVG is refused. At most "
          + "`LAYERCAKE_PORTAL_MAX_LOGO_BYTES` / `LAYERCAKE_PORTAL_MAX_FAVICON_BYTES` (413). Served at the portal with an ETag and "
          + "a day's caching; the URL changes with the image.")
      .binaryBody("image/png", "image/jpeg", "image/webp", "image/x-icon")
      .answerExample(AnswerExamples.PORTAL_IMAGE).answers(200, PortalApiRoutes.ImageSaved.class).errors(404, 413, 415)),
  ADD_PORTAL_DOMAIN(post(PORTALS, "/organizations/children/{childId}/portal/domains").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Add a custom domain to a client's portal: answers the DNS TXT record to publish")
      .description("Publish `recordValue` as a TXT record at `recordName`, point the host at a reverse proxy in front of "
          + "Layercake (deploy/portal-domains), then ask for the verification. A host another portal has is 409.")
      .body(PortalApiRoutes.DomainBody.class).example("{\"host\": \"portal.schmidt-sanitaer.de\"}")
      .answerExample(AnswerExamples.PORTAL_DOMAIN).answers(201, PortalApiRoutes.DomainView.class).errors(409)),
  VERIFY_PORTAL_DOMAIN(post(PORTALS, "/organizations/children/{childId}/portal/domains/{host}/verification")
      .scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Look for the domain's TXT record now: verified once seen (then the host serves the portal), else the problem")
      .answerExample(AnswerExamples.PORTAL_DOMAIN).answers(200, PortalApiRoutes.DomainView.class)),
  REMOVE_PORTAL_DOMAIN(delete(PORTALS, "/organizations/children/{childId}/portal/domains/{host}").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Remove a custom domain: the host stops serving the portal")
      .answerExample(AnswerExamples.PORTAL_DOMAIN_REMOVED).answers(200, PortalApiRoutes.DomainRemoved.class)),
  GET_CREDITS(get(CREDITS, "/credits").scope(Scopes.CREDITS_READ)
      .summary("The balance by bucket: reserved, available, low").answerExample(AnswerExamples.CREDITS)
      .answers(200, BalanceView.class)),
  GET_CREDIT_USAGE(get(CREDITS, "/credits/usage").scope(Scopes.CREDITS_READ).summary("Credits used, grouped")
      .query(oneOf("groupBy", "Default agent", "agent", "sub_org", "day"), instant("from", "Default: start of this month (UTC)"),
          instant("to", "Default: now"))
      .answerExample(AnswerExamples.USAGE)
      .answers(200, CreditUsageReport.CreditUsage.class)),
  LIST_CREDIT_TRANSACTIONS(get(CREDITS, "/credits/transactions").scope(Scopes.CREDITS_READ)
      .summary("Credit transactions, newest first")
      .query(number("before", "nextBefore of the previous page"), number("limit", "Page size, 1 to 500 (default 100)"))
      .answerExample(AnswerExamples.TRANSACTIONS)
      .answers(200, CreditApiRoutes.TransactionPage.class)),
  START_CHECKOUT(post(BILLING, "/billing/checkout").scope(Scopes.BILLING_WRITE)
      .summary("Start a Stripe Checkout for a credit pack or a plan").body(BillingService.CheckoutRequest.class)
      .idempotent()
      .example("{\"kind\": \"credit_pack\", \"pack\": \"pack-500\"}").answerExample(AnswerExamples.CHECKOUT)
      .answers(200, BillingAdminRoutes.CheckoutView.class).errors(502)),
  LIST_API_KEYS(get(KEYS, "/api-keys").scope(Scopes.KEYS_WRITE).summary("The organization's API keys (never the secret)")
      .answerExample(AnswerExamples.KEYS)
      .answers(200, KeyApiRoutes.ApiKeyList.class)),
  CREATE_API_KEY(post(KEYS, "/api-keys").scope(Scopes.KEYS_WRITE)
      .summary("Create a key with at most the caller's scopes; the key is shown once")
      .body(KeyApiRoutes.KeyBody.class).idempotent()
      .example("{\"name\": \"dashboard\", \"scopes\": [\"conversations:read\", \"credits:read\"]}").answerExample(AnswerExamples.KEY_CREATED)
      .answers(201, ApiKeys.Created.class)),
  REVOKE_API_KEY(delete(KEYS, "/api-keys/{keyId}").scope(Scopes.KEYS_WRITE).summary("Revoke a key")
      .answerExample(AnswerExamples.KEY_REVOKED)
      .answers(200, KeyApiRoutes.Revoked.class)),
  GET_ME(get(PEOPLE, "/me").anyCaller().summary("The person signed in: who, where they act, with which role, and where else they may")
      .description("For people only (a session cookie or a portal token); `csrfToken` goes into `X-CSRF-Token` on every change made "
          + "with the cookie, and an `orgId` of `organizations` into `Layercake-Organization` to act there.")
      .answerExample(AnswerExamples.ME).answers(200, PeopleApiRoutes.Me.class)),
  LIST_USERS(get(PEOPLE, "/users").scope(Scopes.MEMBERS_READ).summary("The members of the organization or of one client, with roles")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.USERS)
      .answers(200, PeopleApiRoutes.MemberList.class).errors(404)),
  CHANGE_USER_ROLE(patch(PEOPLE, "/users/{userId}").scope(Scopes.MEMBERS_WRITE).summary("Give a member another role")
      .query(text("orgId", "A client's id (default: the caller's organization)")).body(PeopleApiRoutes.RoleBody.class)
      .example("{\"role\": \"client_member\"}").answerExample(AnswerExamples.USER)
      .answers(200, PeopleApiRoutes.MemberView.class).errors(409)),
  REMOVE_USER(delete(PEOPLE, "/users/{userId}").scope(Scopes.MEMBERS_WRITE)
      .summary("Remove a member from the organization; their sessions end")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.USER_REMOVED)
      .answers(200, PeopleApiRoutes.Removed.class).errors(409)),
  LIST_INVITATIONS(get(PEOPLE, "/invitations").scope(Scopes.MEMBERS_READ).summary("Invitations of the organization or of one client")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.INVITATIONS)
      .answers(200, PeopleApiRoutes.InvitationList.class).errors(404)),
  CREATE_INVITATION(post(PEOPLE, "/invitations").scope(Scopes.MEMBERS_WRITE)
      .summary("Invite someone by email with a role; the emailed link signs them in and makes them a member")
      .body(PeopleApiRoutes.InvitationBody.class).idempotent()
      .example("{\"email\": \"hans@schmidt-sanitaer.de\", \"role\": \"client_owner\", \"orgId\": \"schmidt-sanitaer\"}")
      .answerExample(AnswerExamples.INVITATION).answers(201, PeopleApiRoutes.InvitationView.class).errors(404)),
  REVOKE_INVITATION(delete(PEOPLE, "/invitations/{invitationId}").scope(Scopes.MEMBERS_WRITE).summary("Revoke a pending invitation")
      .answerExample(AnswerExamples.INVITATION_REVOKED).answers(200, PeopleApiRoutes.InvitationView.class).errors(409)),
  LIST_SESSIONS(get(PEOPLE, "/sessions").anyCaller().summary("My signed-in sessions (browsers), the current one marked")
      .answerExample(AnswerExamples.SESSIONS).answers(200, PeopleApiRoutes.SessionList.class)),
  REVOKE_ALL_SESSIONS(delete(PEOPLE, "/sessions").anyCaller().summary("Sign out everywhere: end all my sessions, this one too")
      .answerExample(AnswerExamples.SESSIONS_ENDED).answers(200, PeopleApiRoutes.SessionsEnded.class)),
  REVOKE_SESSION(delete(PEOPLE, "/sessions/{sessionId}").anyCaller().summary("End one of my sessions")
      .answerExample(AnswerExamples.SESSION_ENDED).answers(200, PeopleApiRoutes.SessionsEnded.class)),
  ISSUE_PORTAL_TOKEN(post(PEOPLE, "/auth/token").scope(Scopes.MEMBERS_WRITE)
      .summary("A short-lived token for an agency's own client portal: one client user, that user's role")
      .description("Signed ES256 with a key published at `/.well-known/jwks.json`; claims `sub` (the user), `org`, `role`, `exp`. "
          + "Send it as `Authorization: Bearer <token>`: it has the rights of the user's client role while the membership lasts.")
      .body(PeopleApiRoutes.TokenBody.class)
      .example("{\"orgId\": \"schmidt-sanitaer\", \"userId\": \"u_5e0c1f2a3b4d6e7f\"}")
      .answerExample(AnswerExamples.PORTAL_TOKEN).answers(201, PeopleApiRoutes.PortalToken.class).errors(404)),
  LIST_AGENTS(get(AGENTS, "/agents").scope(Scopes.AGENTS_READ).summary("Agents of the organization or of one client")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.AGENTS)
      .answers(200, AgentApiRoutes.AgentList.class).errors(404)),
  CREATE_AGENT(post(AGENTS, "/agents").scope(Scopes.AGENTS_WRITE).summary("Create an agent")
      .body(AgentAdminRoutes.AgentBody.class).idempotent()
      .example("{\"agentId\": \"schmidt-bot\", \"orgId\": \"schmidt-sanitaer\", \"name\": \"Schmidt Sanitär assistant\", \"persona\": \"You answer for a family plumbing business in Cologne.\", \"faq\": [{\"question\": \"Do you work weekends?\", \"answer\": \"Emergencies only, with a EUR 40 surcharge.\"}], \"tools\": [\"capture_lead\", \"book_appointment\"], \"autonomy\": \"autonomous\", \"knowledgeTags\": [\"plumbing\"], \"greeting\": \"Hello! How can we help?\"}").answerExample(AnswerExamples.AGENT_VIEW)
      .answers(201, AgentEntity.Agent.class).errors(409)),
  IMPORT_AGENT(post(AGENTS, "/agents/imports").scope(Scopes.AGENTS_WRITE)
      .summary("Import an agent bundle (agent-config.json: the agent, its documents, its channels) into the organization")
      .description("Checked against the JSON Schema at `/schemas/agent-config.json` before anything is created. Importing the same "
          + "`bundleId` again changes nothing and answers 200.")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(AgentImportRoutes.BundleBody.class)
      .example("{\"bundleId\": \"schmidt-v1\", \"agent\": {\"agentId\": \"schmidt-bot\", \"name\": \"Schmidt Sanitär\", "
          + "\"greeting\": \"Hello! How can we help?\"}, \"documents\": [], \"channelBindings\": []}")
      .answerExample(AnswerExamples.AGENT_IMPORTED).answers(201, AgentImports.ImportResult.class).alsoAnswers(200).errors(404, 409)),
  LIST_SETUPS(get(SETUP, "/setups").scope(Scopes.AGENTS_READ)
      .summary("Setup interviews started, newest first, with the agent each one connected")
      .query(text("orgId", "One organization (default: the caller's and its clients')"))
      .answerExample(AnswerExamples.SETUPS).answers(200, SetupApiRoutes.SetupList.class).errors(404)),
  START_SETUP(post(SETUP, "/setups").scope(Scopes.AGENTS_WRITE)
      .summary("Start a setup interview for the organization or one of its clients; the setup agent asks the first question")
      .description("`provider` `local` (the default) runs the built-in guided interview, without keys; `openai` or `anthropic` let "
          + "that model lead with the same file tools. Setup turns cost the catalog's `ai-reply` credits like any turn.")
      .query(text("orgId", "A client's id (default: the caller's organization)"))
      .body(SetupApiRoutes.StartBody.class).example("{\"provider\": \"local\"}")
      .answerExample(AnswerExamples.SETUP).answers(201, SetupView.class).errors(404)),
  GET_SETUP(get(SETUP, "/setups/{setupId}").scope(Scopes.AGENTS_READ)
      .summary("A setup: the interview, every file as it is now, what the schema says about agent-config.json, the last connect")
      .answerExample(AnswerExamples.SETUP).answers(200, SetupView.class)),
  SAY_TO_SETUP(post(SETUP, "/setups/{setupId}/messages").scope(Scopes.AGENTS_WRITE)
      .summary("Answer the setup agent (or correct it: \"actually we close at 5\"); answers once it replied and wrote its files")
      .body(SetupApiRoutes.MessageBody.class).example("{\"text\": \"Schmidt Sanitär\"}")
      .answerExample(AnswerExamples.SETUP).answers(200, SetupView.class).errors(403, 409)),
  EDIT_SETUP_FILE(put(SETUP, "/setups/{setupId}/files").scope(Scopes.AGENTS_WRITE)
      .summary("Write a setup file by hand (a new version; the setup agent reads it on its next turn)")
      .body(SetupApiRoutes.FileBody.class)
      .example("{\"path\": \"kb/hours-and-area.md\", \"content\": \"# Opening hours and area\\n\\nMonday to Friday 8:00 to 17:00.\"}")
      .answerExample(AnswerExamples.SETUP).answers(200, SetupView.class).errors(403)),
  LIST_SETUP_FILE_VERSIONS(get(SETUP, "/setups/{setupId}/file-versions").scope(Scopes.AGENTS_READ)
      .summary("Every version of one setup file, oldest first, with who wrote it (the setup agent or a person)")
      .query(required("path", "The file, for example kb/faq.md"))
      .answerExample(AnswerExamples.SETUP_FILE_VERSIONS).answers(200, SetupView.Versions.class)),
  TEST_SETUP(post(SETUP, "/setups/{setupId}/test-chat").scope(Scopes.AGENTS_WRITE)
      .summary("Write to the agent the setup generated, before connecting: the production turn on the test channel")
      .description("The files are imported as the setup's test agent (`draft-{setupId}`, its documents private to it) and the "
          + "message goes through the same turn as a customer's: knowledge, tools, approvals. A test turn costs the catalog's "
          + "`ai-reply` credits like any turn. Answers the reply, or what waits for a person's approval.")
      .body(SetupApiRoutes.TestMessageBody.class).example("{\"text\": \"How much is a callout?\"}")
      .answerExample(AnswerExamples.SETUP_TEST_CHAT).answers(200, SetupTestChat.TestTurn.class).errors(409)),
  CONNECT_SETUP(post(SETUP, "/setups/{setupId}/connection").scope(Scopes.AGENTS_WRITE)
      .summary("Create or update the agent from the setup's files, save its documents, bind its channels")
      .description("Checked against the schema first. Connecting again without changes answers 200 and changes nothing; after "
          + "an edit the agent gets a new version, the new documents replace the previous connect's.")
      .answerExample(AnswerExamples.SETUP_CONNECTED).answers(201, SetupConnection.Connected.class).alsoAnswers(200)
      .errors(403, 409)),
  LIST_NOTIFICATIONS(get(NOTIFICATIONS, "/notifications").anyCaller().summary("My notifications, newest first, with the unread count")
      .description("For people only (a session cookie or a portal token): an API key has no notifications (403). A burst of one type "
          + "within a minute is one notification: `occurrences` counts it and the title sums it up.")
      .query(oneOf("unread", "true: only the unread ones", "true", "false"), text("cursor", "nextCursor of the previous page"),
          number("limit", "Page size, 1 to 100 (default 50)"))
      .answerExample(AnswerExamples.NOTIFICATIONS).answers(200, NotificationApiRoutes.NotificationList.class)),
  MARK_ALL_NOTIFICATIONS_READ(post(NOTIFICATIONS, "/notifications/read").anyCaller().summary("Mark all my notifications read")
      .answerExample(AnswerExamples.NOTIFICATIONS_READ).answers(200, NotificationApiRoutes.MarkedRead.class)),
  GET_NOTIFICATION(get(NOTIFICATIONS, "/notifications/{notificationId}").anyCaller()
      .summary("One of my notifications, with how each channel fared (\"sent by email 10:02\", \"pushover failed: ...\")")
      .answerExample(AnswerExamples.NOTIFICATION).answers(200, NotificationApiRoutes.NotificationView.class)),
  MARK_NOTIFICATION_READ(post(NOTIFICATIONS, "/notifications/{notificationId}/read").anyCaller().summary("Mark one notification read")
      .answerExample(AnswerExamples.NOTIFICATION_READ).answers(200, NotificationApiRoutes.MarkedRead.class)),
  STREAM_NOTIFICATION_EVENTS(get(NOTIFICATIONS, "/notification-events").anyCaller()
      .summary("My unread count, live: event `notifications` with `{\"unread\": n}` at once and on every change")
      .answersStream("text/event-stream").answers(200, NotificationApiRoutes.MarkedRead.class)),
  GET_NOTIFICATION_SETTINGS(get(NOTIFICATIONS, "/notification-settings").anyCaller()
      .summary("Where my notifications reach me: channels, my choices per organization, my Pushover key (never shown)")
      .answerExample(AnswerExamples.NOTIFICATION_SETTINGS).answers(200, NotificationApiRoutes.SettingsView.class)),
  UPDATE_NOTIFICATION_SETTINGS(put(NOTIFICATIONS, "/notification-settings").anyCaller()
      .summary("Switch a channel on or off for one organization or all (\"*\"), and set or remove my Pushover user key")
      .description("`enabled: null` clears a choice (the priority's default again). Critical notifications reach every channel "
          + "whatever the choices; the app always has every notification.")
      .body(NotificationApiRoutes.SettingsBody.class)
      .example("{\"choices\": [{\"orgId\": \"*\", \"channel\": \"email\", \"enabled\": false}, {\"orgId\": \"schmidt-sanitaer\", "
          + "\"channel\": \"pushover\", \"enabled\": true}], \"pushoverUserKey\": \"uQiRzpo4DXghDmr9QzzfQu27cmVRsG\"}")
      .answerExample(AnswerExamples.NOTIFICATION_SETTINGS).answers(200, NotificationApiRoutes.SettingsView.class)),
  LIST_NOTIFICATION_ROUTES(get(NOTIFICATIONS, "/notification-routes").scope(Scopes.ORGANIZATIONS_READ)
      .summary("Where each notification type of the organization goes beyond the app (its map, or the priority's default)")
      .answerExample(AnswerExamples.NOTIFICATION_ROUTES).answers(200, NotificationApiRoutes.RouteList.class)),
  SET_NOTIFICATION_ROUTE(put(NOTIFICATIONS, "/notification-routes/{type}").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Map a notification type to channels (email, push, pushover, digest, webhook); channels null: back to the default")
      .body(NotificationApiRoutes.RouteBody.class).example("{\"channels\": [\"pushover\", \"webhook\"]}")
      .answerExample(AnswerExamples.NOTIFICATION_ROUTES).answers(200, NotificationApiRoutes.RouteList.class)),
  GET_HANDOFF_CONTACTS(get(NOTIFICATIONS, "/handoff-contacts").scope(Scopes.MEMBERS_READ)
      .summary("Who of the organization's own people hears that a conversation waits for a person (none chosen: everyone)")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.HANDOFF_CONTACTS)
      .answers(200, HandoffContactApiRoutes.ContactList.class).errors(404)),
  SET_HANDOFF_CONTACTS(put(NOTIFICATIONS, "/handoff-contacts").scope(Scopes.MEMBERS_WRITE)
      .summary("Choose the members told of hand-offs and their reminders (an empty list: every member again)")
      .description("The agency's people hear of their clients' hand-offs as their own notification choices say, whatever a client "
          + "chose. Every id must be a member of the organization itself.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).body(HandoffContactApiRoutes.ContactsBody.class)
      .example("{\"userIds\": [\"u_5e6f7a8b9c0d1e2f\"]}").answerExample(AnswerExamples.HANDOFF_CONTACTS)
      .answers(200, HandoffContactApiRoutes.ContactList.class).errors(404)),
  GET_PUSH_KEY(get(NOTIFICATIONS, "/push/key").anyCaller()
      .summary("The key browsers subscribe to web push with (`applicationServerKey` of `PushManager.subscribe`)")
      .answerExample(AnswerExamples.PUSH_KEY).answers(200, PushApiRoutes.PushKey.class)),
  SUBSCRIBE_PUSH(post(NOTIFICATIONS, "/push-subscriptions").anyCaller()
      .summary("Subscribe this browser to my notifications: the body is its `PushSubscription.toJSON()`")
      .description("The endpoint must be an https:// URL of a public host (the browser's push service).")
      .body(PushApiRoutes.SubscriptionBody.class)
      .example("{\"endpoint\": \"https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH\", \"keys\": {\"p256dh\": "
          + "\"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM\", \"auth\": \"tBHItJI5svbpez7KI4CCXg\"}}")
      .answerExample(AnswerExamples.PUSH_SUBSCRIPTION).answers(201, PushApiRoutes.SubscriptionView.class)),
  LIST_PUSH_SUBSCRIPTIONS(get(NOTIFICATIONS, "/push-subscriptions").anyCaller().summary("My browsers subscribed to push")
      .answerExample(AnswerExamples.PUSH_SUBSCRIPTIONS).answers(200, PushApiRoutes.SubscriptionList.class)),
  DELETE_PUSH_SUBSCRIPTION(delete(NOTIFICATIONS, "/push-subscriptions/{subscriptionId}").anyCaller()
      .summary("Stop pushing to one of my browsers").answers(204, null)),
  LIST_DM_THREADS(get(DIRECT_MESSAGES, "/dms").anyCaller().summary("My direct-message threads, latest first, with unread counts")
      .description("For people only (a session cookie or a portal token): an API key has no messages (403).")
      .answerExample(AnswerExamples.DM_INBOX).answers(200, DirectMessageApiRoutes.Inbox.class)),
  START_DM(post(DIRECT_MESSAGES, "/dms").anyCaller().summary("Write to a person (the thread of the two of you opens on the first message)")
      .description("`clientMessageId` makes a retry the same message: sent again, it answers 200 with the message the first send made. "
          + "A person you may not reach at all is answered 404; one who takes no messages from you (their rule, a block) 403.")
      .body(DirectMessageApiRoutes.NewThreadBody.class)
      .example("{\"to\": \"u_3b4d6e7f8a9b0c1d\", \"clientMessageId\": \"c-1733392800-1\", \"text\": \"Hi Hans, your agent is live.\"}")
      .answerExample(AnswerExamples.DM_SENT).answers(201, DirectMessageApiRoutes.Sent.class).alsoAnswers(200)),
  GET_DM_THREAD(get(DIRECT_MESSAGES, "/dms/{threadId}").anyCaller().summary("A thread's latest 100 messages and how far each of us read")
      .answerExample(AnswerExamples.DM_THREAD).answers(200, DirectMessageApiRoutes.ThreadView.class)),
  SEND_DM(post(DIRECT_MESSAGES, "/dms/{threadId}/messages").anyCaller().summary("Write in a thread (exactly once per clientMessageId)")
      .body(DirectMessageApiRoutes.MessageBody.class).example("{\"clientMessageId\": \"c-1733392801-2\", \"text\": \"Call me tomorrow?\"}")
      .answerExample(AnswerExamples.DM_SENT).answers(201, DirectMessageApiRoutes.Sent.class).alsoAnswers(200)),
  EDIT_DM(patch(DIRECT_MESSAGES, "/dms/{threadId}/messages/{messageId}").anyCaller().summary("Change the text of a message I sent")
      .body(DirectMessageApiRoutes.EditBody.class).example("{\"text\": \"Call me on Monday?\"}")
      .answerExample(AnswerExamples.DM_SENT).answers(200, DirectMessageApiRoutes.Sent.class)),
  DELETE_DM(delete(DIRECT_MESSAGES, "/dms/{threadId}/messages/{messageId}").anyCaller().summary("Delete a message I sent (it stays as deleted)")
      .answerExample(AnswerExamples.DM_SENT).answers(200, DirectMessageApiRoutes.Sent.class)),
  READ_DM_THREAD(post(DIRECT_MESSAGES, "/dms/{threadId}/read").anyCaller().summary("I read the thread up to a message (the other sees it)")
      .body(DirectMessageApiRoutes.ReadBody.class).example("{\"seq\": 12}")
      .answerExample(AnswerExamples.DM_THREAD).answers(200, DirectMessageApiRoutes.ThreadView.class)),
  STREAM_DM_EVENTS(get(DIRECT_MESSAGES, "/dm-events").anyCaller()
      .summary("My unread direct messages, live: event `dms` with `{\"unread\": n}` at once and whenever a thread of mine changes")
      .answersStream("text/event-stream").answers(200, DirectMessageApiRoutes.Inbox.class)),
  LIST_DM_CONTACTS(get(DIRECT_MESSAGES, "/dm-contacts").anyCaller()
      .summary("People of my organizations, my clients and my agency, and whether I may write to each")
      .answerExample(AnswerExamples.DM_CONTACTS).answers(200, DirectMessageApiRoutes.Contacts.class)),
  GET_DM_SETTINGS(get(DIRECT_MESSAGES, "/dm-settings").anyCaller().summary("Who may write to me, when an unread message reminds me, whom I blocked")
      .answerExample(AnswerExamples.DM_SETTINGS).answers(200, DirectMessageApiRoutes.SettingsView.class)),
  UPDATE_DM_SETTINGS(put(DIRECT_MESSAGES, "/dm-settings").anyCaller()
      .summary("Choose who may write to me (everyone, my_agency, nobody) and after how many minutes an unread message becomes a notification")
      .body(DirectMessageApiRoutes.SettingsBody.class).example("{\"whoMayMessage\": \"my_agency\", \"remindAfterMinutes\": 30}")
      .answerExample(AnswerExamples.DM_SETTINGS).answers(200, DirectMessageApiRoutes.SettingsView.class)),
  BLOCK_DM_USER(put(DIRECT_MESSAGES, "/dm-blocks/{userId}").anyCaller().summary("Block a person: neither of us can write to the other")
      .answerExample(AnswerExamples.DM_SETTINGS).answers(200, DirectMessageApiRoutes.SettingsView.class)),
  UNBLOCK_DM_USER(delete(DIRECT_MESSAGES, "/dm-blocks/{userId}").anyCaller().summary("Unblock a person")
      .answerExample(AnswerExamples.DM_SETTINGS).answers(200, DirectMessageApiRoutes.SettingsView.class)),
  GET_ORGANIZATION_MESSAGING(get(DIRECT_MESSAGES, "/organization-messaging").scope(Scopes.ORGANIZATIONS_READ)
      .summary("Whether the organization's people may write to and hear from other organizations' people")
      .answerExample(AnswerExamples.ORGANIZATION_MESSAGING).answers(200, DirectMessageApiRoutes.OrganizationMessaging.class)),
  SET_ORGANIZATION_MESSAGING(put(DIRECT_MESSAGES, "/organization-messaging").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Allow messages across organizations (both organizations must allow it)")
      .body(DirectMessageApiRoutes.OrganizationMessagingBody.class).example("{\"allowCrossOrgMessaging\": true}")
      .answerExample(AnswerExamples.ORGANIZATION_MESSAGING).answers(200, DirectMessageApiRoutes.OrganizationMessaging.class)),
  LIST_FEED(get(FEED, "/feed").scope(Scopes.ORGANIZATIONS_READ).summary("The organization's feed, newest first, with comments and reactions")
      .query(text("orgId", "A client's id (default: the caller's organization)"), text("cursor", "nextCursor of the previous page"),
          number("limit", "Page size, 1 to 100 (default 20)"))
      .answerExample(AnswerExamples.FEED).answers(200, FeedApiRoutes.FeedPage.class).errors(404)),
  GET_FEED_ITEM(get(FEED, "/feed/{itemId}").scope(Scopes.ORGANIZATIONS_READ).summary("One feed item with its comments and reactions")
      .answerExample(AnswerExamples.FEED_ITEM).answers(200, FeedApiRoutes.ItemView.class)),
  COMMENT_ON_FEED_ITEM(post(FEED, "/feed/{itemId}/comments").scope(Scopes.ORGANIZATIONS_READ).summary("Comment on a feed item (people only)")
      .body(FeedApiRoutes.CommentBody.class).example("{\"text\": \"Great news, thanks!\"}")
      .answerExample(AnswerExamples.FEED_COMMENT).answers(201, FeedApiRoutes.CommentView.class)),
  REACT_TO_FEED_ITEM(put(FEED, "/feed/{itemId}/reactions/{reaction}").scope(Scopes.ORGANIZATIONS_READ)
      .summary("React to a feed item: like, love, celebrate or eyes (people only)")
      .answerExample(AnswerExamples.FEED_REACTIONS).answers(200, FeedApiRoutes.Reactions.class).errors(400)),
  UNREACT_TO_FEED_ITEM(delete(FEED, "/feed/{itemId}/reactions/{reaction}").scope(Scopes.ORGANIZATIONS_READ).summary("Take a reaction back")
      .answerExample(AnswerExamples.FEED_REACTIONS).answers(200, FeedApiRoutes.Reactions.class).errors(400)),
  STREAM_FEED_EVENTS(get(FEED, "/feed-events").anyCaller()
      .summary("The feed, live: event `feed` with `{\"items\": n}` at once and on every new item, comment or reaction")
      .description("For people (a session cookie or a portal token) whose role reads the organization; a key polls `GET /feed`.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answersStream("text/event-stream")
      .answers(200, FeedApiRoutes.FeedPage.class).errors(404)),
  SEND_BROADCAST(post(FEED, "/broadcasts").scope(Scopes.ORGANIZATIONS_WRITE)
      .summary("Broadcast to every client's people (an agency), or to every organization (the platform)")
      .description("One event: a projection writes it into every audience organization's feed, and with a `priority` it becomes a "
          + "notification for the audience's people (critical: the platform only). Answers 202; `organizations` in the list of "
          + "broadcasts says how many feeds it reached.")
      .body(FeedApiRoutes.BroadcastBody.class).idempotent()
      .example("{\"title\": \"New: answers on WhatsApp\", \"body\": \"Your agent now answers WhatsApp too.\", \"priority\": \"normal\"}")
      .answerExample(AnswerExamples.BROADCAST).answers(202, FeedApiRoutes.BroadcastView.class)),
  LIST_BROADCASTS(get(FEED, "/broadcasts").scope(Scopes.ORGANIZATIONS_READ).summary("Broadcasts the organization sent and how many feeds each reached")
      .answerExample(AnswerExamples.BROADCASTS).answers(200, FeedApiRoutes.BroadcastList.class)),
  GET_AGENT(get(AGENTS, "/agents/{agentId}").scope(Scopes.AGENTS_READ).summary("One agent with its configuration")
      .answerExample(AnswerExamples.AGENT_VIEW)
      .answers(200, AgentEntity.Agent.class)),
  UPDATE_AGENT(put(AGENTS, "/agents/{agentId}").scope(Scopes.AGENTS_WRITE).summary("Replace an agent's configuration")
      .body(AgentAdminRoutes.AgentBody.class)
      .example("{\"name\": \"Schmidt Sanitär assistant\", \"persona\": \"You answer for a family plumbing business in Cologne.\", \"autonomy\": \"supervised\", \"doubleTexting\": \"coalesce\"}").answerExample(AnswerExamples.AGENT_VIEW)
      .answers(200, AgentEntity.Agent.class).errors(409)),
  ARCHIVE_AGENT(delete(AGENTS, "/agents/{agentId}").scope(Scopes.AGENTS_WRITE)
      .summary("Archive an agent (it stops answering; its conversations stay)").answerExample(AnswerExamples.ARCHIVED_AGENT)
      .answers(200, AgentEntity.Agent.class).errors(409)),
  BIND_CHANNEL(post(CHANNELS, "/agents/{agentId}/channels").scope(Scopes.AGENTS_WRITE)
      .summary("Let an agent answer on a WhatsApp number, an SMS number or a webchat key")
      .body(ChannelAdminRoutes.BindingBody.class).idempotent()
      .example("{\"channel\": \"whatsapp\", \"address\": \"106540352242922\"}").answerExample(AnswerExamples.BOUND)
      .answers(201, Binding.class).errors(409)),
  LIST_CHANNELS(get(CHANNELS, "/channels").scope(Scopes.AGENTS_READ)
      .summary("Channel bindings and account settings of the organization").answerExample(AnswerExamples.CHANNELS)
      .answers(200, ChannelAdminRoutes.ChannelsView.class)),
  CONNECT_WHATSAPP(put(CHANNELS, "/channels/whatsapp").scope(Scopes.AGENTS_WRITE)
      .summary("Store the WhatsApp Cloud API access token the organization's replies go out with (encrypted, never returned) and "
          + "its business account id (templates are synced from it; template status webhooks find the organization by it)")
      .body(ChannelAdminRoutes.WhatsAppAccountBody.class).example("{\"accessToken\": \"EAAG...\", \"businessAccountId\": \"102290129340398\"}")
      .answerExample(AnswerExamples.WHATSAPP_CONNECTED).answers(200, ChannelAdminRoutes.WhatsAppStatus.class)),
  CONNECT_INSTAGRAM(put(CHANNELS, "/channels/instagram").scope(Scopes.AGENTS_WRITE)
      .summary("Store the Instagram page access token direct messages go out with (encrypted, never returned) and the professional "
          + "account's id")
      .description("Bind an agent to the account id (`POST /agents/{agentId}/channels` with channel `instagram`) for it to answer. "
          + "Meta sends the account's messages to `/webhooks/instagram`, signed with our Meta app's secret.")
      .body(ChannelAdminRoutes.InstagramAccountBody.class).example("{\"accessToken\": \"EAAG...\", \"accountId\": \"17841400008460056\"}")
      .answerExample(AnswerExamples.INSTAGRAM_CONNECTED).answers(200, ChannelAdminRoutes.InstagramStatus.class)),
  GET_WHATSAPP_SIGNUP(get(CHANNELS, "/channels/whatsapp/embedded-signup").scope(Scopes.AGENTS_READ)
      .summary("What Meta's Embedded Signup is opened with: our app id and login configuration (enabled false: not configured here)")
      .answerExample(AnswerExamples.WHATSAPP_SIGNUP).answers(200, WhatsAppSignupRoutes.SignupConfig.class)),
  CONNECT_WHATSAPP_BY_SIGNUP(post(CHANNELS, "/channels/whatsapp/embedded-signup").scope(Scopes.AGENTS_WRITE)
      .summary("Finish WhatsApp Embedded Signup: exchange the code, subscribe to the business account, register the number, bind it")
      .description("Send what Meta's flow gave the page (the code, the WABA id, the phone number id) and the agent that answers. The "
          + "business token is stored encrypted with the account id as soon as the code is exchanged; a step Meta refuses is 502 "
          + "`whatsapp_refused` naming it. The PIN (six digits; one is chosen when none is given) is shown this once. Not configured "
          + "on this platform: 409 `embedded_signup_not_configured`.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).body(WhatsAppSignupRoutes.SignupBody.class)
      .example("{\"code\": \"AQBx...\", \"businessAccountId\": \"102290129340398\", \"phoneNumberId\": \"106540352242922\", "
          + "\"agentId\": \"schmidt-assistant\"}")
      .answerExample(AnswerExamples.WHATSAPP_SIGNED_UP).answers(200, WhatsAppSignupRoutes.Connected.class).errors(404, 409, 502)),
  SET_SMS_SENDER(put(CHANNELS, "/channels/sms/sender").scope(Scopes.AGENTS_WRITE)
      .summary("Send SMS as a name (3 to 11 letters or digits); no senderId: from the number again")
      .body(ChannelAdminRoutes.SmsSenderBody.class).example("{\"senderId\": \"Schmidt\"}")
      .answerExample(AnswerExamples.SMS_SENDER).answers(200, ChannelAdminRoutes.SmsSender.class)),
  SET_DEFAULT_COUNTRY(put(CHANNELS, "/channels/default-country").scope(Scopes.AGENTS_WRITE)
      .summary("The country national phone numbers are read in").body(ChannelAdminRoutes.CountryBody.class)
      
      .example("{\"country\": \"DE\"}").answerExample(AnswerExamples.COUNTRY)
      .answers(200, ChannelAdminRoutes.CountryView.class)),
  LIST_WHATSAPP_TEMPLATES(get(OUTREACH, "/whatsapp-templates").scope(Scopes.AGENTS_READ)
      .summary("The organization's WhatsApp message templates as last synced: status, category (Meta's pricing), body and parameters")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.WHATSAPP_TEMPLATES)
      .answers(200, OutreachApiRoutes.TemplateList.class).errors(404)),
  SYNC_WHATSAPP_TEMPLATES(post(OUTREACH, "/whatsapp-templates/sync").scope(Scopes.AGENTS_WRITE)
      .summary("Read the templates of the organization's WhatsApp business account from Meta again (replaces our copy)")
      .description("Needs the access token and the business account id (`PUT /channels/whatsapp`): 409 `whatsapp_not_connected` "
          + "without them, 502 `whatsapp_refused` with Meta's error when Meta refuses. Status changes arrive by webhook meanwhile.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.WHATSAPP_TEMPLATES)
      .answers(200, OutreachApiRoutes.TemplateList.class).errors(404, 409, 502)),
  GET_OUTREACH_SETTINGS(get(OUTREACH, "/outreach-settings").scope(Scopes.AGENTS_READ)
      .summary("Quiet hours and the templates follow-ups and reminders use once WhatsApp's 24-hour window has closed")
      .query(text("orgId", "A client's id (default: the caller's organization)")).answerExample(AnswerExamples.OUTREACH_SETTINGS)
      .answers(200, OutreachApiRoutes.SettingsView.class).errors(404)),
  SET_OUTREACH_SETTINGS(put(OUTREACH, "/outreach-settings").scope(Scopes.AGENTS_WRITE)
      .summary("Set the quiet hours (nothing the platform starts goes out then; it waits for their end), the closed-window templates "
          + "and review requests")
      .description("A template must be synced and take no parameter or one (the follow-up's or reminder's text). Without a "
          + "template, a follow-up or reminder due after the window closed is dropped with the reason in the timeline. `review`: "
          + "after a completed booking or a conversation closed with outcome `success`, `text` goes `delay` later with a tracked "
          + "link (`{link}` in the text, else at its end) leading to `link` (https, a public address), at most once per customer "
          + "every `periodDays`; `review` null: none.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).body(OutreachApiRoutes.SettingsBody.class)
      .example("{\"timeZone\": \"Europe/Berlin\", \"quietFrom\": \"21:00\", \"quietUntil\": \"08:00\", \"followupTemplate\": "
          + "{\"name\": \"checking_in\", \"language\": \"de\"}, \"reminderTemplate\": {\"name\": \"appointment_reminder\", "
          + "\"language\": \"de\"}, \"review\": {\"link\": \"https://g.page/r/schmidt-sanitaer/review\", \"delay\": \"1d\", "
          + "\"periodDays\": 180, \"text\": \"Thanks for choosing us! Would you rate us? {link}\"}}")
      .answerExample(AnswerExamples.OUTREACH_SETTINGS).answers(200, OutreachApiRoutes.SettingsView.class).errors(404)),
  START_CONVERSATION(post(OUTREACH, "/conversations").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Start a WhatsApp conversation with a contact who has not written, with an approved template")
      .description("The agent writes from its WhatsApp number; the template must be approved in our copy and take exactly the "
          + "parameters given. The conversation is the agent's: it answers what the customer writes back. A conversation that "
          + "exists already is 409 `conversation_exists` (send the template into it). Meta charges by the template's category.")
      .query(text("orgId", "A client's id (default: the caller's organization)")).body(OutreachApiRoutes.StartBody.class).idempotent()
      .example("{\"agentId\": \"schmidt-assistant\", \"contact\": \"+49 151 2345678\", \"template\": {\"name\": "
          + "\"service_due\", \"language\": \"de\", \"parameters\": [\"Jana\", \"boiler service\"]}}")
      .answerExample(AnswerExamples.CONVERSATION_STARTED).answers(201, OutreachApiRoutes.Started.class).errors(404, 409)),
  LIST_SEQUENCES(get(OUTREACH, "/agents/{agentId}/sequences").scope(Scopes.AGENTS_READ)
      .summary("The agent's follow-up sequences: their steps, what starts them and what ends them")
      .answerExample(AnswerExamples.SEQUENCES).answers(200, SequenceApiRoutes.SequenceList.class)),
  SAVE_SEQUENCE(put(OUTREACH, "/agents/{agentId}/sequences/{name}").scope(Scopes.AGENTS_WRITE)
      .summary("Create or replace one of the agent's follow-up sequences")
      .description("Up to 10 steps, each sent its `delay` (`45s`, `30m`, `2h`, `3d`; up to 90 days) after the one before (the first "
          + "after the start); `template` carries a step once WhatsApp's window is closed (else the outreach settings' follow-up "
          + "template, else the step is dropped and the sequence ends with the reason). `onlyIfNoReply`: skipped once the customer "
          + "wrote since the start. `trigger`: `manual` (a person or the agent's `start_sequence` tool), `lead_captured`, "
          + "`booking_completed` or `closed_without_booking`. `stopOnReply` and `stopOnBooking` default to true; an opt-out always "
          + "ends it. Each message sent is charged the catalog's outreach message. Runs under way keep the steps they started with.")
      .body(SequenceApiRoutes.SequenceBody.class)
      .example("{\"trigger\": \"lead_captured\", \"steps\": [{\"delay\": \"1d\", \"text\": \"Any questions about the quote?\"}, "
          + "{\"delay\": \"3d\", \"text\": \"Shall we book it?\", \"template\": {\"name\": \"quote_followup\", \"language\": \"de\", "
          + "\"takesText\": true}, \"onlyIfNoReply\": true}], \"stopOnReply\": true, \"stopOnBooking\": true}")
      .answerExample(AnswerExamples.SEQUENCE).answers(200, SequenceApiRoutes.SequenceView.class)),
  DELETE_SEQUENCE(delete(OUTREACH, "/agents/{agentId}/sequences/{name}").scope(Scopes.AGENTS_WRITE)
      .summary("Delete one of the agent's sequences (runs under way go on)").answers(204, null)),
  START_SEQUENCE(post(OUTREACH, "/conversations/{sessionId}/sequences").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("Start one of the conversation's agent's sequences with this contact")
      .description("409 `conflict` when it is under way already, `contact_opted_out` after an opt-out; 404 for a name the agent "
          + "has no sequence of. Its steps show in the timeline.")
      .body(SequenceApiRoutes.StartBody.class).idempotent().example("{\"name\": \"quote-chase\"}")
      .answerExample(AnswerExamples.DONE).answers(202, SessionReply.Done.class).errors(409)),
  STOP_SEQUENCE(delete(OUTREACH, "/conversations/{sessionId}/sequences/{name}").scope(Scopes.CONVERSATIONS_WRITE)
      .summary("End a sequence under way in the conversation").answerExample(AnswerExamples.DONE).answers(200, SessionReply.Done.class)),
  REVIEW_RATES(get(OUTREACH, "/review-requests/rates").scope(Scopes.CONVERSATIONS_READ)
      .summary("Review requests sent and followed per organization the caller sees (the agency: each client)")
      .query(number("days", "The period, 1 to 365 days back (default 30)"))
      .answerExample(AnswerExamples.REVIEW_RATES).answers(200, SequenceApiRoutes.ReviewRates.class)),
  START_REPLAY(post(AGENTS, "/agents/{agentId}/replays").scope(Scopes.AGENTS_WRITE)
      .summary("Replay recorded conversations against a candidate configuration: what would the change change?")
      .description("Takes the agent's conversations (`sessionIds`, or `filter` {from, to, status, channel, text, limit}; neither: "
          + "the latest 20) and re-runs every turn the agent answered against `candidate` (fields of the agent's configuration to "
          + "change: persona, faq, tools, knowledgeTags, model, greeting, unavailableMessage, languages, autonomy; the rest stays), "
          + "each with the window its model saw. Nothing leaves: no message is sent, tools are recorded and answered as if they ran, "
          + "no credit is taken from the balance; what the answers would cost counts against the replay's `budget` (default 1000), "
          + "and a turn starts only while its estimate fits in what is left. Runs in the background (202); read it to follow "
          + "`progress`. Needs `conversations:read` too: the report quotes the customers.")
      .body(ReplayApiRoutes.ReplayBody.class).idempotent()
      .example("{\"filter\": {\"from\": \"2026-11-01T00:00:00Z\", \"limit\": 50}, \"candidate\": {\"persona\": "
          + "\"You answer for a family plumbing business in Cologne. Quote prices from the price list only.\", \"faq\": "
          + "[{\"question\": \"Do you work weekends?\", \"answer\": \"Saturdays 9-13; emergencies any time.\"}]}, \"budget\": 300}")
      .answerExample(AnswerExamples.REPLAY).answers(202, ReplayApiRoutes.ReplayView.class).errors(404)),
  LIST_REPLAYS(get(AGENTS, "/agents/{agentId}/replays").scope(Scopes.AGENTS_READ)
      .summary("The agent's replays, newest first, with their progress and summary")
      .answerExample(AnswerExamples.REPLAYS).answers(200, ReplayApiRoutes.ReplayList.class)),
  GET_REPLAY(get(AGENTS, "/agents/{agentId}/replays/{replayId}").scope(Scopes.CONVERSATIONS_READ)
      .summary("A replay's report: its summary and, turn by turn, the recorded reply next to the candidate's")
      .description("Per turn: the customer's message(s), the recorded outcome, reply, tool calls, hand-off and credits; the "
          + "candidate's; the similarity of the two replies (0 to 1, by their words), whether the answer changed, tool calls "
          + "added or left out (by tool), and a hand-off that `appeared` or `disappeared`. Skipped and failed turns say why "
          + "in `note`. Pages of `limit` (1 to 200, default 50) after `after` (a turn's seq).")
      .query(number("after", "Read the turns after this seq"), number("limit", "How many turns (1 to 200)"))
      .answerExample(AnswerExamples.REPLAY_REPORT).answers(200, ReplayApiRoutes.ReplayReport.class)),
  CANCEL_REPLAY(delete(AGENTS, "/agents/{agentId}/replays/{replayId}").scope(Scopes.AGENTS_WRITE)
      .summary("Stop a replay: its turns not yet run are skipped; the report keeps what ran")
      .answerExample(AnswerExamples.REPLAY_CANCELLED).answers(200, ReplayApiRoutes.ReplayView.class)),
  LIST_DOCUMENTS(get(KNOWLEDGE, "/knowledge/documents").scope(Scopes.KNOWLEDGE_READ).summary("Knowledge documents")
      .answerExample(AnswerExamples.DOCUMENTS)
      .answers(200, DocumentAdminRoutes.DocumentList.class)),
  UPLOAD_DOCUMENT(post(KNOWLEDGE, "/knowledge/documents").scope(Scopes.KNOWLEDGE_WRITE)
      .summary("Add a document: JSON with its text, or the file itself")
      .description("Send `application/json` with title, tags and text, or the file as the body (PDF, CSV, "
          + "Markdown, text) with `?title=` and `?tags=a,b`. Text, Markdown and CSV answer 201 when their text is stored; a PDF "
          + "answers 202 at once with status `extracting` and is extracted in the background: read it to follow `extractedPercent` "
          + "until it is `ready` or `failed`.")
      .query(text("title", "With a file body: the title"), text("tags", "With a file body: comma-separated tags"))
      .body(DocumentAdminRoutes.TextDocument.class).orUpload().idempotent()
      .example("{\"title\": \"Prices\", \"tags\": [\"plumbing\", \"prices\"], \"mimeType\": \"text/markdown\", \"text\": \"# Prices\\n\\nCall-out: EUR 65, first half hour included.\"}").answerExample(AnswerExamples.DOCUMENT_VIEW)
      .answers(201, DocumentAdminRoutes.DocumentView.class).alsoAnswers(202).errors(413, 415)),
  GET_DOCUMENT(get(KNOWLEDGE, "/knowledge/documents/{documentId}").scope(Scopes.KNOWLEDGE_READ)
      .summary("One document with its extracted text").answerExample(AnswerExamples.DOCUMENT_WITH_TEXT)
      .answers(200, DocumentAdminRoutes.DocumentView.class)),
  RETAG_DOCUMENT(patch(KNOWLEDGE, "/knowledge/documents/{documentId}").scope(Scopes.KNOWLEDGE_WRITE)
      .summary("Replace a document's tags").body(DocumentAdminRoutes.TagsBody.class)
      
      .example("{\"tags\": [\"plumbing\", \"prices\"]}").answerExample(AnswerExamples.DOCUMENT_VIEW)
      .answers(200, DocumentAdminRoutes.DocumentView.class)),
  DELETE_DOCUMENT(delete(KNOWLEDGE, "/knowledge/documents/{documentId}").scope(Scopes.KNOWLEDGE_WRITE)
      .summary("Delete a document").answers(204, null)),
  GET_WEBCHAT_CONFIG(get(WEBCHAT, "/webchat/config/{agentId}").summary("What the widget shows for an agent")
      .answerExample(AnswerExamples.WIDGET)
      .answers(200, WebchatRoutes.WidgetConfig.class).errors(403)),
  SEND_WEBCHAT_MESSAGE(post(WEBCHAT, "/webchat/message").summary("A visitor's message; the reply when it comes quickly")
      .body(WebchatRoutes.MessageBody.class)
      .example("{\"agentId\": \"schmidt-bot\", \"sessionToken\": null, \"text\": \"Do you fix boilers?\", \"messageId\": \"b3f1c2\"}").answerExample(AnswerExamples.WEBCHAT_ANSWER)
      .answers(200, WebchatRoutes.MessageAnswer.class).errors(401, 403, 429)),
  STREAM_WEBCHAT_EVENTS(get(WEBCHAT, "/webchat/events").summary("Replies as server-sent events (event `message`)")
      .description("A reply a hosted model is writing comes first piece by piece as events `delta` (`{id, text, at, sofar}`: `id` "
          + "names the model call, `sofar` true when `text` is everything written so far, sent to a stream opened mid-reply), "
          + "then whole, recorded, as the `message`; nothing of a delta is stored. Without a streaming model only `message` comes.")
      .query(required("sessionToken", "The visitor's session token")).answersStream("text/event-stream")
      .answers(200, WebchatRoutes.Reply.class).errors(401, 403)),
  GET_WEBCHAT_HISTORY(get(WEBCHAT, "/webchat/history").summary("The visitor's latest messages")
      .query(required("sessionToken", "The visitor's session token")).answerExample(AnswerExamples.HISTORY)
      .answers(200, WebchatRoutes.History.class).errors(401, 403)),
  GET_OPEN_API_DOCUMENT(get(REFERENCE, "/openapi.json").summary("This document (OpenAPI 3.0)").answers(200, Map.class)),
  GET_API_REFERENCE(get(REFERENCE, "/docs").summary("This document to browse (Swagger UI)").answersStream("text/html")
      .answers(200, String.class));

  private final OperationSpec spec;

  ApiOperation(OperationSpec spec) {
    this.spec = spec;
  }

  /** A readable id such as {@code listConversations}. */
  public String id() {
    StringBuilder id = new StringBuilder();
    for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
      id.append(id.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
    }
    return id.toString();
  }

  public String method() {
    return spec.method;
  }

  public PathTemplate path() {
    return spec.path;
  }

  public ApiTag tag() {
    return spec.tag;
  }

  /** The key scope it needs; empty for the public operations and those open to any caller. */
  public Optional<String> scope() {
    return Optional.ofNullable(spec.scope);
  }

  /** Whether it answers without a credential (the webchat and this reference). */
  public boolean isPublic() {
    return spec.scope == null && !spec.anyCaller;
  }

  public String summary() {
    return spec.summary;
  }

  public Optional<String> description() {
    return Optional.ofNullable(spec.description);
  }

  public List<QueryParameter> query() {
    return List.copyOf(spec.query);
  }

  public Optional<Type> requestBody() {
    return Optional.ofNullable(spec.requestBody);
  }

  public Optional<String> requestExample() {
    return Optional.ofNullable(spec.requestExample);
  }

  /** An answer as a client sees it (JSON); the contract test checks it against the schema. */
  public Optional<String> answerExample() {
    return Optional.ofNullable(spec.answerExample);
  }

  /** The media types of a body that is a file rather than JSON; empty for a JSON body or none. */
  public List<String> binaryBodyTypes() {
    return spec.binaryBodyTypes;
  }

  public boolean acceptsUploads() {
    return spec.uploads;
  }

  public int successStatus() {
    return spec.success;
  }

  /** Success statuses besides {@link #successStatus()}, with the same answer. */
  public Set<Integer> otherSuccessStatuses() {
    return Set.copyOf(spec.otherSuccesses);
  }

  public Optional<Type> response() {
    return Optional.ofNullable(spec.response);
  }

  public String responseMediaType() {
    return spec.responseMediaType;
  }

  public boolean cached() {
    return spec.cached;
  }

  /** It creates something and honours {@code Idempotency-Key}. */
  public boolean idempotent() {
    return spec.idempotent;
  }

  /**
   * Every status the operation answers with other than its success: what it declares, and what
   * follows from its shape (a key: 401, 403; an id in the path: 404; a body or parameters: 400).
   */
  public Set<Integer> errorStatuses() {
    Set<Integer> statuses = new TreeSet<>(spec.errors);
    if (!isPublic()) {
      statuses.add(401);
      statuses.add(403);
    }
    if (!spec.path.variables().isEmpty()) {
      statuses.add(404);
    }
    if (spec.requestBody != null || !spec.query.isEmpty()) {
      statuses.add(400);
    }
    if (spec.requestBody != null) {
      statuses.add(415);
    }
    if (spec.idempotent) {
      statuses.addAll(List.of(400, 409, 422));
    }
    return statuses;
  }

  /** Every status it may answer with. */
  public Set<Integer> statuses() {
    Set<Integer> statuses = new TreeSet<>(errorStatuses());
    statuses.add(spec.success);
    statuses.addAll(spec.otherSuccesses);
    if (spec.cached) {
      statuses.add(304);
    }
    return statuses;
  }

  /** The full path template, as metrics label requests. */
  public String route() {
    return "/api/v1" + spec.path.text();
  }

  /** The operation with this method and path (decoded segments after {@code /api/v1}), and the variables it binds. */
  public static Optional<Match> find(String method, List<String> segments) {
    for (ApiOperation operation : values()) {
      if (operation.method().equals(method)) {
        Optional<Map<String, String>> bound = operation.path().match(segments);
        if (bound.isPresent()) {
          return Optional.of(new Match(operation, bound.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether any operation has this path (with some method). */
  public static boolean anyAt(List<String> segments) {
    for (ApiOperation operation : values()) {
      if (operation.path().match(segments).isPresent()) {
        return true;
      }
    }
    return false;
  }

  public record Match(ApiOperation operation, Map<String, String> variables) {
    public String variable(String name) {
      String value = variables.get(name);
      if (value == null) {
        throw new IllegalArgumentException(operation.path() + " has no variable " + name);
      }
      return value;
    }
  }
}
