package io.layercake.http.api.contract;

/**
 * What the operations answer, one example each, as a client sees it (a plumber, Schmidt Sanitär, of
 * the agency Acme). The contract test checks every one against its operation's schema.
 */
final class AnswerExamples {
  private static final String SESSION = "s-0732c79fe479c05013f32e5e63869c88";
  private static final String SUMMARY = """
      {"sessionId": "%s", "orgId": "schmidt-sanitaer", "agentId": "schmidt-bot", "channel": "webchat",
       "contact": "v-af0bffdee17ff48e01e97207", "status": "active", "owner": "agent",
       "startedAt": "2026-12-05T10:05:04.913Z", "lastMessageAt": "2026-12-05T10:05:04.933Z", "messageCount": 2,
       "creditsUsed": 1, "creditsExhausted": false, "optedOut": false}""".formatted(SESSION);
  private static final String MESSAGE = """
      {"messageId": "out-1", "direction": "outbound", "kind": "agent", "author": "agent",
       "text": "A call-out is EUR 65, the first half hour included.", "deliveryStatus": "sent",
       "providerMessageId": "wamid.HBgLNDkxNzYxMjM0NTY3OBUCABEYEjA", "failure": null,
       "createdAt": "2026-12-05T10:05:04.933Z", "sequence": 3, "reaction": null}""";
  static final String DONE = """
      {"sessionId": "%s", "outboundId": "out-2"}""".formatted(SESSION);
  private static final String CLIENT = """
      {"id": "schmidt-sanitaer", "name": "Schmidt Sanitär", "parentOrgId": "acme-agency",
       "openedAt": "2026-12-05T10:05:02.719Z", "conversations": 3, "creditsUsedThisMonth": 41, "activeToday": 2,
       "activeThisMonth": 3, "waitingForAPerson": 1, "leadsThisMonth": 1, "bookingRequestsThisMonth": 0,
       "reviewRequestsThisMonth": 4, "reviewLinksFollowedThisMonth": 1, "lastActivityAt": "2026-12-05T10:09:12.301Z"}""";
  private static final String AGENT = """
      {"agentId": "schmidt-bot", "config": {"orgId": "schmidt-sanitaer", "name": "Schmidt Sanitär",
       "persona": "You answer for a family plumbing business in Cologne.",
       "faq": [{"question": "Do you work weekends?", "answer": "Emergencies only, with a EUR 40 surcharge."}],
       "tools": ["capture_lead", "book_appointment"], "autonomy": "autonomous", "knowledgeTags": ["prices"],
       "model": {"provider": "local", "model": "local", "temperature": 0.0}, "unavailableMessage": null,
       "greeting": "Hello! How can we help?", "languages": ["de", "en"], "businessHours": null, "doubleTexting": "coalesce",
       "webchat": {"enabled": true, "brandColor": "#2563eb", "position": "bottom-right",
                   "allowedOrigins": ["https://schmidt-sanitaer.de"]}},
       "status": "active", "version": 1}""";
  private static final String DOCUMENT = """
      {"id": "doc_472375f079104c3697ef01b868c702df", "title": "Prices", "tags": ["prices"], "mimeType": "text/markdown",
       "status": "ready", "failureReason": null, "extractedPercent": null, "sizeBytes": 71, "characters": 69, "text": null,
       "createdAt": "2026-12-05T10:05:04.443Z", "updatedAt": "2026-12-05T10:05:04.447Z",
       "promptNote": null}""";
  private static final String KEY = """
      {"keyId": "4a16ed0c934ca71b", "orgId": "acme-agency", "name": "dashboard",
       "scopes": ["conversations:read", "credits:read"], "createdAt": "2026-12-05T10:05:02.101Z",
       "createdBy": "key:9f2c11d0a3b4e5f6 (walkthrough)", "revokedAt": null}""";
  private static final String BINDING = """
      {"channel": "whatsapp", "address": "106540352242922", "orgId": "schmidt-sanitaer", "agentId": "schmidt-bot"}""";
  private static final String REPLY = """
      {"id": "out-1", "text": "A call-out is EUR 65, the first half hour included.", "at": "2026-12-05T10:05:04.933Z"}""";

