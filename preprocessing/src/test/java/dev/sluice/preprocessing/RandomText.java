package dev.sluice.preprocessing;

import java.util.Random;

/**
 * Generates hostile text from a seeded {@link Random}: letters and digits mixed with every kind
 * of whitespace, control and format characters, combining marks, case-sensitive letters with
 * unusual lower-case mappings, Hangul jamo, emoji (surrogate pairs), lone surrogates,
 * noncharacters and random code points of any plane.
 */
final class RandomText {
  private static final String[] PIECES = {
    "a", "b", "Z", "q", "7", " ", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\u000C", "\u00A0", "\u2003", "\u3000",
    "\u2028", "\u2029", "\u0085", "\u202F", "\u1680", "\u0000", "\u0007", "\u001B", "\u007F", "\u0090", "\u009F",
    "\u200B", "\u200C", "\u200D", "\uFEFF", "\u00AD", "\u202E", "\u2066", "\u2060", "\uDB40\uDC41", "\u0301",
    "\u0300", "\u0316", "\u0307", "\u0308", "\u0345", "e", "E", "\u00E9", "\u00C5", "\u212B", "\u212A", "\u2126",
    "\u0130", "\u0131", "I", "\u03A3", "\u03C3", "\u03C2", "\u0391", "\u1E9E", "\u00DF", "\u01C5", "\u1100",
    "\u1161", "\u11A8", "\uAC00", "\u0958", "\uFB2C", "\uD83D\uDE00", "\uD83D\uDC68", "\uD83C\uDDE9\uD83C\uDDEA",
    "\uD800", "\uDC00", "\uDBFF", "\uDFFF", "\uFFFE", "\uFFFF", "\uFDD0", "\uD83F\uDFFE", "\u0645\u06CC", "\u0915\u094D",
  };

  private final Random random;

  RandomText(Random random) {
    this.random = random;
  }

  /** A string of up to {@code maxPieces} pieces, some of them random code points. */
  String next(int maxPieces) {
    int pieces = random.nextInt(maxPieces + 1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      int pick = random.nextInt(10);
      if (pick < 7) {
        out.append(PIECES[random.nextInt(PIECES.length)]);
      } else if (pick < 9) {
        out.append((char) random.nextInt(0x10000));
      } else {
        out.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
      }
    }
    return out.toString();
  }
}
