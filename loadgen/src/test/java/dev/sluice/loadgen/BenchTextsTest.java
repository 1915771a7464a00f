package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTextsTest {

  @Test
  void builtinSentencesAreEightToFortyWordsAndTheSameForTheSameSeedAndIndex() {
    GeneratedSentences a = new GeneratedSentences(42);
    Set<String> distinct = new HashSet<>();
    for (long i = 0; i < 2000; i++) {
      String text = a.text(i);
      assertThat(text.split(" ")).hasSizeBetween(GeneratedSentences.MIN_WORDS, GeneratedSentences.MAX_WORDS);
      assertThat(text).matches("[A-Z].*\\.").isEqualTo(new GeneratedSentences(42).text(i));
      distinct.add(text);
    }
    assertThat(distinct.size()).isGreaterThan(1990);
    assertThat(new GeneratedSentences(43).text(5)).isNotEqualTo(a.text(5));
  }

  @Test
  void uniqueContentTagsEveryTextWithTheRunAndIndex() {
    RequestTexts texts = new RequestTexts(new TextPlan(new GeneratedSentences(1), 1, true, 0), "bench-20261207T052657-mqs8ku");

    assertThat(texts.text(7)).isEqualTo(new GeneratedSentences(1).text(7) + " mqs8ku7");
    assertThat(texts.text(71)).endsWith(" mqs8ku1z");
    assertThat(LongStream.range(0, 500).mapToObj(texts::text).distinct().count()).isEqualTo(500);
    assertThat(new RequestTexts(new TextPlan(new GeneratedSentences(1), 1, false, 0), "bench-x").text(7))
        .isEqualTo(new GeneratedSentences(1).text(7));
  }

  @Test
  void repeatFractionRepeatsAboutThatShareOfEarlierTexts() {
    RequestTexts texts = new RequestTexts(new TextPlan(new GeneratedSentences(1), 1, true, 0.25), "run");
    long repeats = LongStream.range(0, 4000).filter(texts::isRepeat).count();
    Set<String> seen = new HashSet<>();
    long repeatedTexts = LongStream.range(0, 4000).mapToObj(texts::text).filter(t -> !seen.add(t)).count();

    assertThat(repeats).isBetween(900L, 1100L);
    assertThat(repeatedTexts).isEqualTo(repeats);
    assertThat(texts.isRepeat(0)).isFalse();
  }

  @Test
  void fileTextsCycleThroughTheNonBlankLines(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("texts.txt"), "first line\n\n  second line  \n");
    FileTexts texts = FileTexts.read(file);

    assertThat(texts.text(0)).isEqualTo("first line");
    assertThat(texts.text(1)).isEqualTo("second line");
    assertThat(texts.text(2)).isEqualTo("first line");
    assertThatThrownBy(() -> FileTexts.read(Files.writeString(dir.resolve("empty.txt"), "\n \n")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no non-blank line");
    assertThatThrownBy(() -> FileTexts.read(dir.resolve("absent.txt"))).hasMessageContaining("cannot read the text source");
  }
}
