package dev.sluice.preprocessing;

import java.util.Optional;

/**
 * Which code points make a text invalid for the ingress: unpaired surrogates (the text is not
 * well-formed UTF-16 and cannot be encoded as UTF-8), U+0000, and the Unicode noncharacters
 * (U+FDD0..U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF among them).
 * Other control and format characters are valid here; the text normalizer strips them.
 */
final class TextValidity {
  private TextValidity() {}

  /**
   * Whether the code point is one of Unicode's 66 noncharacters.
   *
   * @param codePoint any code point
   * @return true for U+FDD0..U+FDEF and U+xxFFFE / U+xxFFFF
   */
  static boolean isNoncharacter(int codePoint) {
    return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
  }

  /**
   * The first reason the text is invalid, saying what and at which UTF-16 index.
   *
   * @param field the field name to report, e.g. {@code input.text}
   * @param text the text to check
   * @return a detail for the first invalid code point, or empty when the text is valid
   */
  static Optional<String> firstProblem(String field, String text) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return Optional.of(field + " has an unpaired high surrogate " + hex(c) + " at index " + i);
        }
        int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
        if (isNoncharacter(codePoint)) {
          return Optional.of(field + " contains the noncharacter " + hex(codePoint) + " at index " + i);
        }
        i += 2;
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        return Optional.of(field + " has an unpaired low surrogate " + hex(c) + " at index " + i);
      }
      if (c == 0) {
        return Optional.of(field + " contains U+0000 (NUL) at index " + i);
      }
      if (isNoncharacter(c)) {
        return Optional.of(field + " contains the noncharacter " + hex(c) + " at index " + i);
      }
      i++;
    }
    return Optional.empty();
  }

  /**
   * Whether the text shows anything: at least one code point that is not whitespace, not a
   * control or format character, not a separator, not unassigned, and not one of Unicode's
   * default-ignorable code points (soft hyphen, zero-width space and joiners, byte-order mark,
   * variation selectors, Hangul fillers, tag characters, ...), which render as nothing.
   *
   * @param text the text
   * @return true when some code point of it is visible
   */
  static boolean hasVisible(String text) {
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isVisible(cp)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isVisible(int cp) {
    if (Character.isWhitespace(cp) || isDefaultIgnorable(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.SURROGATE
        && type != Character.SPACE_SEPARATOR && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
  }

  /** Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt). */
  private static boolean isDefaultIgnorable(int cp) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || (cp >= 0x115F && cp <= 0x1160) || (cp >= 0x17B4 && cp <= 0x17B5)
        || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0
        || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A)
        || (cp >= 0xE0000 && cp <= 0xE0FFF);
  }

  private static String hex(int codePoint) {
    return String.format("U+%04X", codePoint);
  }
}
