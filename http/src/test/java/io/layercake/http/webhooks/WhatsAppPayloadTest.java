package io.layercake.http.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage.Kind;
import org.junit.jupiter.api.Test;

/**
 * Every kind of WhatsApp message becomes readable text; reactions, stickers, unsupported and system
 * messages are marked as without content; statuses keep their error.
 */
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
  }

  @Test
  void reactionsStickersUnsupportedAndSystemMessagesAreMarkedAsWithoutContent() throws Exception {
    WhatsAppPayload payload = WhatsAppPayload.parse(JSON.readTree("""
        {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"123"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"316"}],
          "messages":[
            {"from":"316","id":"wamid.R","timestamp":"1764151200","type":"reaction",
             "reaction":{"message_id":"wamid.OUT-7","emoji":"\uD83D\uDC4D"}},
            {"from":"316","id":"wamid.R0","timestamp":"1764151201","type":"reaction",
             "reaction":{"message_id":"wamid.OUT-7"}},
            {"from":"316","id":"wamid.S","timestamp":"1764151202","type":"sticker",
             "sticker":{"mime_type":"image/webp","sha256":"abc=","id":"9","animated":false}},
            {"from":"316","id":"wamid.U","timestamp":"1764151203","type":"unsupported","unsupported":{"type":"edit"},
             "errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown",
               "error_data":{"details":"Message type is currently not supported."}}]},
            {"from":"316","id":"wamid.Y","timestamp":"1764151204","type":"system",
             "system":{"body":"Ann changed from 316 to 317","wa_id":"317","type":"user_changed_number"}},
            {"from":"316","id":"wamid.D","timestamp":"1764151205","type":"document",
             "document":{"filename":"quote.pdf","caption":"my quote","mime_type":"application/pdf","id":"8"}},
            {"from":"316","id":"wamid.V","timestamp":"1764151206","type":"video",
             "video":{"caption":"the leak","id":"7"}},
            {"from":"316","id":"wamid.C","timestamp":"1764151207","type":"contacts",
             "contacts":[{"name":{"formatted_name":"Bob Smit","first_name":"Bob"},
               "phones":[{"phone":"+31 6 1"}]}]}]}}]}]}
        """));

    assertThat(payload.messages()).extracting(WhatsAppPayload.Inbound::kind, WhatsAppPayload.Inbound::text,
        WhatsAppPayload.Inbound::reactsTo).containsExactly(
        tuple(Kind.REACTION, "\uD83D\uDC4D", "wamid.OUT-7"),
        tuple(Kind.REACTION, "", "wamid.OUT-7"),
        tuple(Kind.STICKER, "[sticker]", null),
        tuple(Kind.UNSUPPORTED, "[unsupported message: edit]", null),
        tuple(Kind.SYSTEM, "Ann changed from 316 to 317", null),
        tuple(Kind.MESSAGE, "[document quote.pdf] my quote", null),
        tuple(Kind.MESSAGE, "[video] the leak", null),
        tuple(Kind.MESSAGE, "[shared a contact] Bob Smit", null));
    assertThat(payload.messages().get(0).sentAt()).as("Meta's timestamp: when the customer sent it")
        .isEqualTo(java.time.Instant.parse("2025-11-26T10:00:00Z"));
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