  static final String CONVERSATION_PAGE = """
      {"conversations": [%s], "nextCursor": "MjAyNi0xMi0wNVQxMDowNTowNC45MzNafHMtMDczMmM3OWZlNDc5YzA1MDEzZjMyZTVlNjM4NjljODg"}"""
      .formatted(SUMMARY);
  static final String CONVERSATION_DETAIL = """
      {"conversation": %s, "owner": "agent", "status": "active", "turnInProgress": null, "pendingApprovals": [],
       "creditsUsed": 1, "creditsExhausted": false, "lastInboundAt": "2026-12-05T10:05:04.913Z", "optedOut": false}"""
      .formatted(SUMMARY);
  static final String CHANGED = DONE;
  static final String MESSAGE_PAGE = """
      {"messages": [%s], "hasMore": true, "nextBefore": 3, "nextAfter": null}""".formatted(MESSAGE);
  static final String SENT = DONE;
  static final String AGENT_IMPORTED = """
      {"bundleId": "schmidt-v1", "agentId": "schmidt-bot", "documentIds": [], "created": true}""";
  static final String SETUP = """
      {"setupId": "set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "orgId": "schmidt", "owner": "Maria Keller", "provider": "local",
       "model": "local",
       "messages": [{"role": "agent", "text": "Hi Maria! ... What is the business called?", "credits": 0, "at": "2026-12-05T09:00:00Z"},
                    {"role": "owner", "text": "Schmidt Sanitär", "credits": 0, "at": "2026-12-05T09:00:20Z"},
                    {"role": "agent", "text": "Got it: I wrote that into agent-config.json. What does the business do?", "credits": 1,
                     "at": "2026-12-05T09:00:21Z"}],
       "files": [{"path": "agent-config.json", "version": 1, "author": "agent", "by": null, "at": "2026-12-05T09:00:21Z",
                  "content": "{\\"bundleId\\": \\"setup\\"}",
                  "history": [{"version": 1, "author": "agent", "by": null, "at": "2026-12-05T09:00:21Z"}]},
                 {"path": "kb/faq.md", "version": 0, "author": null, "by": null, "at": null, "content": "", "history": []}],
       "configProblems": [], "connection": null, "startedAt": "2026-12-05T09:00:00Z"}""";
  static final String SETUPS = """
      {"setups": [{"setupId": "set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "orgId": "schmidt", "ownerName": "Maria Keller",
                   "startedAt": "2026-12-05T09:00:00Z", "agentId": "schmidt-sanitar-3f2a1b"}]}""";
  static final String SETUP_FILE_VERSIONS = """
      {"path": "kb/hours-and-area.md", "versions": [
        {"version": 1, "author": "agent", "by": null, "at": "2026-12-05T09:03:00Z", "content": "# Opening hours and area\\n\\nMonday to Friday 8 to 6."},
        {"version": 2, "author": "person", "by": "Maria Keller (u_5e0c1f2a3b4d6e7f)", "at": "2026-12-05T09:09:00Z",
         "content": "# Opening hours and area\\n\\nMonday to Friday 8 to 5."}]}""";
  static final String SETUP_TEST_CHAT = """
      {"sessionId": "draft-set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b:test:setup-set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b",
       "agentId": "draft-set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "status": "answered",
       "replies": ["A callout is EUR 65, the first half hour included."], "pendingApprovals": []}""";

