package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.preprocessing.TextNormalizer.NormalizedText;
import java.text.Normalizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the text normalizer over 20,000 generated texts (fixed seed, reproducible). */
class TextNormalizerRandomizedTest {
  private static final int CASES = 20_000;
  private final TextNormalizer normalizer = new TextNormalizer();

  private interface Property {
    void check(String input, int maxChars, boolean lowercase, NormalizedText out);
  }

  private void forAll(long seed, Property property) {
    Random random = new Random(seed);
    RandomText texts = new RandomText(random);
    for (int i = 0; i < CASES; i++) {
      String input = texts.next(60);
      int maxChars = 1 + random.nextInt(random.nextBoolean() ? 8 : 80);
      boolean lowercase = random.nextBoolean();
      NormalizedText out = normalizer.normalize(input, maxChars, lowercase);
      property.check(input, maxChars, lowercase, out);
    }
  }

  private static String describe(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(String.format("\\u%04X", c)));
    return out.toString();
  }

  @Test
  void normalizingTwiceChangesNothing() {
    forAll(42, (input, maxChars, lowercase, out) ->
        assertThat(normalizer.normalize(out.text(), maxChars, lowercase))
            .as("input %s max %d lowercase %s", describe(input), maxChars, lowercase)
            .isEqualTo(new NormalizedText(out.text(), false)));
  }

  @Test
  void plainAsciiTextNormalizesAsItDoesBehindALeadingTab() {
    Random random = new Random(49);
    for (int i = 0; i < CASES; i++) {
      StringBuilder text = new StringBuilder();
      int words = random.nextInt(12);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          text.append(' ');
        }
        for (int c = 1 + random.nextInt(9); c > 0; c--) {
          text.append((char) ('!' + random.nextInt('~' - '!' + 1)));
        }
      }
      String plain = text.toString();
      int maxChars = 1 + random.nextInt(random.nextBoolean() ? 8 : 80);
      boolean lowercase = random.nextBoolean();
      // The tab sends the same text through the general path: leading whitespace goes there.
      assertThat(normalizer.normalize(plain, maxChars, lowercase)).as("%s max %d lowercase %s", plain, maxChars, lowercase)
          .isEqualTo(normalizer.normalize("\t" + plain, maxChars, lowercase));
    }
  }

  @Test
  void outputNeverExceedsTheLimit() {
    forAll(43, (input, maxChars, lowercase, out) ->
        assertThat(out.text().length()).as(describe(input)).isLessThanOrEqualTo(maxChars));
  }

  @Test
  void outputHasNoControlOrStrippedFormatCharacters() {
    forAll(44, (input, maxChars, lowercase, out) -> out.text().codePoints().forEach(cp -> {
      int type = Character.getType(cp);
      assertThat(type).as("U+%04X from %s", cp, describe(input)).isNotEqualTo((int) Character.CONTROL);
      if (type == Character.FORMAT) {
        assertThat(cp).as(describe(input)).isIn(0x200C, 0x200D);
      }
    }));
  }

  @Test
  void outputIsWellFormedUtf16WithoutNoncharacters() {
    forAll(45, (input, maxChars, lowercase, out) -> {
      assertThat(TextValidity.firstProblem("out", out.text())).as(describe(input)).isEmpty();
      assertThat(out.text().codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE)).isFalse();
    });
  }

  @Test
  void outputHasOnlySingleInnerAsciiSpaces() {
    forAll(46, (input, maxChars, lowercase, out) -> {
      String text = out.text();
      assertThat(text).as(describe(input)).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
      assertThat(text.codePoints().filter(cp -> cp != ' ')
          .noneMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85))
          .as(describe(input)).isTrue();
    });
  }

  @Test
  void outputIsNfc() {
    forAll(47, (input, maxChars, lowercase, out) ->
        assertThat(Normalizer.isNormalized(out.text(), Normalizer.Form.NFC)).as(describe(input)).isTrue());
  }

  @Test
  void truncatedFlagSaysWhetherTheFullNormalizationWasLonger() {
    forAll(48, (input, maxChars, lowercase, out) -> {
      String full = normalizer.normalize(input, Integer.MAX_VALUE, lowercase).text();
      assertThat(out.truncated()).as(describe(input)).isEqualTo(full.length() > maxChars);
      assertThat(full).as(describe(input)).startsWith(out.text());
      if (!out.truncated()) {
        assertThat(out.text()).isEqualTo(full);
      }
    });
  }

  @Test
  void lowercasedOutputIsLowercaseStable() {
    forAll(49, (input, maxChars, lowercase, out) -> {
      if (lowercase) {
        assertThat(out.text().toLowerCase(java.util.Locale.ROOT)).as(describe(input)).isEqualTo(out.text());
      }
    });
  }
}
