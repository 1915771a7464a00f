package dev.sluice.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bench's built-in texts: varied English sentences of 8 to 40 words, each a pure function of
 * the seed and the request index, so that any request of a run can be regenerated on its own
 * (random access; no state shared between requests or threads) and two runs with the same seed
 * send the same sentences.
 *
 * <p>The one sentence corpus of the project: the load generator's built-in texts, and the inputs of
 * every benchmark (ingress, worker, model alone), so that their figures are comparable.
 */
public final class GeneratedSentences implements TextSource {
  /** Fewest words in a sentence. */
  public static final int MIN_WORDS = 8;
  /** Most words in a sentence. */
  public static final int MAX_WORDS = 40;

  private static final String[] WHO = {
      "the night train to Vienna", "a retired schoolteacher", "the harbour master", "our upstairs neighbour",
      "the regional newspaper", "a team of geologists", "the village bakery", "an independent bookshop",
      "the university hospital", "a curious toddler", "the weather station", "the city's tram network",
      "a freelance translator", "the chess club", "the botanical garden", "a delivery cyclist",
      "the water utility", "an amateur astronomer", "the local choir", "the insurance office",
      "a street musician", "the ferry company", "the school board", "a wildlife photographer"};
  private static final String[] DID = {
      "described", "rescheduled", "inspected", "praised", "complained about", "documented", "rebuilt",
      "recommended", "ignored", "explained", "replaced", "celebrated", "measured", "sold", "borrowed",
      "discovered", "painted", "reviewed", "tested", "abandoned", "funded", "mapped"};
  private static final String[] WHAT = {
      "the spring timetable", "a cracked water main", "the winter harvest", "an overdue library book",
      "the noise on the main square", "a shipment of bicycles", "the old stone bridge", "its opening hours",
      "the results of the survey", "a rare orchid", "the heating system", "the summer concert series",
      "a box of letters from 1923", "the parking rules", "the storm warning", "an unusual bird",
      "the price of coffee", "the new recycling scheme", "a painting of the coast", "the leaking skylight"};
  private static final String[] WHEN_WHERE = {
      "on Tuesday morning", "after the power cut", "in the pouring rain", "near the old market",
      "before anyone noticed", "for the second week running", "at the edge of town", "during the lunch break",
      "with surprising patience", "behind the railway station", "late in the evening", "across three districts",
      "in front of the town hall", "by the end of the month", "without much fuss"};
  private static final String[] LINKS = {"and", "but", "because", "so", "while", "after which", "even though", "and then"};
  private static final String[] ASIDES = {"reportedly", "oddly enough", "as expected", "once again", "at last", "quietly"};

  private final long seed;
  private final int minWords;
  private final int maxWords;

  /** @param seed the seed every sentence derives from; sentences of {@value #MIN_WORDS} to {@value #MAX_WORDS} words */
  public GeneratedSentences(long seed) {
    this(seed, MIN_WORDS, MAX_WORDS);
  }

  /**
   * @param seed the seed every sentence derives from
   * @param minWords fewest words in a sentence, at least {@value #MIN_WORDS}
   * @param maxWords most words in a sentence, at least {@code minWords}
   */
  public GeneratedSentences(long seed, int minWords, int maxWords) {
    if (minWords < MIN_WORDS || maxWords < minWords) {
      throw new IllegalArgumentException("sentences need " + MIN_WORDS + " <= minWords <= maxWords, got " + minWords + ".." + maxWords);
    }
    this.seed = seed;
    this.minWords = minWords;
    this.maxWords = maxWords;
  }

  /** The first {@code count} sentences of this seed, for benchmarks that take their inputs as a list. */
  public List<String> first(int count) {
    List<String> sentences = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      sentences.add(text(i));
    }
    return sentences;
  }

  @Override
  public String text(long index) {
    SplittableRandom random = new SplittableRandom(mix(seed, index));
    int words = minWords + random.nextInt(maxWords - minWords + 1);
    List<String> out = new ArrayList<>(words + 8);
    while (out.size() < words) {
      if (!out.isEmpty()) {
        add(out, pick(random, LINKS));
      }
      if (random.nextInt(5) == 0) {
        add(out, pick(random, ASIDES));
      }
      add(out, pick(random, WHO) + " " + pick(random, DID) + " " + pick(random, WHAT));
      if (random.nextInt(2) == 0) {
        add(out, pick(random, WHEN_WHERE));
      }
    }
    List<String> kept = out.subList(0, words);
    String last = kept.get(words - 1);
    if (last.length() < 3 && words > minWords) {
      kept = out.subList(0, words - 1); // do not end on a stray "so" or "and"
    }
    String text = String.join(" ", kept);
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
  }

  @Override
  public String describe() {
    return "builtin";
  }

  private static void add(List<String> out, String phrase) {
    for (String word : phrase.split(" ")) {
      out.add(word);
    }
  }

  private static String pick(SplittableRandom random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** A well-spread 64-bit seed for (seed, index): SplitMix64's finalizer over both. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