  static final String SETUP_CONNECTED = """
      {"agentId": "schmidt-sanitar-3f2a1b", "bundleId": "setup-set_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b-9c1d2e3f4a5b6c7d",
       "changed": true, "documentIds": ["doc_7f3a"], "removedDocumentIds": [],
       "channelBindings": [{"channel": "sms", "address": "+4922112345678"}]}""";
  static final String WEBHOOK_TEST = """
      {"eventId": 4182, "subscriptionId": "wh_1c2d3e4f5a6b7c8d"}""";
  static final String WHATSAPP_CONNECTED = """
      {"accessTokenConfigured": true, "businessAccountId": "102290129340398"}""";
  static final String INSTAGRAM_CONNECTED = """
      {"accessTokenConfigured": true, "accountId": "17841400008460056"}""";
  static final String SMS_SENDER = """
      {"senderId": "Schmidt", "entityId": "lc-schmidt-sanitaer"}""";
  static final String ASSIGNEE = """
      {"sessionId": "%s", "userId": "u_5e0c1f2a3b4d6e7f", "name": "Tom Becker",
       "assignedBy": "Olivia Owner (user:u_0a1b2c3d4e5f6a7b)", "assignedAt": "2026-12-05T10:07:12.301Z"}""".formatted(SESSION);
  private static final String NOTE_ITEM = """
      {"noteId": "note_3f9a0c1d2e4b5a6c", "sessionId": "%s", "orgId": "schmidt-sanitaer", "authorUserId": "u_5e0c1f2a3b4d6e7f",
       "author": "Tom Becker (user:u_5e0c1f2a3b4d6e7f)", "text": "Called her back: she prefers mornings.",
       "createdAt": "2026-12-05T10:08:40.022Z"}""".formatted(SESSION);
  static final String NOTE = NOTE_ITEM;
  static final String NOTES = "{\"notes\": [" + NOTE_ITEM + "]}";
  private static final String CANNED_ITEM = """
      {"replyId": "reply_7c1e2d3f4a5b6c7d", "orgId": "acme-agency", "title": "Call-out price",
       "text": "A call-out is EUR 65, the first half hour included.", "createdBy": "Olivia Owner (user:u_0a1b2c3d4e5f6a7b)",
       "createdAt": "2026-12-01T09:00:00Z"}""";
  static final String CANNED_REPLY = CANNED_ITEM;
  static final String CANNED_REPLIES = "{\"cannedReplies\": [" + CANNED_ITEM + "]}";
  static final String CANNED_REPLY_DELETED = """
      {"replyId": "reply_7c1e2d3f4a5b6c7d", "deleted": true}""";
  static final String TIMELINE = """
      {"sessionId": "%s", "steps": [{"sequence": 2, "at": "2026-12-05T10:05:04.913Z", "type": "MessageReceived",
       "summary": "Message in: \\"How much is a call-out?\\"", "details": {"messageId": "wc-64dc1ad7"},
       "after": {"status": "active", "owner": "agent", "turn": null, "turnStage": null, "queuedMessages": 1,
                 "pendingApprovals": 0, "unsentMessages": 0, "creditsUsed": 0}}]}""".formatted(SESSION);
  static final String APPROVALS = """
      {"approvals": [{"approvalId": "%s:4:approval-1", "sessionId": "%s", "orgId": "schmidt-sanitaer",
       "kind": "tool", "toolName": "book_appointment", "arguments": "{\\"requested_time\\": \\"Thursday 10:00\\", \\"service\\": \\"boiler service\\"}",
       "draft": null, "status": "pending", "requestedAt": "2026-12-05T10:06:00Z", "expiresAt": "2026-12-05T11:06:00Z",
       "decidedBy": null, "decidedAt": null}], "nextCursor": null}""".formatted(SESSION, SESSION);
  static final String LEADS = """
      {"leads": [{"id": 17, "sessionId": "%s", "agentId": "schmidt-bot", "name": "Anna Becker", "phone": "+4917612345678",
       "email": null, "need": "boiler service next week", "createdAt": "2026-12-05T10:06:00Z"}], "nextCursor": null}"""
      .formatted(SESSION);
  static final String BOOKING_REQUESTS = """
      {"bookingRequests": [{"id": 9, "orgId": "schmidt-sanitaer", "sessionId": "%s", "agentId": "schmidt-bot",
       "requestedTime": "Thursday 10:00", "service": "boiler service", "createdAt": "2026-12-05T10:06:00Z", "status": "requested",
       "decidedBy": null, "decidedAt": null}], "nextCursor": null}""".formatted(SESSION);
  static final String BOOKING_DECIDED = """
      {"id": 9, "orgId": "schmidt-sanitaer", "sessionId": "%s", "agentId": "schmidt-bot", "requestedTime": "Thursday 10:00",
       "service": "boiler service", "createdAt": "2026-12-05T10:06:00Z", "status": "accepted",
       "decidedBy": "Tom Becker (user:u_5e0c1f2a3b4d6e7f)", "decidedAt": "2026-12-05T10:09:30Z"}""".formatted(SESSION);
  static final String EVENTS = """
      {"events": [{"id": 7, "type": "message.received", "orgId": "schmidt-sanitaer", "sessionId": "%s", "sequence": 2,
       "createdAt": "2026-12-05T10:05:04.913Z", "data": {"messageId": "wc-64dc1ad7", "orgId": "schmidt-sanitaer",
       "sessionId": "%s", "text": "How much is a call-out?"}}], "nextCursor": "7"}""".formatted(SESSION, SESSION);
  static final String WEBHOOKS = """
      {"webhooks": [{"subscriptionId": "wh_54559dd409030d52", "url": "https://crm.example.com/hooks/layercake",
       "eventTypes": ["message.received"], "createdAt": "2026-12-05T10:05:04.870Z"}]}""";
  static final String WEBHOOK_CREATED = """
      {"subscriptionId": "wh_54559dd409030d52", "orgId": "acme-agency", "url": "https://crm.example.com/hooks/layercake",
       "secret": "whsec_3kq9Yc0vB2mN8pL1", "eventTypes": ["message.received"], "createdAt": "2026-12-05T10:05:04.870Z"}""";
  static final String WEBHOOK_DELETED = """
      {"deleted": "wh_54559dd409030d52"}""";
  static final String DELIVERIES = """
      {"deliveries": [{"eventId": 7, "subscriptionId": "wh_54559dd409030d52", "type": "message.received",
       "status": "delivered", "attempts": 1, "lastStatusCode": 200, "lastError": null, "nextAttemptAt": null,
       "deliveredAt": "2026-12-05T10:05:05.102Z"}]}""";
  static final String CLIENTS = """
      {"organizations": [%s]}""".formatted(CLIENT);
  static final String CLIENT_CREATED = """
      {"orgId": "schmidt-sanitaer", "name": "Schmidt Sanitär", "tier": "agency", "parentOrgId": "acme-agency"}""";
  static final String CLIENT_VIEW = CLIENT;
  static final String CREDITS = """
      {"poolOrgId": "acme-agency", "tier": "agency", "unlimited": false,
       "buckets": {"daily": 0, "monthly": 1959, "purchased": 491, "empty": false}, "reserved": 9, "available": 2450,
       "openReservations": 2, "monthlyPeriod": "2026-12", "monthlyAllocation": 2000, "lowCredits": false, "exhausted": false,
       "totals": {"granted": 2000, "purchased": 500, "committed": 41, "expired": 0, "unmetered": 0, "shortfall": 0}}""";
  static final String USAGE = """
      {"from": "2026-12-01T00:00:00Z", "to": "2026-12-05T10:05:08Z", "groupBy": "agent",
       "usage": [{"agentId": "schmidt-bot", "credits": 41, "turns": 39, "items": {"ai_reply": 39, "tool:book_appointment": 2}}]}""";
  static final String TRANSACTIONS = """
      {"transactions": [{"id": 3, "orgId": "acme-agency", "subOrgId": "schmidt-sanitaer", "agentId": "schmidt-bot",
       "sessionId": "%s", "kind": "reserve", "bucket": "purchased", "amount": -4, "item": null,
       "at": "2026-12-05T10:05:04.921Z"}], "nextBefore": 3}""".formatted(SESSION);
  static final String CHECKOUT = """
      {"sessionId": "cs_test_a1B2c3D4", "url": "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4"}""";
  static final String KEYS = """
      {"apiKeys": [%s]}""".formatted(KEY);
  static final String KEY_CREATED = """
      {"apiKey": %s, "key": "lc_4a16ed0c934ca71b_Q2hvb3NlIGEgZ29vZCBrZXkgbmFtZSBmb3IgdGhlIGRhc2hib2FyZA"}""".formatted(KEY);
  static final String KEY_REVOKED = """
      {"revoked": "4a16ed0c934ca71b"}""";
  static final String AGENTS = """
      {"agents": [{"agentId": "schmidt-bot", "orgId": "schmidt-sanitaer", "name": "Schmidt Sanitär", "status": "active",
       "provider": "local", "version": 1, "updatedAt": "2026-12-05T10:05:03.512Z"}]}""";
  static final String AGENT_VIEW = AGENT;
  static final String ARCHIVED_AGENT = AGENT.replace("\"status\": \"active\", \"version\": 1", "\"status\": \"archived\", \"version\": 2");
  static final String BOUND = BINDING;
  static final String CHANNELS = """
      {"bindings": [%s], "defaultCountry": "DE", "platformDefaultCountry": null, "whatsapp": {"accessTokenConfigured": true, "businessAccountId": "102290129340398"},
       "sms": {"senderId": "Schmidt", "entityId": null}, "instagram": {"accessTokenConfigured": false, "accountId": null}}""".formatted(BINDING);
  static final String COUNTRY = """
      {"defaultCountry": "DE", "platformDefaultCountry": null}""";
  static final String DOCUMENTS = """
      {"documents": [%s]}""".formatted(DOCUMENT);
  static final String DOCUMENT_VIEW = DOCUMENT;
  static final String DOCUMENT_WITH_TEXT = DOCUMENT.replace("\"text\": null",
      "\"text\": \"Call-out: EUR 65, the first half hour included. Boiler service: EUR 95.\"");
  static final String WIDGET = """
      {"agentId": "schmidt-bot", "name": "Schmidt Sanitär", "greeting": "Hello! How can we help?", "brandColor": "#2563eb",
       "position": "bottom-right", "enabled": true}""";
  static final String WEBCHAT_ANSWER = """
      {"sessionToken": "wct_2b7f0c9e4d1a", "sessionId": "%s", "status": "answered", "replies": [%s]}""".formatted(SESSION, REPLY);
  static final String WEBCHAT_REPLY = REPLY;
  static final String HISTORY = """
      {"messages": [{"id": "wc-64dc1ad7", "from": "visitor", "text": "How much is a call-out?", "at": "2026-12-05T10:05:04.913Z"},
       {"id": "out-1", "from": "agent", "text": "A call-out is EUR 65, the first half hour included.",
        "at": "2026-12-05T10:05:04.933Z"}]}""";

