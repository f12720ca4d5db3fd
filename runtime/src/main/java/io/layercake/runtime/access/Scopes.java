package io.layercake.runtime.access;

import java.util.Set;

/** What an API key, or a person through their {@link io.layercake.runtime.people.Role}, may do. */
public final class Scopes {
  public static final String CONVERSATIONS_READ = "conversations:read";
  public static final String CONVERSATIONS_WRITE = "conversations:write";
  public static final String AGENTS_READ = "agents:read";
  public static final String AGENTS_WRITE = "agents:write";
  public static final String KNOWLEDGE_READ = "knowledge:read";
  public static final String KNOWLEDGE_WRITE = "knowledge:write";
  public static final String CREDITS_READ = "credits:read";
  public static final String BILLING_WRITE = "billing:write";
  public static final String WEBHOOKS_WRITE = "webhooks:write";
  public static final String ORGANIZATIONS_READ = "organizations:read";
  public static final String ORGANIZATIONS_WRITE = "organizations:write";
  public static final String APPROVALS_WRITE = "approvals:write";
  public static final String KEYS_WRITE = "keys:write";
  public static final String MEMBERS_READ = "members:read";
  public static final String MEMBERS_WRITE = "members:write";
  public static final String BOOKINGS_READ = "bookings:read";
  public static final String BOOKINGS_WRITE = "bookings:write";
  public static final String INVOICES_READ = "invoices:read";
  public static final String INVOICES_WRITE = "invoices:write";

  public static final Set<String> ALL = Set.of(CONVERSATIONS_READ, CONVERSATIONS_WRITE, AGENTS_READ, AGENTS_WRITE, KNOWLEDGE_READ,
      KNOWLEDGE_WRITE, CREDITS_READ, BILLING_WRITE, WEBHOOKS_WRITE, ORGANIZATIONS_READ, ORGANIZATIONS_WRITE, APPROVALS_WRITE,
      KEYS_WRITE, MEMBERS_READ, MEMBERS_WRITE, BOOKINGS_READ, BOOKINGS_WRITE,
      INVOICES_READ, INVOICES_WRITE);

  private Scopes() {}
}
