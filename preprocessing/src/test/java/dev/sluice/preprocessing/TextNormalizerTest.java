package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.sluice.preprocessing.TextNormalizer.NormalizedText;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  private static final int ROOMY = 1000;
  private final TextNormalizer normalizer = new TextNormalizer();

  private String norm(String text) {
    return normalizer.normalize(text, ROOMY, false).text();
  }

  @Test
  void composesToNfc() {
    assertThat(norm("caf" + "e\u0301")).isEqualTo("caf\u00E9");
    assertThat(norm("\u212B")).isEqualTo("\u00C5");
    assertThat(norm("\u1100\u1161\u11A8")).isEqualTo("\uAC01");
  }

  @Test
  void composesAcrossAStrippedFormatCharacter() {
    assertThat(norm("e\u200B\u0301")).isEqualTo("\u00E9");
  }

  @Test
  void stripsControlAndFormatCharacters() {
    assertThat(norm("a\u0007b\u001Bc\u007Fd\u0080e\u009Ff")).isEqualTo("abcdef");
    assertThat(norm("\uFEFFsoft\u00ADhy\u200Bphen\u2060")).isEqualTo("softhyphen");
    assertThat(norm("\u202Eevil\u202C \u2066iso\u2069")).isEqualTo("evil iso");
  }

  @Test
  void stripsInvisibleTagCharacters() {
    assertThat(norm("hi\uDB40\uDC41\uDB40\uDC42")).isEqualTo("hi");
  }

  @Test
  void keepsZeroWidthJoinerAndNonJoiner() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
    String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";

    assertThat(norm(family)).isEqualTo(family);
    assertThat(norm(persian)).isEqualTo(persian);
  }

  @Test
  void collapsesEveryKindOfWhitespaceRunToOneAsciiSpace() {
    assertThat(norm("a\tb\nc\r\nd\u000Be\u000Cf")).isEqualTo("a b c d e f");
    assertThat(norm("a\u00A0\u00A0b\u2003c\u3000d\u2028e\u2029f\u0085g\u202Fh\u1680i")).isEqualTo("a b c d e f g h i");
    assertThat(norm("one  \t\n  two")).isEqualTo("one two");
  }

  @Test
  void strippedCharacterInsideWhitespaceRunLeavesOneSpace() {
    assertThat(norm("a \u200B b")).isEqualTo("a b");
    assertThat(norm("a\u0007 \u0007b")).isEqualTo("a b");
  }

  @Test
  void trimsBothEnds() {
    assertThat(norm(" \u00A0\t hello \r\n\u3000")).isEqualTo("hello");
  }

  @Test
  void whitespaceAndControlsOnlyNormalizeToEmpty() {
    assertThat(normalizer.normalize(" \t\u0007\u200B\n ", 10, false)).isEqualTo(new NormalizedText("", false));
  }

  @Test
  void lowercasesWithRootLocaleWhenAsked() {
    assertThat(normalizer.normalize("HELLO \u00C9T\u00C9 TITLE", ROOMY, true).text()).isEqualTo("hello \u00E9t\u00E9 title");
    assertThat(normalizer.normalize("HELLO", ROOMY, false).text()).isEqualTo("HELLO");
  }

  @Test
  void lowercasingDottedCapitalIRemainsNfc() {
    String out = normalizer.normalize("\u0130\u0316", ROOMY, true).text();

    assertThat(out).isEqualTo("i\u0316\u0307");
    assertThat(java.text.Normalizer.isNormalized(out, java.text.Normalizer.Form.NFC)).isTrue();
  }

  @Test
  void shortTextIsNotTruncated() {
    assertThat(normalizer.normalize("abcde", 5, false)).isEqualTo(new NormalizedText("abcde", false));
  }

  @Test
  void truncatesToTheLimitAndSaysSo() {
    assertThat(normalizer.normalize("abcdefghij", 4, false)).isEqualTo(new NormalizedText("abcd", true));
  }

  @Test
  void limitIsCheckedAfterNormalizationShrinksTheText() {
    assertThat(normalizer.normalize("  e\u0301\u0007  ", 1, false)).isEqualTo(new NormalizedText("\u00E9", false));
  }

  @Test
  void neverSplitsASurrogatePairAtTheBoundary() {
    String grin = "\uD83D\uDE00";

    NormalizedText out = normalizer.normalize("ab" + grin + "cd", 3, false);

    assertThat(out).isEqualTo(new NormalizedText("ab", true));
  }

  @Test
  void keepsAWholeEmojiThatEndsExactlyAtTheLimit() {
    String grin = "\uD83D\uDE00";

    assertThat(normalizer.normalize("ab" + grin + "cd", 4, false)).isEqualTo(new NormalizedText("ab" + grin, true));
  }

  @Test
  void singleEmojiUnderAOneCharLimitTruncatesToEmpty() {
    assertThat(normalizer.normalize("\uD83D\uDE00", 1, false)).isEqualTo(new NormalizedText("", true));
  }

  @Test
  void cutsAtAWordBoundaryWithinTheLastTenth() {
    String text = "a".repeat(45) + " " + "b".repeat(60);

    NormalizedText out = normalizer.normalize(text, 50, false);

    assertThat(out).isEqualTo(new NormalizedText("a".repeat(45), true));
  }

  @Test
  void cutsMidWordWhenTheLastSpaceIsTooFarBack() {
    String text = "a".repeat(30) + " " + "b".repeat(60);

    NormalizedText out = normalizer.normalize(text, 50, false);

    assertThat(out).isEqualTo(new NormalizedText("a".repeat(30) + " " + "b".repeat(19), true));
  }

  @Test
  void cutRightBeforeASpaceKeepsTheWholeWord() {
    assertThat(normalizer.normalize("hello world", 5, false)).isEqualTo(new NormalizedText("hello", true));
  }

  @Test
  void cutRightAfterASpaceDropsTheTrailingSpace() {
    assertThat(normalizer.normalize("hello world", 6, false)).isEqualTo(new NormalizedText("hello", true));
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThatIllegalArgumentException().isThrownBy(() -> normalizer.normalize("x", 0, false));
  }

  @Test
  void removesUnpairedSurrogatesAndNoncharactersWhenCalledWithoutValidation() {
    assertThat(norm("a\uD800b\uDC00c\uFFFEd\uFDD0e")).isEqualTo("abcde");
  }
}
