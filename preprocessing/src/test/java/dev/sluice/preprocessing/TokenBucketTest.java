package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.TokenBucket.tryAcquire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long T0 = 1_700_000_000_000L;
  private final RateLimit tenPerSecondBurstThree = new RateLimit(10, 3);

  @Test
  void newBucketStartsFullAndAdmitsAWholeBurstAtOnce() {
    BucketState state = null;
    for (int i = 0; i < 3; i++) {
      RateDecision decision = tryAcquire(state, tenPerSecondBurstThree, T0);
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.retryAfterMillis()).isZero();
      state = decision.next();
    }

    RateDecision fourth = tryAcquire(state, tenPerSecondBurstThree, T0);

    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.retryAfterMillis()).isEqualTo(100);
    assertThat(fourth.next()).isEqualTo(new BucketState(0, T0));
  }

  @Test
  void refillsAtTheRate() {
    BucketState empty = new BucketState(0, T0);

    assertThat(tryAcquire(empty, tenPerSecondBurstThree, T0 + 99).allowed()).isFalse();
    RateDecision later = tryAcquire(empty, tenPerSecondBurstThree, T0 + 100);
    assertThat(later.allowed()).isTrue();
    assertThat(later.next().tokens()).isCloseTo(0, within(1e-9));
    assertThat(later.next().updatedAtMillis()).isEqualTo(T0 + 100);
  }

  @Test
  void refillIsCappedAtTheBurst() {
    RateDecision decision = tryAcquire(new BucketState(0, T0), tenPerSecondBurstThree, T0 + 3_600_000);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.next()).isEqualTo(new BucketState(2, T0 + 3_600_000));
  }

  @Test
  void bucketStoredUnderALargerBurstIsCappedToTheCurrentOne() {
    RateDecision decision = tryAcquire(new BucketState(50, T0), tenPerSecondBurstThree, T0);

    assertThat(decision.next().tokens()).isEqualTo(2);
  }

  @Test
  void clockGoingBackwardsMintsNoTokensAndKeepsTheLaterTimestamp() {
    BucketState empty = new BucketState(0, T0);

    RateDecision back = tryAcquire(empty, tenPerSecondBurstThree, T0 - 10_000);

    assertThat(back.allowed()).isFalse();
    assertThat(back.next()).isEqualTo(new BucketState(0, T0));
    assertThat(back.retryAfterMillis()).isEqualTo(10_100);
    assertThat(tryAcquire(back.next(), tenPerSecondBurstThree, T0 + 99).allowed()).isFalse();
    assertThat(tryAcquire(back.next(), tenPerSecondBurstThree, T0 + 100).allowed()).isTrue();
  }

  @Test
  void retryAfterIsTheTimeUntilOneWholePermit() {
    RateDecision decision = tryAcquire(new BucketState(0.25, T0), new RateLimit(0.5, 1), T0);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.retryAfterMillis()).isEqualTo(1500);
  }

  @Test
  void unlimitedAdmitsEverythingAndLeavesAFullBucket() {
    BucketState state = null;
    for (int i = 0; i < 10_000; i++) {
      RateDecision decision = tryAcquire(state, RateLimit.unlimited(), T0);
      assertThat(decision.allowed()).isTrue();
      state = decision.next();
    }

    RateDecision limitedLater = tryAcquire(state, tenPerSecondBurstThree, T0);

    assertThat(limitedLater.allowed()).isTrue();
    assertThat(limitedLater.next().tokens()).isEqualTo(2);
  }

  @Test
  void sameInputsGiveTheSameDecision() {
    BucketState state = new BucketState(0.3, T0);

    assertThat(tryAcquire(state, tenPerSecondBurstThree, T0 + 17))
        .isEqualTo(tryAcquire(state, tenPerSecondBurstThree, T0 + 17));
  }

  @Test
  void admitsAtMostBurstPlusRateTimesElapsedOverRandomArrivals() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      RateLimit limit = new RateLimit(0.5 + random.nextDouble() * 50, 1 + random.nextInt(20));
      long now = T0;
      BucketState state = null;
      int admitted = 0;
      long start = 0;
      for (int i = 0; i < 2_000; i++) {
        now += random.nextInt(10) == 0 ? -random.nextInt(500) : random.nextInt(60);
        start = i == 0 ? now : start;
        RateDecision decision = tryAcquire(state, limit, now);
        state = decision.next();
        admitted += decision.allowed() ? 1 : 0;
        assertThat(state.tokens()).isBetween(0.0, limit.burst());
      }
      double elapsedSeconds = (state.updatedAtMillis() - start) / 1000.0;
      assertThat(admitted).isLessThanOrEqualTo((int) Math.floor(limit.burst() + limit.permitsPerSecond() * elapsedSeconds + 1e-6));
    }
  }

  @Test
  void waitingRetryAfterAlwaysSuffices() {
    Random random = new Random(43);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      RateLimit limit = new RateLimit(0.01 + random.nextDouble() * 1000, 1 + random.nextDouble() * 5);
      BucketState state = new BucketState(random.nextDouble() * 0.999, T0);
      long now = T0 - random.nextInt(3) * random.nextInt(1000);
      RateDecision refused = tryAcquire(state, limit, now);
      if (refused.allowed()) {
        failures.add("allowed with " + state);
        continue;
      }
      RateDecision retried = tryAcquire(refused.next(), limit, now + refused.retryAfterMillis());
      RateDecision tooEarly = tryAcquire(refused.next(), limit, now + refused.retryAfterMillis() - 1);
      if (!retried.allowed()) {
        failures.add("still refused after " + refused.retryAfterMillis() + " ms: " + limit + " " + state);
      }
      if (tooEarly.allowed() && refused.retryAfterMillis() > 1) {
        failures.add("retryAfter " + refused.retryAfterMillis() + " ms overstated: " + limit + " " + state);
      }
    }
    assertThat(failures).isEmpty();
  }
}
