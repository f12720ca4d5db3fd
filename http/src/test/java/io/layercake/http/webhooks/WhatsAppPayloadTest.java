package io.layercake.http.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.runtime.session.SessionState.DeliveryStatus;
import org.junit.jupiter.api.Test;

/** Every kind of WhatsApp message becomes text the agent can answer; statuses keep their error. */
class WhatsAppPayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void nonTextMessagesBecomeReadable() throws Exception {
    assertThat(readable("{\"type\":\"image\",\"image\":{\"caption\":\"the leak\",\"mime_type\":\"image/jpeg\",\"id\":\"1\"}}"))
        .isEqualTo("[image] the leak");
    assertThat(readable("{\"type\":\"image\",\"image\":{\"id\":\"1\"}}")).isEqualTo("[image]");
    assertThat(readable("{\"type\":\"audio\",\"audio\":{\"id\":\"2\",\"voice\":true}}")).isEqualTo("[voice message]");
    assertThat(readable("{\"type\":\"location\",\"location\":{\"latitude\":52.1,\"longitude\":4.3,\"address\":\"Main St 1\"}}"))
        .isEqualTo("[location] 52.1, 4.3, Main St 1");
    assertThat(readable("{\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"b1\",\"title\":\"Tuesday\"}}}"))
        .isEqualTo("Tuesday");
    assertThat(readable("{\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"l1\",\"title\":\"Boiler\",\"description\":\"service\"}}}"))
        .isEqualTo("Boiler (service)");
    assertThat(readable("{\"type\":\"button\",\"button\":{\"payload\":\"Yes\",\"text\":\"Yes\"}}")).isEqualTo("Yes");
    assertThat(readable("{\"type\":\"unsupported\"}")).isEqualTo("[a unsupported this channel cannot show]");
  }

  @Test
  void statusesCarryTheirErrorAndOtherFieldsAreIgnored() throws Exception {
    WhatsAppPayload payload = WhatsAppPayload.parse(JSON.readTree("""
        {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[
          {"field":"message_template_status_update","value":{}},
          {"field":"messages","value":{"metadata":{"phone_number_id":"123"},"statuses":[
            {"id":"wamid.1","status":"failed","recipient_id":"316","errors":[{"code":131047,"title":"Re-engagement message"}]},
            {"id":"wamid.2","status":"played","recipient_id":"316"}]}}]}]}
        """));

    assertThat(payload.messages()).isEmpty();
    assertThat(payload.statuses()).extracting(WhatsAppPayload.Status::status, WhatsAppPayload.Status::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(DeliveryStatus.FAILED, "(#131047) Re-engagement message"),
        org.assertj.core.groups.Tuple.tuple(DeliveryStatus.READ, null));
  }

  private static String readable(String message) throws Exception {
    return WhatsAppPayload.readable(JSON.readTree(message));
  }
}
