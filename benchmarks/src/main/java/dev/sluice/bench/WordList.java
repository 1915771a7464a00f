package dev.sluice.bench;

import java.util.List;
import java.util.Random;

/**
 * A fixed vocabulary of everyday English words from which the benchmark's request texts are
 * drawn; with a seeded {@link Random} the texts are the same in every run.
 */
final class WordList {
  /** The vocabulary: common nouns, verbs, adjectives and function words. */
  static final List<String> WORDS = List.of(
      "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for", "with", "from", "by", "at", "about",
      "after", "before", "during", "without", "under", "over", "between", "through", "our", "your", "their",
      "customer", "order", "invoice", "payment", "delivery", "account", "refund", "product", "service", "support",
      "ticket", "request", "report", "message", "review", "price", "discount", "warehouse", "package", "address",
      "manager", "team", "meeting", "schedule", "project", "deadline", "budget", "contract", "policy", "update",
      "feature", "release", "version", "screen", "button", "password", "login", "email", "phone", "camera",
      "battery", "laptop", "printer", "network", "server", "database", "search", "result", "weather", "morning",
      "evening", "week", "month", "year", "city", "country", "train", "flight", "hotel", "room", "ticket",
      "restaurant", "menu", "coffee", "water", "music", "movie", "book", "story", "game", "garden", "house",
      "arrived", "ordered", "received", "returned", "cancelled", "charged", "shipped", "delayed", "broken",
      "missing", "changed", "opened", "closed", "fixed", "tried", "wanted", "needed", "expected", "loved",
      "hated", "liked", "asked", "answered", "called", "wrote", "paid", "lost", "found", "booked", "checked",
      "quick", "slow", "late", "early", "new", "old", "cheap", "expensive", "friendly", "rude", "helpful",
      "useless", "clean", "dirty", "quiet", "noisy", "great", "terrible", "simple", "confusing", "reliable",
      "still", "again", "never", "always", "really", "very", "quite", "almost", "already", "yesterday", "today",
      "is", "was", "were", "has", "have", "had", "will", "would", "could", "should", "not", "no", "please");

  private WordList() {}

  /**
   * A sentence of {@code minWords} to {@code maxWords} words, capitalized, ending in a full stop.
   *
   * @param random the seeded source
   * @param minWords fewest words
   * @param maxWords most words
   */
  static String sentence(Random random, int minWords, int maxWords) {
    int words = minWords + random.nextInt(maxWords - minWords + 1);
    StringBuilder text = new StringBuilder(words * 8);
    for (int i = 0; i < words; i++) {
      String word = WORDS.get(random.nextInt(WORDS.size()));
      if (i == 0) {
        text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
      } else {
        text.append(' ').append(word);
      }
    }
    return text.append('.').toString();
  }
}
