package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private final RateLimit fallback = new RateLimit(100, 200);
  private final RateLimit gold = new RateLimit(1000, 2000);
  private final RateLimit anonymous = new RateLimit(1, 1);
  private final RateLimits limits = new RateLimits(fallback, Map.of("gold", gold, "default", anonymous));

  @Test
  void tenantWithOwnEntryGetsIt() {
    assertThat(limits.forTenant("gold")).isEqualTo(gold);
  }

  @Test
  void unknownTenantGetsTheDefaultLimit() {
    assertThat(limits.forTenant("bronze")).isEqualTo(fallback);
  }

  @Test
  void requestWithoutTenantIsLimitedUnderTheDefaultTenantEntry() {
    assertThat(limits.forTenant(null)).isEqualTo(anonymous);
    assertThat(limits.forTenant(" ")).isEqualTo(anonymous);
  }

  @Test
  void requestWithoutTenantFallsBackToTheDefaultLimitWithoutAnEntry() {
    assertThat(new RateLimits(fallback, Map.of()).forTenant(null)).isEqualTo(fallback);
  }

  @Test
  void unlimitedLimitsLimitNobody() {
    assertThat(RateLimits.unlimited().forTenant("anyone").isUnlimited()).isTrue();
    assertThat(new RateLimit(-1, 0).isUnlimited()).isTrue();
    assertThat(gold.isUnlimited()).isFalse();
  }

  @Test
  void limitedRateNeedsABurstOfAtLeastOne() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(5, 0.5))
        .withMessage("Invalid value 0.5 for rate limit burst: must be >= 1 when permits per second is 5.0");
    assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(5, Double.NaN));
  }

  @Test
  void rateMustBeAFiniteNumber() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(Double.NaN, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(Double.POSITIVE_INFINITY, 1));
  }

  @Test
  void perTenantMapIsCopied() {
    java.util.HashMap<String, RateLimit> perTenant = new java.util.HashMap<>(Map.of("a", gold));
    RateLimits copied = new RateLimits(fallback, perTenant);

    perTenant.put("a", anonymous);

    assertThat(copied.forTenant("a")).isEqualTo(gold);
  }

  @Test
  void bucketStateRefusesNegativeOrNaNTokens() {
    assertThatIllegalArgumentException().isThrownBy(() -> new BucketState(-0.1, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new BucketState(Double.NaN, 0));
  }
}