  private AnswerExamples() {}
  private static final String ME_USER =
      "{\"userId\": \"u_5e0c1f2a3b4d6e7f\", \"email\": \"hans@schmidt-sanitaer.de\", \"name\": \"Hans Schmidt\"";
  static final String ME = """
      {"user": %s}, "orgId": "schmidt-sanitaer", "role": "client_owner",
       "scopes": ["agents:read", "approvals:write", "conversations:read", "conversations:write", "credits:read", "knowledge:read",
         "knowledge:write", "members:read", "members:write", "organizations:read"],
       "organizations": [{"orgId": "schmidt-sanitaer", "name": "Schmidt Sanitär", "role": "client_owner", "parentOrgId": "acme-agency",
         "member": true}],
       "sessionId": "ses_9a8b7c6d5e4f3a2b", "csrfToken": "kq1bHhX0c3e2b9YwVn4d6m8p0r2t4v6x"}""".formatted(ME_USER);
  static final String USER = """
      {"userId": "u_5e0c1f2a3b4d6e7f", "email": "hans@schmidt-sanitaer.de",
       "name": "Hans Schmidt", "role": "client_owner", "since": "2026-12-05T10:07:00.120Z",
       "addedBy": "Anna Acme (user:u_0a1b2c3d4e5f6a7b)", "disabled": false}""";
  static final String USERS = """
      {"orgId": "schmidt-sanitaer", "users": [%s]}""".formatted(USER);
  static final String USER_REMOVED = """
      {"removed": "u_5e0c1f2a3b4d6e7f", "orgId": "schmidt-sanitaer", "sessionsEnded": 2}""";
  static final String INVITATION = """
      {"invitationId": "inv_c0ffee1234567890", "orgId": "schmidt-sanitaer", "email": "hans@schmidt-sanitaer.de",
       "role": "client_owner", "invitedBy": "Anna Acme (user:u_0a1b2c3d4e5f6a7b)", "status": "pending",
       "createdAt": "2026-12-05T10:06:00.000Z", "expiresAt": "2026-12-12T10:06:00.000Z"}""";
  static final String INVITATION_REVOKED = INVITATION.replace("\"status\": \"pending\"", "\"status\": \"revoked\"");
  static final String INVITATIONS = """
      {"invitations": [%s]}""".formatted(INVITATION);
  static final String SESSIONS = """
      {"sessions": [{"sessionId": "ses_9a8b7c6d5e4f3a2b", "current": true, "createdAt": "2026-12-05T10:07:00.120Z",
       "lastSeenAt": "2026-12-05T10:30:12.004Z", "expiresAt": "2027-01-04T10:07:00.120Z",
       "userAgent": "Mozilla/5.0 (X11; Linux x86_64)", "ip": "203.0.113.7"}]}""";
  static final String NOTIFICATION = """
      {"notificationId": "ntf_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "orgId": "schmidt-sanitaer", "type": "conversation.handed_off",
       "priority": "high", "title": "A conversation waits for a person · Schmidt Sanitär", "body": "The customer asked for a person.",
       "link": "/app/inbox/schmidt-bot:whatsapp:4915112345678", "metadata": {"sessionId": "schmidt-bot:whatsapp:4915112345678",
       "by": "team", "reason": "The customer asked for a person."}, "occurrences": 1, "createdAt": "2026-12-05T10:01:40Z",
       "updatedAt": "2026-12-05T10:01:41Z", "readAt": null,
       "deliveries": [{"channel": "email", "status": "sent", "attempts": 1, "dueAt": "2026-12-05T10:01:55Z",
         "sentAt": "2026-12-05T10:02:00Z", "lastError": null, "summary": "sent by email 2026-12-05 10:02 UTC"},
         {"channel": "pushover", "status": "failed", "attempts": 1, "dueAt": "2026-12-05T10:01:55Z", "sentAt": null,
          "lastError": "Pushover refused it: user key is invalid", "summary": "pushover failed: Pushover refused it: user key is invalid"}]}""";
  static final String NOTIFICATIONS = """
      {"notifications": [{"notificationId": "ntf_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "orgId": "schmidt-sanitaer",
        "type": "conversation.handed_off", "priority": "high", "title": "12 conversations wait for a person · Schmidt Sanitär",
        "body": "Latest: The customer asked for a person.", "link": "/app/inbox", "metadata": {"sessionId": "schmidt-bot:webchat:v-19",
        "by": "team", "reason": "The customer asked for a person."}, "occurrences": 12, "createdAt": "2026-12-05T10:01:40Z",
        "updatedAt": "2026-12-05T10:02:31Z", "readAt": null, "deliveries": []}],
       "unread": 1, "nextCursor": null}""";
  static final String NOTIFICATIONS_READ = """
      {"marked": 3, "unread": 0}""";
  static final String NOTIFICATION_READ = """
      {"marked": 1, "unread": 2}""";
  static final String NOTIFICATION_SETTINGS = """
      {"channels": [{"channel": "in_app", "available": true, "reach": "always: the bell in the dashboard"},
        {"channel": "email", "available": true, "reach": "your sign-in address"},
        {"channel": "pushover", "available": true, "reach": "your Pushover user key"},
        {"channel": "push", "available": true, "reach": "1 browser"}],
       "choices": [{"orgId": "*", "channel": "email", "enabled": false}, {"orgId": "schmidt-sanitaer", "channel": "pushover", "enabled": true}],
       "pushoverKeySet": true, "digestHourUtc": 8}""";
  static final String NOTIFICATION_ROUTES = """
      {"orgId": "schmidt-sanitaer", "types": [
        {"type": "conversation.handed_off", "priority": "high", "channels": ["pushover", "webhook"], "custom": true},
        {"type": "lead.captured", "priority": "normal", "channels": ["webhook"], "custom": false}]}""";
  static final String HANDOFF_CONTACTS = """
      {"orgId": "schmidt-sanitaer", "contacts": [
        {"userId": "u_5e6f7a8b9c0d1e2f", "name": "Hans Schmidt", "email": "hans@schmidt-sanitaer.de"}]}""";
  static final String WHATSAPP_TEMPLATES = """
      {"orgId": "schmidt-sanitaer", "templates": [
        {"templateId": "1234567890123456", "name": "service_due", "language": "de", "category": "utility", "status": "approved",
         "body": "Hallo {{1}}, Ihr {{2}} ist fällig. Sollen wir einen Termin machen?", "parameters": ["1", "2"],
         "pricing": "utility: Meta charges for it unless a customer service window is open", "updatedAt": "2026-12-06T09:00:00Z"}]}""";
  static final String OUTREACH_SETTINGS = """
      {"orgId": "schmidt-sanitaer", "timeZone": "Europe/Berlin", "quietFrom": "21:00", "quietUntil": "08:00",
       "followupTemplate": {"name": "checking_in", "language": "de", "takesText": true},
       "reminderTemplate": {"name": "appointment_reminder", "language": "de", "takesText": true},
       "review": {"link": "https://g.page/r/schmidt-sanitaer/review", "delay": "1d", "periodDays": 180,
        "text": "Thanks for choosing us! Would you rate us? {link}",
        "template": {"name": "review_request", "language": "de", "takesText": true}}}""";
  static final String SEQUENCE = """
      {"agentId": "schmidt-assistant", "name": "quote-chase", "trigger": "lead_captured", "steps": [
        {"delay": "1d", "text": "Any questions about the quote?", "template": null, "onlyIfNoReply": false},
        {"delay": "3d", "text": "Shall we book it?", "template": {"name": "quote_followup", "language": "de", "takesText": true},
         "onlyIfNoReply": true}], "stopOnReply": true, "stopOnBooking": true}""";
  static final String SEQUENCES = """
      {"agentId": "schmidt-assistant", "sequences": [%s]}""".formatted(SEQUENCE);
  static final String REVIEW_RATES = """
      {"days": 30, "organizations": [{"orgId": "schmidt-sanitaer", "sent": 12, "clicked": 5, "clickRate": 0.4166666666666667}]}""";
  private static final String CANDIDATE = """
      {"orgId": "schmidt-sanitaer", "name": "Schmidt Sanitär",
       "persona": "You answer for a family plumbing business in Cologne. Quote prices from the price list only.",
       "faq": [{"question": "Do you work weekends?", "answer": "Saturdays 9-13; emergencies any time."}],
       "tools": ["capture_lead", "book_appointment"], "autonomy": "autonomous", "knowledgeTags": ["prices"],
       "model": {"provider": "local", "model": "local", "temperature": 0.0}, "unavailableMessage": null,
       "greeting": "Hello! How can we help?", "languages": ["de", "en"], "businessHours": null, "doubleTexting": "coalesce",
       "webchat": {"enabled": true, "brandColor": "#2563eb", "position": "bottom-right",
                   "allowedOrigins": ["https://schmidt-sanitaer.de"]}}""";
  static final String REPLAY = """
      {"replayId": "rpl_5b0c6f2f4a8e4f7e9d1c2b3a4f5e6d7c", "agentId": "schmidt-bot", "orgId": "schmidt-sanitaer", "status": "running",
       "createdBy": "key:key_1a2b3c", "createdAt": "2026-12-06T09:12:00Z", "finishedAt": null,
       "selection": "the latest 50 conversations, from 2026-11-01T00:00:00Z", "budget": 300, "spent": 24,
       "progress": {"total": 61, "done": 12, "skipped": 0, "failed": 0, "pending": 49, "percent": 19},
       "summary": {"changedAnswers": 3, "sameAnswers": 9, "newHandoffs": 0, "lostHandoffs": 1, "toolChanges": 1,
                   "recordedCredits": 26, "candidateCredits": 24, "creditDifference": -2, "averageSimilarity": 0.874},
       "candidate": %s}""".formatted(CANDIDATE);
  static final String REPLAYS = """
      {"agentId": "schmidt-bot", "replays": [%s]}""".formatted(REPLAY);
  static final String REPLAY_CANCELLED = REPLAY.replace("\"status\": \"running\"", "\"status\": \"cancelled\"")
      .replace("\"finishedAt\": null", "\"finishedAt\": \"2026-12-06T09:13:10Z\"")
      .replace("\"skipped\": 0, \"failed\": 0, \"pending\": 49, \"percent\": 19", "\"skipped\": 49, \"failed\": 0, \"pending\": 0, \"percent\": 100");
  static final String REPLAY_REPORT = """
      {"replay": %s, "turns": [
        {"seq": 1, "sessionId": "s_0f1e2d3c4b5a6978", "turn": 1, "customer": "Do you work weekends?", "status": "done",
         "recorded": {"outcome": "replied", "reply": "Emergencies only, with a EUR 40 surcharge.", "tools": [], "handedOff": false,
                      "credits": 2},
         "candidate": {"reply": "Saturdays 9-13; emergencies any time.", "tools": [], "handedOff": false, "credits": 2},
         "similarity": 0.158, "answerChanged": true, "toolsAdded": [], "toolsRemoved": [], "handoff": null, "note": null},
        {"seq": 2, "sessionId": "s_0f1e2d3c4b5a6978", "turn": 2, "customer": "Can someone call me back?", "status": "done",
         "recorded": {"outcome": "replied", "reply": "I'll ask a person from the team to get back to you.",
                      "tools": [{"name": "handoff_to_human", "arguments": {"reason": "callback"}}], "handedOff": true, "credits": 3},
         "candidate": {"reply": "Of course, what is your number?", "tools": [], "handedOff": false, "credits": 2},
         "similarity": 0.0, "answerChanged": true, "toolsAdded": [],
         "toolsRemoved": [{"name": "handoff_to_human", "arguments": {"reason": "callback"}}], "handoff": "disappeared", "note": null}],
       "nextAfter": 2}""".formatted(REPLAY);
  static final String WHATSAPP_SIGNUP = """
      {"enabled": true, "appId": "1234567890123456", "configId": "987654321098765", "graphApiVersion": "v21.0"}""";
  static final String WHATSAPP_SIGNED_UP = """
      {"orgId": "schmidt-sanitaer", "businessAccountId": "102290129340398", "phoneNumberId": "106540352242922",
       "agentId": "schmidt-assistant", "accessTokenConfigured": true, "pin": "482913"}""";
  static final String CONVERSATION_STARTED = """
      {"sessionId": "s_0f1e2d3c4b5a6978", "outboundId": "out-1", "contact": "+491512345678", "template": "service_due",
       "category": "utility", "pricing": "utility: Meta charges for it unless a customer service window is open"}""";
  static final String PUSH_KEY = """
      {"applicationServerKey": "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U"}""";
  static final String PUSH_SUBSCRIPTION = """
      {"subscriptionId": "psub_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "endpoint": "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH",
       "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0", "createdAt": "2026-12-05T10:00:00Z"}""";
  static final String PUSH_SUBSCRIPTIONS = """
      {"subscriptions": [{"subscriptionId": "psub_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b",
        "endpoint": "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH", "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
        "createdAt": "2026-12-05T10:00:00Z"}]}""";
  static final String DM_INBOX = """
      {"threads": [{"threadId": "dm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "with": {"userId": "u_3b4d6e7f8a9b0c1d", "name": "Hans Schmidt"},
        "lastMessageAt": "2026-12-05T10:02:00Z", "lastPreview": "Call me tomorrow?", "lastFromMe": false, "unread": 1}], "unread": 1}""";
  static final String DM_SENT = """
      {"threadId": "dm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "message": {"messageId": "dmm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_1", "seq": 1,
        "senderId": "u_9a8b7c6d5e4f3a2b", "fromMe": true, "text": "Hi Hans, your agent is live.", "sentAt": "2026-12-05T10:00:00Z",
        "editedAt": null, "deleted": false}}""";
  static final String DM_THREAD = """
      {"threadId": "dm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "withUserId": "u_3b4d6e7f8a9b0c1d", "messages": [
        {"messageId": "dmm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_1", "seq": 1, "senderId": "u_9a8b7c6d5e4f3a2b", "fromMe": true,
         "text": "Hi Hans, your agent is live.", "sentAt": "2026-12-05T10:00:00Z", "editedAt": null, "deleted": false},
        {"messageId": "dmm_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_2", "seq": 2, "senderId": "u_3b4d6e7f8a9b0c1d", "fromMe": false,
         "text": "Call me tomorrow?", "sentAt": "2026-12-05T10:02:00Z", "editedAt": null, "deleted": false}],
       "readByMe": 2, "readByThem": 1}""";
  static final String DM_CONTACTS = """
      {"contacts": [{"userId": "u_3b4d6e7f8a9b0c1d", "name": "Hans Schmidt", "orgId": "schmidt-sanitaer", "orgName": "Schmidt Sanitär",
        "mayMessage": true, "reason": ""}]}""";
  static final String DM_SETTINGS = """
      {"whoMayMessage": "my_agency", "remindAfterMinutes": 30, "blocked": ["u_7c6d5e4f3a2b1c0d"]}""";
  static final String ORGANIZATION_MESSAGING = """
      {"orgId": "acme-agency", "allowCrossOrgMessaging": false}""";
  static final String FEED_ITEM = """
      {"itemId": "fi_bc_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_schmidt-sanitaer", "orgId": "schmidt-sanitaer", "kind": "broadcast",
       "title": "New: answers on WhatsApp", "body": "Your agent now answers WhatsApp too.", "author": "Anna Acme (user:u_9a8b7c6d5e4f3a2b)",
       "createdAt": "2026-12-05T10:00:00Z", "comments": [{"commentId": "fc_1a2b3c4d5e6f7a8b", "authorName": "Hans Schmidt",
         "text": "Great news, thanks!", "createdAt": "2026-12-05T10:05:00Z"}], "reactions": {"like": 2}, "myReactions": ["like"]}""";
  static final String FEED = """
      {"orgId": "schmidt-sanitaer", "items": [{"itemId": "fi_bc_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_schmidt-sanitaer", "orgId": "schmidt-sanitaer",
        "kind": "broadcast", "title": "New: answers on WhatsApp", "body": "Your agent now answers WhatsApp too.",
        "author": "Anna Acme (user:u_9a8b7c6d5e4f3a2b)", "createdAt": "2026-12-05T10:00:00Z", "comments": [], "reactions": {"like": 2},
        "myReactions": []}], "nextCursor": null}""";
  static final String FEED_COMMENT = """
      {"commentId": "fc_1a2b3c4d5e6f7a8b", "authorName": "Hans Schmidt", "text": "Great news, thanks!", "createdAt": "2026-12-05T10:05:00Z"}""";
  static final String FEED_REACTIONS = """
      {"itemId": "fi_bc_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b_schmidt-sanitaer", "reactions": {"celebrate": 1, "like": 2}}""";
  static final String BROADCAST = """
      {"broadcastId": "bc_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "audience": "clients", "title": "New: answers on WhatsApp", "priority": "normal",
       "author": "Anna Acme (user:u_9a8b7c6d5e4f3a2b)", "createdAt": "2026-12-05T10:00:00Z", "organizations": 0}""";
  static final String BROADCASTS = """
      {"broadcasts": [{"broadcastId": "bc_5e0c1f2a3b4d6e7f8a9b0c1d2e3f4a5b", "audience": "clients", "title": "New: answers on WhatsApp",
        "priority": "normal", "author": "Anna Acme (user:u_9a8b7c6d5e4f3a2b)", "createdAt": "2026-12-05T10:00:00Z", "organizations": 13}]}""";
  static final String SESSIONS_ENDED = """
      {"ended": 2}""";
  static final String SESSION_ENDED = """
      {"ended": 1}""";
  static final String PORTAL_TOKEN = """
      {"token": "eyJraWQiOiJrMSIsInR5cCI6ImF0K2p3dCIsImFsZyI6IkVTMjU2In0.eyJzdWIiOiJ1XzVlMGMifQ.c2lnbmF0dXJl",
       "tokenType": "Bearer", "expiresAt": "2026-12-05T10:22:00.000Z", "orgId": "schmidt-sanitaer",
       "userId": "u_5e0c1f2a3b4d6e7f", "role": "client_owner"}""";

