package dev.sluice.platform;

import dev.sluice.avro.RejectedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Which request a dead letter belongs to: its request id, or, when the ingress could not read one
 * (an undecodable record, a blank id), the original record key, which the sender set to the id.
 */
public final class RejectedIds {
  private RejectedIds() {}

  /**
   * @param rejection the dead letter
   * @param recordKey the dead letter's own record key, used when it carries no original key
   * @return the id, or null when there is nothing to go by
   */
  public static String of(RejectedRequest rejection, byte[] recordKey) {
    String id = rejection.getRequestId();
    if (id != null && !id.isBlank()) {
      return id;
    }
    ByteBuffer key = rejection.getOriginalKey();
    if (key != null) {
      return StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }
    return recordKey == null ? null : new String(recordKey, StandardCharsets.UTF_8);
  }
}
