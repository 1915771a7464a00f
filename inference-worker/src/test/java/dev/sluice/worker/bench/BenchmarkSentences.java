package dev.sluice.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Varied English-like sentences of 8 to 40 words from a fixed seed, so that every benchmark run
 * (and every peer it is compared with) sees the same inputs.
 */
public final class BenchmarkSentences {
  private static final String[] SUBJECTS = {
      "the customer", "our team", "a small startup", "the central bank", "my neighbour", "the new intern",
      "a quantum computer", "the city council", "every student", "the marketing department", "the old lighthouse keeper",
      "an autonomous drone", "the orchestra", "the research group", "a hungry fox", "the support engineer",
      "the pharmaceutical company", "a volunteer firefighter", "the database administrator", "the football club"};
  private static final String[] VERBS = {
      "reported", "analysed", "cancelled", "announced", "repaired", "questioned", "celebrated", "investigated",
      "postponed", "delivered", "redesigned", "criticised", "measured", "translated", "photographed", "negotiated",
      "benchmarked", "refactored", "evacuated", "summarised"};
  private static final String[] OBJECTS = {
      "the quarterly earnings", "a broken pipeline", "the annual festival", "an unexpected invoice",
      "the latency regression", "a controversial proposal", "the mountain trail", "its privacy policy",
      "the vaccine trial", "a forgotten password", "the electricity bill", "the championship final",
      "an ancient manuscript", "the migration plan", "the weather forecast", "a suspicious transaction",
      "the recipe for sourdough bread", "the kubernetes cluster", "the museum's new exhibition", "a leaking roof"};
  private static final String[] ADVERBIALS = {
      "yesterday afternoon", "after a long debate", "despite the heavy rain", "without any warning",
      "for the third time this year", "in front of a large audience", "during the night shift",
      "with remarkable precision", "before the deadline", "under considerable pressure", "at the last minute",
      "in the northern district", "according to several witnesses", "as part of a wider investigation",
      "to everyone's surprise"};
  private static final String[] CONNECTORS = {"and", "but", "because", "while", "although", "so", "whereas"};
  private static final String[] FILLERS = {
      "apparently", "frankly", "unfortunately", "meanwhile", "nevertheless", "interestingly", "ultimately",
      "surprisingly", "consequently", "however"};

  private BenchmarkSentences() {}

  /** {@code count} sentences of 8 to 40 words, the same for the same seed. */
  public static List<String> generate(int count, long seed) {
    Random random = new Random(seed);
    List<String> sentences = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      sentences.add(sentence(random, 8 + random.nextInt(33)));
    }
    return sentences;
  }

  private static String sentence(Random random, int words) {
    List<String> parts = new ArrayList<>();
    int used = 0;
    while (used < words) {
      if (!parts.isEmpty()) {
        parts.add(pick(random, CONNECTORS));
        used++;
      }
      String clause = pick(random, SUBJECTS) + " " + pick(random, VERBS) + " " + pick(random, OBJECTS);
      if (random.nextInt(3) == 0) {
        clause = clause + " " + pick(random, ADVERBIALS);
      }
      for (String word : clause.split(" ")) {
        if (used < words) {
          parts.add(word);
          used++;
        }
      }
      if (used < words && random.nextInt(4) == 0) {
        parts.add(pick(random, FILLERS) + ",");
        used++;
      }
    }
    String text = String.join(" ", parts).replaceAll(",$", "");
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
  }

  private static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }
}
