package dev.sluice.loadgen;

import java.util.SplittableRandom;

/**
 * The text of each request of a run, after the {@link TextPlan}: a repeat of an earlier request's
 * text for about {@code repeatFraction} of the requests (chosen from the seed), else the source's
 * text, tagged when content must be unique with one short word: the run id's random part and the
 * index in base 36 (about five word pieces for the tokenizer, so the tag inflates the model's work
 * little).
 */
public final class RequestTexts {
  /** A repeat picks among this many preceding requests. */
  static final int REPEAT_WINDOW = 10_000;

  private final TextPlan plan;
  private final String tag;

  /** @param runId the run's id; its random part (after the last dash) starts the tag that makes texts unique */
  public RequestTexts(TextPlan plan, String runId) {
    this.plan = plan;
    this.tag = runId.substring(runId.lastIndexOf('-') + 1);
  }

  /** The text of request {@code index}. */
  public String text(long index) {
    long i = index;
    while (isRepeat(i)) {
      i = repeatedIndex(i);
    }
    String text = plan.source().text(i);
    return plan.uniqueContent() ? text + " " + tag + Long.toString(i, 36) : text;
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