  static final String PORTAL_DOMAIN_FIELDS = """
      "host": "portal.schmidt-sanitaer.de", "status": "verified", "recordType": "TXT",
       "recordName": "_portal-verification.portal.schmidt-sanitaer.de", "recordValue": "portal-verification=q8Yx3kPz0aLm5RtV2nWc1bHf",
       "addedAt": "2026-12-05T09:00:00Z", "checkedAt": "2026-12-05T09:20:00Z", "verifiedAt": "2026-12-05T09:20:00Z", "problem": null,
       "url": "https://portal.schmidt-sanitaer.de/\"""";

  static final String PORTAL_DOMAIN = "{" + PORTAL_DOMAIN_FIELDS + "}";

  static final String PORTAL_DOMAIN_REMOVED = """
      {"host": "portal.schmidt-sanitaer.de", "status": "removed"}""";

  static final String PORTAL_IMAGE = """
      {"kind": "logo", "contentType": "image/png", "bytes": 18342, "etag": "5f1c0a9e3b7d42c8a1e6f0b2d4c8e7a9",
       "url": "https://layercake.example/portal/schmidt/logo?v=5f1c0a9e3b7d42c8a1e6f0b2d4c8e7a9"}""";

  static final String PORTAL = """
      {"orgId": "schmidt-sanitaer", "slug": "schmidt", "url": "https://layercake.example/portal/schmidt/", "enabled": true,
       "branding": {"name": "Schmidt Sanitär", "primaryColor": "#0b3d91", "accentColor": "#ffb000",
         "supportEmail": "service@schmidt-sanitaer.de", "supportPhone": "+49 221 123456", "poweredBy": false},
       "whiteLabelAllowed": true,
       "logoUrl": "https://layercake.example/portal/schmidt/logo?v=5f1c0a9e3b7d42c8a1e6f0b2d4c8e7a9",
       "faviconUrl": "https://layercake.example/portal/schmidt/favicon?v=0c4e2a7b9d1f3a5c7e9b1d3f5a7c9e1b",
       "domains": [{""" + PORTAL_DOMAIN_FIELDS + """
      }],
       "openedByAgency": [{"userId": "u_5e0c1f2a3b4d6e7f", "name": "Anna Berg", "openedAt": "2026-12-05T10:02:00Z"}]}""";

