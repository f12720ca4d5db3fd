package io.layercake.runtime.channel;

/**
 * How many SMS a text takes: GSM-7 texts fit 160 characters in one message and 153 per part when
 * split (extension characters such as {@code €} count twice); anything else is sent as UCS-2, 70
 * characters alone and 67 per part (characters outside the BMP count twice).
 */
public final class SmsSegments {
  /** The SMS channel's name. */
  public static final String CHANNEL = "sms";

  private static final String GSM_BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

  private SmsSegments() {}

  public static int count(String text) {
    if (text == null || text.isEmpty()) {
      return 1;
    }
    int septets = gsmSeptets(text);
    if (septets >= 0) {
      return septets <= 160 ? 1 : (septets + 152) / 153;
    }
    int units = text.length();
    return units <= 70 ? 1 : (units + 66) / 67;
  }

  /** The GSM-7 length of the text, or -1 when it needs UCS-2. */
  private static int gsmSeptets(String text) {
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (GSM_BASIC.indexOf(c) >= 0) {
        septets++;
      } else if (GSM_EXTENSION.indexOf(c) >= 0) {
        septets += 2;
      } else {
        return -1;
      }
    }
    return septets;
  }
}
