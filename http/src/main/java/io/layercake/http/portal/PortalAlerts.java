package io.layercake.http.portal;

import java.util.List;

/**
 * The settings page's people part: who of the client's team hears of hand-offs (nobody chosen:
 * everyone), and the signed-in person's own choice of channels for this client's notifications.
 */
public record PortalAlerts(boolean mayChooseContacts, List<Contact> contacts, List<MyChannel> myChannels) {
  public record Contact(String userId, String name, String email, boolean chosen) {}

  /** {@code choice}: "default" (the notification's priority decides), "on" or "off". */
  public record MyChannel(String channel, String label, String choice) {}

  public PortalAlerts {
    contacts = List.copyOf(contacts);
    myChannels = List.copyOf(myChannels);
  }

  public boolean anyChosen() {
    return contacts.stream().anyMatch(Contact::chosen);
  }
}