  static final String AVAILABILITY = """
      {"orgId": "schmidt-sanitaer", "configured": true, "availability": {"timeZone": "Europe/Berlin",
       "hours": {"monday": ["08:00-12:00", "13:00-17:00"], "tuesday": ["08:00-12:00", "13:00-17:00"]}, "slotMinutes": 30,
       "bufferMinutes": 15, "closedDates": ["2026-12-24"], "services": {"Boiler service": 60}, "defaultServiceMinutes": 30,
       "minNoticeMinutes": 120, "horizonDays": 60, "reminderHoursBefore": 24}}""";

  static final String APPOINTMENT_FIELDS = """
      "bookingId": "appt_5b0f3c1d2e4a6b8c", "orgId": "schmidt-sanitaer", "sessionId": "s_9f2c4e1a", "agentId": "schmidt-bot",
       "channel": "whatsapp", "contact": "+491511234567", "service": "Boiler service", "start": "2026-12-08T13:00:00Z",
       "end": "2026-12-08T14:00:00Z", "status": "booked", "bookedBy": "agent schmidt-bot", "bookedAt": "2026-12-05T10:02:00Z\"""";

  static final String APPOINTMENT = "{" + APPOINTMENT_FIELDS + "}";

  static final String APPOINTMENTS = """
      {"orgId": "schmidt-sanitaer", "from": "2026-12-07T00:00:00Z", "to": "2026-12-14T00:00:00Z", "appointments": [{""" + APPOINTMENT_FIELDS
      + "}]}";

