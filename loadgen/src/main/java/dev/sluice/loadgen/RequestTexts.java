package dev.sluice.loadgen;

import java.util.SplittableRandom;

/**
 * The text of each request of a run, after the {@link TextPlan}: a repeat of an earlier request's
 * text for about {@code repeatFraction} of the requests (chosen from the seed), else the source's
 * text, tagged with the run id and index when content must be unique.
 */
public final class RequestTexts {
  /** A repeat picks among this many preceding requests. */
  static final int REPEAT_WINDOW = 10_000;

  private final TextPlan plan;
  private final String runId;

  /** @param runId the run's id, part of the tag that makes texts unique */
  public RequestTexts(TextPlan plan, String runId) {
    this.plan = plan;
    this.runId = runId;
  }

  /** The text of request {@code index}. */
  public String text(long index) {
    long i = index;
    while (isRepeat(i)) {
      i = repeatedIndex(i);
    }
    String text = plan.source().text(i);
    return plan.uniqueContent() ? text + " [" + runId + " #" + i + "]" : text;
  }

  /** True when request {@code index} repeats the text of an earlier request of this run. */
  public boolean isRepeat(long index) {
    return index > 0 && plan.repeatFraction() > 0 && random(index).nextDouble() < plan.repeatFraction();
  }

  private long repeatedIndex(long index) {
    SplittableRandom random = random(index);
    random.nextDouble();
    long window = Math.min(index, REPEAT_WINDOW);
    return index - 1 - random.nextLong(window);
  }

  private SplittableRandom random(long index) {
    return new SplittableRandom(GeneratedSentences.mix(~plan.seed(), index));
  }
}
