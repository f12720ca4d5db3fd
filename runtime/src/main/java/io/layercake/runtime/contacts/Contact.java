package io.layercake.runtime.contacts;

import java.time.Instant;
import java.util.List;

/**
 * One end customer of a client, put together from its conversations (any channel), the leads its
 * agents captured and its appointments: the same phone on WhatsApp and SMS is one contact, and a
 * webchat visitor who left a phone number joins that number's contact. {@code key} is its phone,
 * else its email, else its one conversation's contact; notes and tags written under any key it gathered are its own.
 */
public record Contact(String key, String name, List<String> phones, List<String> emails, List<String> channels,
    List<Conversation> conversations, List<Lead> leads, long appointments, Instant firstSeen, Instant lastSeen, List<String> tags,
    List<Note> notes) {

  public record Conversation(String sessionId, String channel, String contact, String status, Instant lastMessageAt, long messages) {}

  public record Lead(String name, String phone, String email, String need, Instant at) {}

  public record Note(String author, String text, Instant at) {}
}