  static final String CALENDAR_FEED = """
      {"orgId": "schmidt-sanitaer", "url": "https://layercake.example/calendar-feeds/k3Jf9aQz0LmP2xW7vR5tY8nB4cD6eG1h.ics",
       "note": "Subscribe to this URL in a calendar app. It is shown once; asking for a new one stops this one."}""";

  static final String INVOICE_FIELDS = """
      "invoiceId": "inv_4c2a9e0b7d1f3a5c8e6b", "orgId": "schmidt-sanitaer", "number": "0042", "contactName": "Jana Krüger",
       "contactKey": "+491511234567", "sessionId": "s_9f2c4e1a", "currency": "EUR", "vatRateBasisPoints": 1900,
       "lines": [{"description": "Boiler service", "quantity": 1, "unitCents": 8900}, {"description": "Seal kit", "quantity": 2, "unitCents": 450}],
       "subtotalCents": 9800, "vatCents": 1862, "totalCents": 11662, "status": "sent", "createdAt": "2026-12-05T10:00:00Z",
       "sentAt": "2026-12-05T10:05:00Z", "paidAt": null, "voidedAt": null,
       "url": "https://layercake.example/invoice-links/p7Qw2eRt9yUi0oPa3sDf5gHj\"""";

  static final String INVOICE = "{" + INVOICE_FIELDS + "}";

