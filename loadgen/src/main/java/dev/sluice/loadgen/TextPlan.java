package dev.sluice.loadgen;

import java.util.Objects;

/**
 * How request texts are chosen.
 *
 * @param source the texts themselves (built-in sentences or a file)
 * @param seed seed of every random choice, so a run can be repeated exactly
 * @param uniqueContent true to end each text with one short word of the run id and its index, so that no text
 *     repeats, within the run or across runs, and the ingress's result cache never answers unless
 *     {@code repeatFraction} asks for it
 * @param repeatFraction share of requests, 0 to below 1, that repeat the text of an earlier
 *     request of this run, to exercise the result cache on purpose
 */
public record TextPlan(TextSource source, long seed, boolean uniqueContent, double repeatFraction) {
  public TextPlan {
    Objects.requireNonNull(source, "source");
    if (!(repeatFraction >= 0 && repeatFraction < 1)) {
      throw new IllegalArgumentException("the repeat fraction must be >= 0 and < 1, got " + repeatFraction);
    }
  }
}
