package dev.sluice.preprocessing;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Normalizes request text so that equal-looking texts reach the model, and the content hash,
 * as equal strings. In order:
 *
 * <ol>
 *   <li><b>Whitespace</b>: every run of whitespace (anything {@link Character#isWhitespace} or
 *       {@link Character#isSpaceChar} accepts, plus U+0085 NEL: tab, line breaks, NBSP, the
 *       Unicode spaces, U+2028/U+2029) becomes one ASCII space; leading and trailing whitespace
 *       goes.
 *   <li><b>Stripping</b>: control characters (general category Cc) that are not whitespace, and
 *       format characters (Cf) other than U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH
 *       JOINER, are removed. ZWNJ and ZWJ are kept because they change meaning and rendering in
 *       Persian and Indic scripts and hold emoji sequences together; everything else in Cf
 *       (soft hyphen, zero-width space, byte-order mark, bidirectional controls, tag characters
 *       used to smuggle invisible text) is invisible noise. Unpaired surrogates and noncharacters,
 *       which the validator rejects before normalization, are removed too, so the output is
 *       always well-formed. A removed character does not end a whitespace run: {@code "a \u200B b"}
 *       becomes {@code "a b"}.
 *   <li><b>Lower-casing</b> with {@link Locale#ROOT}, when asked for.
 *   <li><b>Unicode NFC</b> ({@link Normalizer.Form#NFC}), after lower-casing because lower-casing
 *       can leave combining marks out of canonical order.
 *   <li><b>Truncation</b> to {@code maxChars} UTF-16 chars (the unit Java and the limit use). The
 *       cut never splits a surrogate pair: if it would, it moves one char earlier. If a space lies
 *       within the last tenth of the allowed length (at least one char), the text is cut at the
 *       last such space instead, so that no half word is kept; the kept text is trimmed again.
 *       The cut may still split a combining sequence or an emoji ZWJ sequence.
 * </ol>
 *
 * <p>The result is a fixed point: normalizing it again with the same arguments returns it
 * unchanged and not truncated. The text may be empty; the caller decides what that means.
 */
public final class TextNormalizer {
  private static final int NEL = 0x0085;
  private static final int ZWNJ = 0x200C;
  private static final int ZWJ = 0x200D;

  /**
   * Normalized text and whether it was cut to the limit.
   *
   * @param text the normalized text; may be empty
   * @param truncated true when the text was longer than the limit and was cut
   */
  public record NormalizedText(String text, boolean truncated) {}

  /** Creates a text normalizer; it holds no state. */
  public TextNormalizer() {}

  /**
   * Normalizes one text.
   *
   * @param text the text as the producer sent it
   * @param maxChars the longest result, in UTF-16 chars (at least 1)
   * @param lowercase whether to lower-case the text
   * @return the normalized text and the truncation flag
   */
  public NormalizedText normalize(String text, int maxChars, boolean lowercase) {
    if (text == null) {
      throw new NullPointerException("text");
    }
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars is " + maxChars + ", must be >= 1");
    }
    // Most texts are printable ASCII, single-spaced and trimmed: they need no stripping, and
    // ASCII is in NFC already (no ASCII character composes with another).
    boolean plainAscii = isPlainAscii(text);
    String cleaned = plainAscii ? text : stripAndCollapse(text);
    if (lowercase) {
      cleaned = cleaned.toLowerCase(Locale.ROOT);
    }
    String composed = plainAscii ? cleaned : Normalizer.normalize(cleaned, Normalizer.Form.NFC);
    if (composed.length() <= maxChars) {
      return new NormalizedText(composed, false);
    }
    return new NormalizedText(truncate(composed, maxChars), true);
  }

  /** Whether the text is printable ASCII with single spaces between words and none at either end. */
  private static boolean isPlainAscii(String text) {
    int length = text.length();
    if (length > 0 && (text.charAt(0) == ' ' || text.charAt(length - 1) == ' ')) {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == ' ' ? previous == ' ' : c < '!' || c > '~') {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static String stripAndCollapse(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isWhitespace(cp)) {
        pendingSpace = out.length() > 0;
      } else if (!isStripped(cp)) {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private static boolean isWhitespace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == NEL;
  }

  private static boolean isStripped(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || (type == Character.FORMAT && cp != ZWNJ && cp != ZWJ)
        || type == Character.SURROGATE
        || TextValidity.isNoncharacter(cp);
  }

  private static String truncate(String text, int maxChars) {
    int cut = maxChars;
    if (Character.isHighSurrogate(text.charAt(cut - 1)) && Character.isLowSurrogate(text.charAt(cut))) {
      cut--;
    }
    if (text.charAt(cut) != ' ') {
      int window = Math.max(1, maxChars / 10);
      int space = text.lastIndexOf(' ', cut - 1);
      if (space >= 0 && space >= cut - window) {
        cut = space;
      }
    }
    return text.substring(0, cut).strip();
  }
}
