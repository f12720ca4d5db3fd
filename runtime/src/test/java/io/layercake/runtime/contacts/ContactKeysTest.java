package io.layercake.runtime.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One phone however written is one key; emails ignore case; a webchat visitor is itself. */
class ContactKeysTest {

  @Test
  void aPhoneIsPlusAndItsDigitsHoweverItWasWritten() {
    for (String written : new String[] {"31612345678", "+31612345678", "+31 6 1234 5678", "0031612345678", "+31 (6) 1234-5678"}) {
      assertThat(ContactKeys.phone(written)).as(written).contains("+31612345678");
    }
    assertThat(ContactKeys.phone("v_chat1")).isEmpty();
    assertThat(ContactKeys.phone("12")).isEmpty();
    assertThat(ContactKeys.ofConversation("whatsapp", "31612345678")).isEqualTo(ContactKeys.ofConversation("sms", "+31612345678"));
    assertThat(ContactKeys.ofConversation("webchat", "v_chat1")).isEqualTo("webchat:v_chat1");
    assertThat(ContactKeys.email(" Jana@Example.DE ")).contains("jana@example.de");
    assertThat(ContactKeys.email("not an email")).isEmpty();
  }
}
