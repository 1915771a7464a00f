package dev.sluice.preprocessing;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TextInput;

/**
 * Catches text that was not valid UTF-8 on the wire. Avro decodes strings leniently: an unpaired
 * surrogate encoded as three bytes (CESU-8, as some producers write it) or any malformed byte
 * sequence becomes U+FFFD, and the request would be answered as if nothing happened. A decoded
 * text holding U+FFFD while the serialized record nowhere holds U+FFFD's own UTF-8 encoding
 * (EF BF BD) can only come from such bytes, so the request is refused with INVALID_TEXT.
 */
public final class WireText {
  private static final byte[] REPLACEMENT_UTF8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private WireText() {}

  /**
   * Checks a decoded request against the bytes it was decoded from.
   *
   * @param request the decoded request
   * @param serialized the record value it was decoded from
   * @return the request, or INVALID_TEXT when its text was malformed UTF-8 on the wire
   */
  public static Outcome<InferenceRequest> check(InferenceRequest request, byte[] serialized) {
    if (!(request.getInput() instanceof TextInput text) || text.getText() == null) {
      return Outcome.accepted(request);
    }
    int at = text.getText().indexOf('\uFFFD');
    if (at < 0 || containsReplacementCharacter(serialized)) {
      return Outcome.accepted(request);
    }
    return Outcome.rejected(ReasonCode.INVALID_TEXT, "input.text was not valid UTF-8 on the wire (an unpaired surrogate or a"
        + " malformed byte sequence, decoded as U+FFFD at index " + at + ")");
  }

  private static boolean containsReplacementCharacter(byte[] bytes) {
    for (int i = 0; i + 2 < bytes.length; i++) {
      if (bytes[i] == REPLACEMENT_UTF8[0] && bytes[i + 1] == REPLACEMENT_UTF8[1] && bytes[i + 2] == REPLACEMENT_UTF8[2]) {
        return true;
      }
    }
    return false;
  }
}
