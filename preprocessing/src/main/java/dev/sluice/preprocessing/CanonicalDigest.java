package dev.sluice.preprocessing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over a sequence of typed fields written big-endian, with every variable-length part
 * prefixed by its length, so that two different field sequences never produce the same bytes.
 * One instance computes one digest; it is not thread-safe.
 *
 * <p>Each instance clones a pristine SHA-256 {@link MessageDigest} held in {@link #PROTOTYPE}
 * instead of calling {@link MessageDigest#getInstance}, whose provider lookup cost more than the
 * hashing of a typical request. The prototype is never updated, digested or reset, only cloned,
 * so sharing it between threads is safe. The JDK's SHA-256 is cloneable; should a provider's not
 * be, each instance falls back to {@code getInstance}.
 */
final class CanonicalDigest {
  private static final String ALGORITHM = "SHA-256";
  private static final MessageDigest PROTOTYPE = newSha256();
  private static final int BUFFER_BYTES = 512;

  private final MessageDigest sha256;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);

  CanonicalDigest() {
    sha256 = freshSha256();
  }

  CanonicalDigest putByte(int value) {
    room(1).put((byte) value);
    return this;
  }

  CanonicalDigest putInt(int value) {
    room(Integer.BYTES).putInt(value);
    return this;
  }

  CanonicalDigest putLong(long value) {
    room(Long.BYTES).putLong(value);
    return this;
  }

  /**
   * Writes the string's UTF-8 bytes, prefixed by their count.
   *
   * @throws IllegalArgumentException when the string holds an unpaired surrogate, which has no
   *     UTF-8 encoding (normalized text never does)
   */
  CanonicalDigest putString(String value) {
    requireWellFormed(value);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    putInt(bytes.length);
    flush();
    sha256.update(bytes);
    return this;
  }

  /** The digest as lowercase hex; the instance is spent afterwards. */
  String hex() {
    flush();
    return HexFormat.of().formatHex(sha256.digest());
  }

  private ByteBuffer room(int bytes) {
    if (buffer.remaining() < bytes) {
      flush();
    }
    return buffer;
  }

  private void flush() {
    sha256.update(buffer.array(), 0, buffer.position());
    buffer.clear();
  }

  private static MessageDigest freshSha256() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide " + ALGORITHM, e);
    }
  }

  private static void requireWellFormed(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("string has an unpaired surrogate at index " + i
            + "; content keys are computed over normalized text");
      }
    }
  }
}