  static final String INVOICES = """
      {"orgId": "schmidt-sanitaer", "invoices": [{""" + INVOICE_FIELDS + "}]}";

  static final String CONTACT = """
      {"key": "+491511234567", "name": "Jana Krüger", "phones": ["+491511234567"], "emails": ["jana@example.de"],
       "channels": ["whatsapp", "sms"], "conversations": [{"sessionId": "s_9f2c4e1a", "channel": "whatsapp", "contact": "491511234567",
       "status": "active", "lastMessageAt": "2026-12-05T10:00:00Z", "messages": 6}], "leads": [{"name": "Jana Krüger",
       "phone": "+49 151 1234567", "email": "jana@example.de", "need": "Boiler service", "at": "2026-12-04T09:00:00Z"}],
       "appointments": 1, "firstSeen": "2026-12-04T08:58:00Z", "lastSeen": "2026-12-05T10:00:00Z", "tags": ["regular"],
       "notes": [{"author": "Hans (user:u_2)", "text": "Prefers a call after 5 pm.", "at": "2026-12-05T10:03:00Z"}]}""";

  static final String CONTACTS = """
      {"orgId": "schmidt-sanitaer", "contacts": [{"key": "+491511234567", "name": "Jana Krüger", "phones": ["+491511234567"],
       "emails": ["jana@example.de"], "channels": ["whatsapp", "sms"], "conversations": 2, "leads": 1, "appointments": 1,
       "firstSeen": "2026-12-04T08:58:00Z", "lastSeen": "2026-12-05T10:00:00Z", "tags": ["regular"]}]}""";
}
